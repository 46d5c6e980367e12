"""Every exercise check: the solution passes, named wrong answers get a sentence naming the slip.

One entry per check in ``EXERCISES``: the notebook's number, the check's name in
``helpers.checks.nbNN``, the name the solution has in ``solutions/NN_*.py``, and the
typical wrong answers, each as (the mistake in words, the answer, words the verdict
must contain). A check prints its verdict ("correct!", "not yet. <why>", or "Not
attempted yet") and returns None, so a notebook cell shows the sentence and nothing
else. ``test_every_check_has_an_entry`` fails for a check without an entry here.
"""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest

import helpers.checks
from helpers.activations import get_activation, sigmoid
from helpers.calculus import significant_half_width
from helpers.checks.common import Wrong, check_exercise, expect_close
from helpers.mlp import signal_profile


def _relu_slope(z):
    return (np.asarray(z) > 0).astype(float)


SPACING_100 = float(np.spacing(np.float32(100.0)))  # float32's spacing at w = 100
EPS32 = float(np.finfo(np.float32).eps)

EXERCISES = [
    # --- 01, the activation unit ---
    ("01", "check_weighted_sum", "weighted_sum", [
        ("returns the products, not their sum", lambda w, x: w * x, "forget to add"),
        ("loops over range(4)", lambda w, x: sum(w[i] * x[i] for i in range(4)), "range(len(w))"),
        ("multiplies the sums", lambda w, x: float(np.sum(w) * np.sum(x)), "expected"),
    ]),
    ("01", "check_collapse_linear_stack", "collapse_linear_stack", [
        ("multiplies in the wrong order", lambda m: m[0] @ m[1] @ m[2], "do not fit together"),
        ("returns the last matrix only", lambda m: m[2] + 0, "shape"),
    ]),
    # --- 02, the sigmoid ---
    ("02", "check_sigmoid_derivative_from_output", "sigmoid_derivative_from_output", [
        ("applies σ again", lambda a: sigmoid(a) * (1 - sigmoid(a)), "applied the sigmoid again"),
        ("1 + a instead of 1 - a", lambda a: a * (1 + a), "sign slip"),
        ("forgot the minus sign", lambda a: -a * (1 - a), "wrong sign"),
        ("drops the factor a", lambda a: 1 - a, "factor is missing"),
        ("returns the output", lambda a: a, "σ(z) itself"),
        ("squares a", lambda a: a**2 * (1 - a),
         "At z = 0 your σ'(z) is 0.125, expected 0.25"),
        ("off by a factor 4", lambda a: a * (1 - a) / 4, "There a = 0.5"),
        ("returns three values",
         lambda a: a[:3] * (1 - a[:3]) if np.ndim(a) else a * (1 - a), "shape"),
    ]),
    ("02", "check_stable_sigmoid", "stable_sigmoid", [
        ("e^z / (1 + e^z) overflows", lambda z: np.exp(z) / (1 + np.exp(z)), "overflow"),
        ("1 / (1 + e^-z) overflows", lambda z: 1 / (1 + np.exp(-z)), "overflow"),
        ("np.where computes both branches",
         lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))), "np.where"),
        ("q / (1 + q) on both sides",
         lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))), "use 1 / (1 + q) for z >= 0"),
        ("1 / (1 + q) on both sides",
         lambda z: 1 / (1 + np.exp(-np.abs(z))), "use q / (1 + q) for z < 0"),
        ("clips z", lambda z: 1 / (1 + np.exp(-np.clip(z, -500, 500))), "At z = -710"),
        ("loses digits through tanh", lambda z: 0.5 * (1 + np.tanh(z / 2)), "digits agree"),
    ]),
    # --- 03, tanh ---
    ("03", "check_tanh_derivative_from_output", "tanh_derivative_from_output", [
        ("the notes' typo 1 - a⁴", lambda a: 1 - (a**2) ** 2, "typo"),
        ("the sigmoid's a(1 - a)", lambda a: a * (1 - a), "sigmoid's"),
        ("forgot the square", lambda a: 1 - a, "square is missing"),
        ("plus instead of minus", lambda a: 1 + a**2, "sign slip"),
        ("forgot the minus sign", lambda a: a**2 - 1, "wrong sign"),
        ("cube instead of square", lambda a: 1 - a**3, "expected"),
        ("applies tanh again", lambda a: 1 - np.tanh(a) ** 2, "applied tanh again"),
        ("1 / cosh(a)²", lambda a: 1 / np.cosh(a) ** 2, "applied tanh again"),
        ("linear in a", lambda a: 1 - 2 * a, "At z = -0.25"),
    ]),
    ("03", "check_where_tanh_derivative_falls", "first_z_below", [
        ("returns the fraction", lambda fraction: fraction, "not the derivative's value"),
        ("uses sigmoid'", lambda fraction: significant_half_width("sigmoid", fraction), "sigmoid'"),
        ("a fixed 3", lambda fraction: 3.0, "expected"),
        ("a coarse grid", lambda fraction: 1.9 if fraction == 0.1 else 0.0, "grid fine enough"),
        ("returns an array", lambda fraction: np.array([1.8, 1.9]), "one number"),
    ]),
    ("03", "check_tanh_from_sigmoid", "tanh_from_sigmoid", [
        ("B = 1: half as steep", lambda z: 2 * sigmoid(z) - 1, "slope at z = 0"),
        ("B = 4: twice too steep", lambda z: 2 * sigmoid(4 * z) - 1, "slope at z = 0"),
        ("A = 1, C = 0", lambda z: sigmoid(2 * z), "tends to"),
        ("forgot C = -1", lambda z: 2 * sigmoid(2 * z), "tends to"),
        ("shifted", lambda z: np.tanh(z - 0.5), "At z = 0"),
        ("close but not tanh", lambda z: np.tanh(z) + 0.01 * z**2 * np.exp(-(z**2)), "expected"),
    ]),
    # --- 04, vanishing gradients (numbers typed in; `...` is the placeholder) ---
    ("04", "check_relu_gradient", "relu_gradient", [
        ("lets path 2 through", -9.0, "f'(z22) is 0"),
        ("forgot dL/do31", 1.5, "without ∂L/∂o31"),
        ("slopes without weights", 2.0, "but not the weights"),
        ("off by a factor 2: ½ not cancelled", 6.0, "the ½ cancels the 2"),
        ("dL/do31 = o31", 4.5, "not o31 itself"),
        ("forgot the minus sign of o31 - y", -3.0, "check the sign"),
        ("path 2 through, no dL/do31", -4.5, "path 2 let through (1.5 − 6), and without"),
        ("a guess", 7.0, "Start from z11"),
        ("text", "3", "not the text"),
        ("a list", [3.0], "one number"),
    ]),
    ("04", "check_smallest_visible_gradient", "smallest_gradient", [
        ("the whole spacing", SPACING_100, "whole spacing"),
        ("float32's epsilon at 1", 1.19e-7, "belongs to w = 2.5"),
        ("the spacing at 2.5", float(np.spacing(np.float32(2.5))), "belongs to w = 2.5"),
        ("100 × epsilon", 100 * EPS32, "machine epsilon"),
        ("50 × epsilon", 50 * EPS32, "machine epsilon"),
        ("float64's epsilon", 2.2e-16, "float64"),
        ("too small", 1e-6, "still lost"),
        ("too large", 5e-6, "look for the smallest"),
        ("negative", -1.0, "positive"),
    ]),
    ("04", "check_predicted_ratio", "predicted_ratio", [
        ("slope only, 19 steps", 0.25**19, "peak slope"),
        ("slope only, 21 factors", 0.25**21, "peak slope"),
        ("one step too many", 0.144**20, "counted 20 steps"),
        ("the notes' 21 factors", 0.144**21, "21 factors"),
        ("one step too few", 0.144**18, "counted 18 steps"),
        ("far too large", 1e-8, "much larger"),
        ("far too small", 1e-30, "much smaller"),
        ("NaN", float("nan"), "finite"),
    ]),
    # --- 05, ReLU ---
    ("05", "check_path_gradient", "path_gradient", [
        ("ignores the slopes", lambda z, w: np.prod(w), "passes nothing back"),
        ("slope 1 at z = 0", lambda z, w: np.prod((np.asarray(z) >= 0) * w), "not z >= 0"),
        ("slope -1 left of 0", lambda z, w: np.prod(np.sign(z) * w), "not -1"),
        ("multiplies by z", lambda z, w: np.prod(np.maximum(z, 0) * w), "ReLU's slope f'(z)"),
        ("forgot the weights", lambda z, w: np.prod(_relu_slope(z)), "weights still multiply in"),
        ("adds instead of multiplying", lambda z, w: np.sum(_relu_slope(z) * w), "use a product"),
        ("returns the factors", lambda z, w: _relu_slope(z) * w, "should be one number"),
        ("returns text", lambda z, w: "one", "should be a number"),
    ]),
    ("05", "check_level_variance", "level_variance", [
        ("1/n, right for linear units", lambda n: 1 / n, "halves the signal's power"),
        ("the standard init's 1/(3n)", lambda n: 1 / (3 * n), "standard initialisation"),
        ("off by a factor 2: 4/n", lambda n: 4 / n, "Too large"),
        ("1.5/n", lambda n: 1.5 / n, "Too small"),
        ("the standard deviation", lambda n: np.sqrt(2 / n), "standard deviation"),
        ("2/256 for every n", lambda n: 2 / 256, "It may be right for n = 256"),
        ("2 for every n", lambda n: 2.0, "c = 512, nowhere near level"),
        ("2/n²", lambda n: 2 / n**2, "changes with n"),
        ("far too large", lambda n: 1e6 / n, "Too large"),
        ("forgot the minus sign cancels", lambda n: -2 / n, "positive"),
        ("a boolean", lambda n: True, "not True"),
        ("text", lambda n: "2/n", "should be a number"),
    ]),
    ("05", "check_dead_fraction", "dead_fraction", [
        ("the zero fraction", lambda a: np.mean(a == 0), "the zero fraction"),
        ("along the rows", lambda a: np.mean(np.all(a == 0, axis=1)), "rows"),
        ("a count", lambda a: np.sum(np.all(a == 0, axis=0)), "number of dead units"),
        ("one value per unit", lambda a: np.all(a == 0, axis=0), "one number for the whole layer"),
        ("close to 0 is dead", lambda a: np.mean(np.all(a < 1e-6, axis=0)), "not close to 0"),
        ("np.any instead of np.all", lambda a: np.mean(np.any(a == 0, axis=0)), "np.all"),
        ("off by a factor 100", lambda a: 100 * np.mean(np.all(a == 0, axis=0)), "a percentage"),
    ]),
    # --- 06, the deep-network lab ---
    ("06", "check_backprop_through_layer", "backprop_through_layer", [
        ("forgot f'(z)", lambda g, z, W, act: g @ W.T, "left out f'(z)"),
        ("f'(a) instead of f'(z)",
         lambda g, z, W, act: (g * get_activation(act).df(get_activation(act).f(z))) @ W.T,
         "f'(a) instead of f'(z)"),
        ("W instead of W.T", lambda g, z, W, act: (g * get_activation(act).df(z)) @ W, "shape"),
        ("returns text", lambda g, z, W, act: "oops", "array of numbers"),
    ]),
    ("06", "check_predicted_rms", "predicted_rms", [
        ("one halving too many", lambda v, layer: np.sqrt(v * (v / 2) ** layer), "not 30"),
        ("the variance, not the RMS", lambda v, layer: v * (v / 2) ** (layer - 1), "square root"),
        ("no ReLU halving", lambda v, layer: np.sqrt(v**layer), "without ReLU"),
        ("ignores v", lambda v, layer: np.sqrt(0.5 ** (layer - 1)), "right for v = 1 only"),
        ("layer 1 at RMS 1",
         lambda v, layer: 1.0 if layer == 1 else np.sqrt(v * (v / 2) ** (layer - 1)),
         "has variance v"),
        ("returns text", lambda v, layer: "oops", "not the text"),
    ]),
    # --- 07, beyond ReLU (more named mistakes in tests/test_nb07.py) ---
    ("07", "check_residual_backward", "residual_backward", [
        ("left out the skip", lambda g, z, W, act: (g * get_activation(act).df(z)) @ W.T,
         "left out the skip"),
        ("forgot f'(z)", lambda g, z, W, act: g + g @ W.T, "left out f'(z)"),
    ]),
    ("07", "check_batch_normalise", "batch_normalise", [
        ("over the units", lambda z, gamma, beta: gamma * (z - z.mean(1, keepdims=True))
         / np.sqrt(z.var(1, keepdims=True) + 1e-5) + beta, "layer normalisation"),
        ("by the variance", lambda z, gamma, beta: gamma * (z - z.mean(0)) / (z.var(0) + 1e-5)
         + beta, "square root"),
    ]),
]  # fmt: skip


def _check(number, name):
    return getattr(importlib.import_module(f"helpers.checks.nb{number}"), name)


def verdict(capsys, check, answer) -> str:
    """Run a check as a notebook cell does; return what it printed."""
    assert check(answer) is None  # a cell shows the verdict and no stray value
    return capsys.readouterr().out


def untouched(*args):
    raise NotImplementedError


ENTRIES = [pytest.param(n, c, s, id=f"{n}-{c}") for n, c, s, _ in EXERCISES]
WRONGS = [
    pytest.param(n, c, answer, words, id=f"{n}-{c}-{mistake}")
    for n, c, _, wrongs in EXERCISES
    for mistake, answer, words in wrongs
]


def test_every_check_has_an_entry():
    modules = [m.name for m in pkgutil.iter_modules(helpers.checks.__path__) if m.name[:2] == "nb"]
    checks = {
        (module[2:], name)
        for module in modules
        for name in importlib.import_module(f"helpers.checks.{module}").__all__
        if name.startswith("check_")
    }
    entries = {(n, c) for n, c, _, _ in EXERCISES}
    assert checks == entries, "add an EXERCISES entry for every check (and only those)"
    assert all(len(wrongs) >= 2 for *_, wrongs in EXERCISES), "at least two named mistakes each"


@pytest.mark.parametrize("number, name, answer", ENTRIES)
def test_the_solution_passes(capsys, solution, number, name, answer):
    out = verdict(capsys, _check(number, name), getattr(solution(number), answer))
    assert "correct!" in out and "not yet" not in out, out


@pytest.mark.parametrize("number, name, answer", ENTRIES)
def test_the_untouched_exercise_is_not_attempted(capsys, solution, number, name, answer):
    placeholder = untouched if callable(getattr(solution(number), answer)) else ...
    out = verdict(capsys, _check(number, name), placeholder)
    assert "Not attempted yet" in out and "correct!" not in out, out


@pytest.mark.parametrize("number, name, answer, words", WRONGS)
def test_a_named_mistake_gets_a_sentence_naming_it(capsys, number, name, answer, words):
    out = verdict(capsys, _check(number, name), answer)
    assert "not yet." in out and words in out, out
    assert "correct!" not in out and "Traceback" not in out


# --- what some verdicts say beyond "correct!" --------------------------------------------------


def test_path_gradient_accepts_booleans_and_lists(capsys):
    # z > 0 gives booleans; as numbers they are exactly 0 and 1.
    answer = lambda z, w: np.prod([wk if zk > 0 else 0.0 for zk, wk in zip(z, w, strict=True)])  # noqa: E731
    assert "correct!" in verdict(capsys, _check("05", "check_path_gradient"), answer)


def test_level_variance_accepts_what_a_sweep_finds_and_says_what_it_measured(capsys):
    check = _check("05", "check_level_variance")
    # A sweep in steps of 0.1 may land on 1.9 (one network of finite width is noisy) ...
    out = verdict(capsys, check, lambda n: 1.9 / n)
    assert "correct!" in out and "exactly 2/n" in out
    # ... and the verdict says what 29 layers make of the difference: (c/2)^14.5.
    assert "(1.9/2)^14.5 = 0.48 times the level line" in out, out
    out = verdict(capsys, check, lambda n: 2.1 / n)
    assert "correct!" in out and "to 4.39 at layer 30" in out and "= 2 times" in out, out
    assert "level up to this one network's noise" in verdict(capsys, check, lambda n: 2 / n)
    # 1/n: 29 ReLU layers, each halving the power: the RMS falls by about 2^-14.5 = 4.3e-5.
    out = verdict(capsys, check, lambda n: 1 / n)
    assert "from 1 at layer 1 to 6.45e-05 at layer 30" in out, out


def test_predicted_ratio_accepts_the_measured_ratio_within_a_factor_3(capsys, solution):
    check = _check("04", "check_predicted_ratio")
    # The factor per layer, (weight size sqrt(1/3)) × (slope 0.25), over 19 steps.
    assert solution("04").predicted_ratio == pytest.approx((3**-0.5 / 4) ** 19, rel=1e-12)
    for factor in (2.5, 1 / 2.5):
        assert "correct!" in verdict(capsys, check, solution("04").predicted_ratio * factor)


def test_smallest_visible_gradient_is_just_above_half_the_spacing(solution):
    # float32 near 100 is 2^6 · 2^-23 = 2^-17 apart, by the format's definition.
    assert SPACING_100 == 2.0**-17
    w = np.float32(100.0)
    answer = solution("04").smallest_gradient
    assert answer == 2.0**-18
    assert w - np.float32(answer) == w  # exactly half is a tie: rounds back to 100 (even)
    assert w - np.float32(answer * 1.01) != w


def test_relu_gradient_answer_is_three_by_hand(solution):
    # The notes' network with ReLU units: path 1 = 1·1 × 1·1.5 × 1·1, path 2 is cut (z22 = -4).
    assert solution("04").relu_gradient == 2 * (1.5 + 0) == 3.0


def test_predicted_rms_message_states_the_two_numbers(capsys, solution):
    out = verdict(capsys, _check("06", "check_predicted_rms"), solution("06").predicted_rms)
    assert "2^-14.5 = 4.3e-05" in out and "sqrt 2 = 1.41" in out


def test_predicted_rms_matches_wide_relu_networks(solution):
    """The solution's prediction is what ReLU networks measure (an independent check).

    One narrow network drifts (its per-layer factors are random), so the mean square over
    20 networks is compared: the argument predicts the variance, an average over weights.
    """
    for init, v in (("xavier", 1.0), ("he", 2.0)):
        runs = [
            signal_profile(10, "relu", width=256, n_samples=256, init=init, seed=s)
            for s in range(20)
        ]
        measured = np.sqrt(np.mean(np.square(runs), axis=0))
        for layer in (1, 5, 10):
            assert measured[layer - 1] == pytest.approx(
                solution("06").predicted_rms(v, layer), rel=0.1
            )


# --- the shared verdicts (helpers/checks/common.py) --------------------------------------------


def run(capsys, test):
    result = check_exercise("Exercise 1", test)
    return result, capsys.readouterr().out


def test_untouched_exercise_says_not_attempted(capsys):
    def test():
        raise NotImplementedError

    ok, out = run(capsys, test)
    assert not ok and "Not attempted yet" in out


def test_wrong_answer_gets_the_sentence(capsys):
    def test():
        expect_close("σ'(0)", 0.5, 0.25, where="z = 0")

    ok, out = run(capsys, test)
    assert not ok and "σ'(0) at z = 0 is 0.5, expected 0.25." in out


def test_crash_is_a_sentence_not_a_traceback(capsys):
    def test():
        return 1 / 0

    ok, out = run(capsys, test)
    assert not ok and "ZeroDivisionError" in out and "Traceback" not in out


def test_right_answer(capsys):
    ok, out = run(capsys, lambda: expect_close("x", [1.0, 2.0], np.array([1.0, 2.0])))
    assert ok and "correct!" in out


def test_expect_close_names_shape_and_nan():
    for got, message in (([1.0], "shape"), (np.nan, "NaN"), ("a", "number")):
        try:
            expect_close("f(z)", got, 1.0)
        except Wrong as wrong:
            assert message in str(wrong)
        else:
            raise AssertionError("expected Wrong")
