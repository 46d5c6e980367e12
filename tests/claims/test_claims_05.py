"""Claims made in the prose of notebook 05 (ReLU), recomputed (issue 11).

Each test names the section of ``notebooks/05_relu.ipynb`` whose text it checks,
recomputes the number independently or from the helpers, and asserts that the
text a student reads states it (the ``states`` fixture of tests/claims/conftest.py),
so changing either side alone fails.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.dead_relu import ETAS, SEEDS, dead_units, dead_units_run
from helpers.definitions import gradient_regime
from helpers.mlp import forward, gradient_profile, init_params, layer_sizes_for, signal_profile
from helpers.plotting import plot_activation
from helpers.plotting.activations import DERIVATIVE_STYLE

from .conftest import cells_of

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "05_relu.ipynb"
CELLS = cells_of("05_relu")


# tests/claims/conftest.py's markdown_of reads markdown only; the questions' text is read here too.
def student_text(section: str | None = None) -> str:
    """What a student reads: the markdown, and the in-class questions' text (code cells).

    With ``section``: from the heading containing it to the next heading of the same or a
    higher level. Speaker notes (cell metadata) are not included.
    """
    parts = []
    for cell in CELLS:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif "Question(" in cell.source:
            parts.append(question_text(cell.source))
    text = "\n\n".join(parts)
    if section is None:
        return text
    headings = list(re.finditer(r"^(#{1,6}) (.*)$", text, flags=re.M))
    for i, heading in enumerate(headings):
        if section in heading.group(2):
            level = len(heading.group(1))
            end = next((h.start() for h in headings[i + 1 :] if len(h.group(1)) <= level), None)
            return text[heading.start() : end]
    raise LookupError(f"05_relu.ipynb has no heading containing {section!r}")


def question_text(source: str) -> str:
    """The prompt, options and explanations of a ``Question(...)`` cell, as a student reads them."""
    call = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Question"
    )
    prompt, options = (ast.literal_eval(arg) for arg in call.args[:2])
    return "\n\n".join([prompt, *(f"{option} {why}" for option, why in options.items())])


def notebook_function(name: str):
    """A function defined in one of the notebook's code cells, run in a namespace of its own."""
    for cell in CELLS:
        if cell.cell_type == "code" and f"def {name}(" in cell.source:
            namespace = {"np": np, "SEED": 0}
            exec(cell.source, namespace)  # noqa: S102 - the notebook's own, committed code
            return namespace[name]
    raise LookupError(f"no code cell defines {name}")


# --- 1. ReLU and its derivative --------------------------------------------------------------


def test_1_relu_derivative_and_the_figures_line_styles(states):
    relu = get_activation("relu")
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(relu.df(z), [0, 0, 0, 1, 1])  # 0 at the kink
    fig, ax = plt.subplots()
    lines = plot_activation("relu", ax=ax)
    plt.close(fig)
    assert lines["f"].get_linestyle() == "-"
    # Dash-dot: a dash, a gap, a short dot, a gap (DERIVATIVE_STYLE's on-off pattern).
    dash, _, dot, _ = DERIVATIVE_STYLE["linestyle"][1]
    assert dot < dash and lines["df"].get_linestyle() != "-"
    assert mcolors.to_hex(lines["df"].get_color()) == "#000000"
    assert states(student_text(), "ReLU (solid) is 0 for every $z \\le 0$")
    assert states(student_text(), "derivative (black, dash-dot) is 0 on the left")


# --- 2. Why ReLU helps ------------------------------------------------------------------------


def test_2_sigmoid_and_tanh_slopes_are_bounded_relu_is_one_on_active_units(states):
    # helpers' sigmoid' is clamped at 0.25, so its own maximum cannot exceed 0.25 whatever
    # its formula: compare it with slopes written out here instead, whose maxima are the claim.
    z = np.linspace(-20, 20, 400_001)
    q = np.exp(-np.abs(z))  # e^-|z| <= 1: no overflow
    reference = {"sigmoid": q / (1 + q) ** 2, "tanh": 4 * q**2 / (1 + q**2) ** 2, "relu": z > 0}
    for name, slope in reference.items():
        np.testing.assert_allclose(get_activation(name).df(z), slope, rtol=1e-12, atol=1e-300)
    sigmoid, tanh = reference["sigmoid"], reference["tanh"]
    assert z[np.argmax(sigmoid)] == 0 and sigmoid.max() == pytest.approx(0.25, abs=1e-15)
    assert z[np.argmax(tanh)] == 0 and np.all(tanh[z != 0] < 1) and tanh.max() == 1.0
    text = student_text("2. Why ReLU helps")
    assert states(text, "With sigmoid, $f'(z) \\le 0.25$ at every $z$")
    assert states(text, "with tanh, $f'(z) \\le 1$ with equality only at $z = 0$")
    assert states(text, "each slope is **exactly 1**")


def test_2_notebook_04s_profile_sigmoid_falls_over_20_decades_relu_with_he_stays_level(states):
    for n_samples in (32, 128):  # notebook 04's setting, and gradient_profile's default
        sigmoid = gradient_profile(30, "sigmoid", init="standard", n_samples=n_samples, seed=0)
        relu = gradient_profile(30, "relu", init="he", n_samples=n_samples, seed=0)
        decades = -math.log10(sigmoid.backprop_norm[0] / sigmoid.backprop_norm[-1])
        assert 20 < decades < 25
        assert gradient_regime(relu.backprop_norm[0] / relu.backprop_norm[-1]) == "level"
    text = student_text("2. Why ReLU helps")
    assert states(
        text, "ReLU's gradient stays level, while sigmoid's, with the standard initialisation,"
    )
    assert states(text, "falls by more than 20 orders of magnitude towards the input")


# --- 3. The sweep and He's initialisation --------------------------------------------------------


def test_3_the_notebooks_sweep_is_helpers_signal_profile(states):
    # The sweep written out in the notebook and the network the exercise check runs agree.
    rms_of_z = notebook_function("rms_of_z")
    for c in (0.5, 2.0):
        ours = rms_of_z(c)
        theirs = signal_profile(30, "relu", width=256, init="he", weight_scale=math.sqrt(c / 2))
        np.testing.assert_allclose(ours, theirs[:-1], rtol=1e-12)


def test_3_sweep_caption_shrinks_for_small_c_grows_for_4(states):
    rms_of_z = notebook_function("rms_of_z")
    half, one, four = rms_of_z(0.5), rms_of_z(1.0), rms_of_z(4.0)
    assert np.all(np.diff(half) < 0) and np.all(np.diff(one) < 0) and np.all(np.diff(four) > 0)
    caption = student_text()
    assert f"{one[-1]:.3g}" == "6.45e-05"
    assert states(caption, "with $c = 1$ to $6.45 \\cdot 10^{-5}$ at layer 30")
    assert 15_000 < one[0] / one[-1] < 16_000
    assert states(caption, "over 15,000 times smaller than at layer 1")
    assert round(four[-1], -4) == 70_000
    assert states(caption, "with $c = 4$ it grows to about $7 \\cdot 10^{4}$")
    # The prediction's answer: "more than 10,000 times smaller".
    assert states(caption, "or more than 10,000 times smaller?")


def test_3_exercise_one_network_at_c_2_is_level_within_a_factor_2_and_drifts_randomly(states):
    rms_of_z = notebook_function("rms_of_z")
    ratios = [rms_of_z(2.0, seed=seed)[-1] / rms_of_z(2.0, seed=seed)[0] for seed in range(5)]
    assert all(0.5 < r < 2 for r in ratios)
    assert ratios[0] == max(ratios) and min(ratios) < 1  # seed 0 drifts most; others less, or down
    text = student_text("Exercise 2")
    assert states(text, "within a factor of 2 or so: one random network is a noisy measurement")
    he = rms_of_z(2.0)
    assert (f"{he[0]:.3g}", f"{he[-1]:.3g}") == ("1.42", "2.11")
    assert states(student_text("Why 2"), "He's drifts from 1.42 to 2.11 in this one network")
    assert states(student_text("Why 2"), "other seeds wander less, or down")


def test_3_he_theory_rms_root_c_then_root_half_c_per_layer_and_the_misses(states):
    rms_of_z = notebook_function("rms_of_z")
    misses, shrinks = [], []
    for c in (1 / 3, 1.0, 2.0):
        rms = rms_of_z(c)
        assert rms[0] == pytest.approx(math.sqrt(c), rel=0.01)
        theory_30 = math.sqrt(c) * math.sqrt(c / 2) ** 29  # 29 layers after layer 1
        misses.append(rms[-1] / theory_30)
        shrinks.append(round(math.log10(rms[0] / rms[-1])))
    # "all three rows miss the theory by the same factor, 1.49": same draws, scaled, through ReLU.
    assert max(misses) / min(misses) == pytest.approx(1.0, abs=1e-9)
    assert f"{misses[0]:.3g}" == "1.49"
    assert shrinks[:2] == [11, 4]  # standard 10^11-fold, Xavier 10^4-fold
    text = student_text("Why 2")
    assert states(text, "all three rows miss the theory by the same factor, 1.49")
    assert states(text, "shrink the RMS $10^{11}$-fold and $10^4$-fold from layer 1 to layer 30")
    assert states(text, "multiplied by $\\sqrt{c/2}$ at each of the 29 layers after it")
    assert states(text, "\\operatorname{Var}(w) = \\frac{2}{n}")
    assert states(text, "with He's $c = 2$ it stays at $\\sqrt{2} \\approx 1.41$")
    # The standard initialisation: uniform on ±1/sqrt(n) has variance 1/(3n), c = 1/3.
    n, limit = 256, 1 / math.sqrt(256)
    assert (2 * limit) ** 2 / 12 * n == pytest.approx(1 / 3)
    assert states(text, "has $c = 1/3$, Xavier's for a square layer $c = 1$, He's $c = 2$ (the")


def test_3_summary_each_layer_multiplies_the_rms_by_root_half_c(states):
    rms_of_z = notebook_function("rms_of_z")
    for c in (0.5, 1.0, 2.0, 4.0):
        rms = rms_of_z(c)
        per_layer = (rms[-1] / rms[0]) ** (1 / 29)
        assert per_layer == pytest.approx(math.sqrt(c / 2), rel=0.03)
    assert states(student_text("Summary"), "multiplies the RMS of $z$ by $\\sqrt{c/2}$")


# --- 4. What ReLU does not fix ------------------------------------------------------------------


def test_4_1_standard_init_relu_gradient_falls_10_to_the_12(states):
    p = gradient_profile(30, "relu", init="standard", seed=0)
    ratio = p.backprop_norm[0] / p.backprop_norm[-1]
    assert round(math.log10(ratio)) == -12 and gradient_regime(ratio) == "vanishing"
    assert states(student_text("4.1"), "layer 1 gets about $10^{-12}$ of layer 30's")
    assert states(student_text("Summary"), "ReLU's gradient fell $10^{12}$-fold over 30 layers")
    assert states(student_text("4. What ReLU"), "gradient falls about 10^12-fold towards the input")


def test_4_1_depth_explorer_relu_standard_falls_further_than_tanh_and_twice_he_explodes(states):
    # Notebook 04's DepthExplorer: width 32, 32 samples, seed 0.
    def ratio(activation, depth, init, scale=1.0):
        p = gradient_profile(
            depth, activation, width=32, init=init, weight_scale=scale, n_samples=32, seed=0
        )
        return p.backprop_norm[0] / p.backprop_norm[-1]

    assert ratio("relu", 50, "standard") < ratio("tanh", 50, "standard") < 0.1
    for depth in (10, 20, 30, 50):
        assert gradient_regime(ratio("relu", depth, "he", 2.0)) == "exploding"
    text = student_text("4.1")
    assert states(text, "at 50 layers ReLU's gradient falls further than tanh's with the same")
    assert states(text, "the *weight scale* to 2, and the gradient grows towards the input")
    # Question 1: weights twice He's also make the signal grow at every layer.
    rms = signal_profile(30, "relu", width=256, init="he", weight_scale=2.0)
    assert np.all(np.diff(rms[:-1]) > 0)
    assert states(student_text(), "Weights twice He's make the signal and the gradient grow")


@pytest.fixture(scope="module")
def fresh_network():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 128))
    params = init_params(layer_sizes_for(128, 10, 128), "he", rng=rng)
    return params, X, forward(params, X, "relu").activations[1:]


def test_4_2_zero_fraction_between_45_and_55_percent(fresh_network, states):
    _, _, hidden = fresh_network
    zero = np.array([np.mean(a == 0) for a in hidden])
    assert np.all((0.45 <= zero) & (zero <= 0.55))
    assert states(student_text("4.2"), "Between 45 % and 55 % in every layer")
    assert states(student_text(), "about half the outputs are zero for any input")


def test_4_2_dead_units_none_in_three_layers_17_in_layer_8_and_the_cosine(fresh_network, states):
    params, X, hidden = fresh_network
    dead = dead_units(params, X)
    assert np.all(dead[:3] == 0) and dead.max() == 17 and dead[7] == 17
    text = student_text("4.2")
    assert states(text, "None in the first three layers, up to 17 of 128 in layer 8")
    assert states(text, "none in the first three layers, at most 17 of 128 deeper in")
    # ... "against about 64 zero outputs per input": half of 128 units, for each input.
    per_input = np.mean([np.mean(a == 0, axis=1).mean() * a.shape[1] for a in hidden])
    assert round(per_input / 10) * 10 == 60 and abs(per_input - 64) < 3
    assert states(text, "against about 64 zero outputs per input")
    assert states(student_text("Exercise 3"), "you should get 17/128")

    def mean_cosine(a):
        unit = a / np.linalg.norm(a, axis=1, keepdims=True)
        cosine = unit @ unit.T
        return cosine[~np.eye(len(a), dtype=bool)].mean()

    assert (round(mean_cosine(hidden[0]), 2), round(mean_cosine(hidden[-1]), 2)) == (0.33, 0.86)
    assert states(text, "grows from 0.33 at layer 1 to 0.86 at layer 10")


@pytest.fixture(scope="module")
def runs():
    every = (dead_units_run(eta, seed=seed) for seed in SEEDS for eta in ETAS)
    return {(run.seed, run.eta): run for run in every}


def test_4_3_the_dead_relu_table_as_the_text_reads_it(runs, states):
    text = student_text("4.3")
    # "Up to eta = 0.1 each count stays within 4 of its start", in layers 2 to 4.
    for seed in SEEDS:
        start = runs[seed, 0.01].dead[0]
        assert start[0] == 0 and start.sum() > 0  # dead from the start: layers 2 to 4 only
        for eta in (0.01, 0.03, 0.1):
            assert abs(int(runs[seed, eta].final_dead.sum()) - int(start.sum())) <= 4
    for seed in SEEDS:  # ... "all of them in layers 2 to 4"
        assert all(runs[seed, eta].final_dead[0] == 0 for eta in (0.01, 0.03, 0.1))
    assert states(text, "each count stays within 4 of its start, all of them in layers 2 to 4")
    # Seed 1 climbs from 0.3: 6 -> 13, and 6 -> 25 at 1.
    seed1 = [int(runs[1, eta].final_dead.sum()) for eta in (0.01, 0.3, 1.0)]
    assert int(runs[1, 0.3].dead[0].sum()) == 6 and seed1 == [5, 13, 25]
    assert states(text, "Seed 1 climbs from $\\eta = 0.3$ (6 → 13, and 6 → 25 at $\\eta = 1$)")
    assert states(text, "With seed 1, 6 of the 128 units are dead at the start, and after 100")
    # At eta = 3: 119 and 124 dead, the last layer all dead, the loss at ln 2.
    for seed, total in ((1, 119), (2, 124)):
        run = runs[seed, 3.0]
        assert run.diverged_at is None and run.final_dead.sum() == total
        assert run.final_dead[-1] == run.width
        assert run.final_loss == pytest.approx(math.log(2), abs=5e-4)
    assert states(text, "119 (seed 1) and 124 (seed 2) of the 128 units are dead")
    assert states(text, "the loss settles at $\\ln 2 \\approx 0.693$: the last hidden layer is all")
    assert runs[0, 2.0].diverged_at is not None and runs[0, 3.0].diverged_at is not None
    assert all(runs[0, eta].diverged_at is None for eta in ETAS if eta < 2)
    assert states(text, "Seed 0 diverges at $\\eta = 2$ and 3.")


def test_4_3_figure_caption_4_to_20_percent_up_to_eta_1(runs, states):
    shares = [
        100 * run.final_dead.sum() / run.n_units
        for (seed, eta), run in runs.items()
        if eta <= 1 and run.diverged_at is None
    ]
    assert round(min(shares)) == 4 and round(max(shares)) == 20
    assert all(runs[seed, 3.0].final_dead.sum() / 128 > 0.9 for seed in (1, 2))
    assert states(student_text(), "4-20 % up to $\\eta = 1$, then a steep rise, to nearly all")


def test_4_3_think_layer_1_loses_the_fewest_units_at_almost_every_eta(runs, states):
    fewest = [run.final_dead[0] <= run.final_dead[1:].min() for run in runs.values()]
    assert sum(fewest) >= len(fewest) - 1
    assert states(student_text(), "hidden layer 1 loses the fewest units at almost every")


# --- 6. What came after (optional) ---------------------------------------------------------------


def test_6_successors_minima_gelu_accuracy_and_gpt2_approximation(states):
    z = np.linspace(-6, 2, 800_001)
    gelu, silu = get_activation("gelu"), get_activation("silu")
    assert round(gelu.f(z).min(), 2) == -0.17 and round(silu.f(z).min(), 2) == -0.28
    text = student_text("6. What came after")
    assert states(text, "dips to $-0.17$") and states(text, "dips to $-0.28$")
    # Exact GELU against the standard library's erf, and GPT-2's tanh form against it.
    grid = np.linspace(-8, 8, 16_001)
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in grid])
    assert np.max(np.abs(gelu.f(grid) - exact)) < 1e-14
    tanh_form = 0.5 * grid * (1 + np.tanh(math.sqrt(2 / math.pi) * (grid + 0.044715 * grid**3)))
    assert 4e-4 < np.max(np.abs(tanh_form - exact)) < 5e-4
    assert states(text, "to about $10^{-15}$") and states(text, "by up to $5 \\cdot 10^{-4}$")
    assert round(float(gelu.df(-1.0)), 3) == -0.083
    assert states(student_text("every activation, one at a time"), "the slope is $-0.083$")
    leaky = get_activation("leaky_relu")
    assert leaky.df(-5.0) == pytest.approx(0.01) and leaky.f(-1.0) == pytest.approx(-0.01)
    elu = get_activation("elu")
    assert elu.f(-50.0) == pytest.approx(-1.0)


# --- speaker notes and the timing cell: numbers a lecturer reads aloud ---------------------------


def speaker_notes(heading: str) -> str:
    """The speaker notes of the heading cell whose first line contains ``heading``."""
    for cell in CELLS:
        if cell.cell_type == "markdown" and heading in cell.source.splitlines()[0]:
            return cell.metadata["speaker_notes"]
    raise LookupError(f"05_relu.ipynb has no heading containing {heading!r}")


def test_1_the_helpers_sigmoid_is_many_times_slower_than_relu(states):
    import timeit

    z = np.random.default_rng(0).standard_normal(1_000_000)
    relu, sigmoid = get_activation("relu"), get_activation("sigmoid")
    seconds = {
        name: min(timeit.repeat(lambda act=act: act.f(z), number=2, repeat=3))
        for name, act in (("relu", relu), ("sigmoid", sigmoid))
    }
    assert seconds["sigmoid"] > 3 * seconds["relu"]  # measured 12-22 times on a shared machine
    text = student_text("1. ReLU and its derivative")
    assert states(text, "of two forms to stay stable (notebook 02), is many times slower")


def test_2_speaker_notes_read_the_three_products_aloud(states):
    products = [get_activation(n).df(1.0) ** 10 for n in ("sigmoid", "tanh", "relu")]
    assert [f"{p:.0e}" for p in products[:2]] == ["9e-08", "2e-04"] and products[2] == 1
    assert states(speaker_notes("2. Why ReLU helps"), "(about 9·10^-8, 2·10^-4, exactly 1)")


def test_3_speaker_notes_the_sweep_pins_c_to_about_2(states):
    rms_of_z = notebook_function("rms_of_z")
    end = {c: rms_of_z(c)[-1] / rms_of_z(c)[0] for c in (1.9, 2.0, 2.1)}
    assert (f"{end[1.9]:.2f}", f"{end[2.0]:.2f}", round(end[2.1])) == ("0.71", "1.49", 3)
    notes = speaker_notes("Exercise 2")
    assert states(notes, "c = 1.9 ends at 0.71 times its start and c = 2 at 1.49 times")
    assert states(notes, "but c = 2.1 ends 3 times up")
    one = rms_of_z(1.0)
    assert round(2**14.5, -3) == 23_000 and round(one[0] / one[-1], -2) == 15_500
    assert states(speaker_notes("3. Find the weight scale"), "about 23,000 times in")
    assert states(speaker_notes("3. Find the weight scale"), "(15,500 in this network)")


def test_4_3_ln_2_is_the_cross_entropy_of_one_answer_for_two_balanced_classes(runs, states):
    from helpers.datasets import make_dataset

    for seed in (1, 2):
        _, y = make_dataset("moons", n_samples=100, seed=seed)
        assert y.mean() == 0.5  # balanced: the best constant answer is 1/2
    assert -math.log(0.5) == pytest.approx(math.log(2))
    assert states(
        student_text("4.3"),
        "the best single answer for two balanced classes is a probability of 1/2, whose "
        "cross-entropy is $\\ln 2$",
    )
