"""Notebook 06's claims in prose, recomputed (issue 11).

Each test names the section, recomputes the number independently of the notebook's
outputs (from the helpers, or from first principles) and asserts that the text a
student reads states it, so changing either side alone fails.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.datasets import two_spirals
from helpers.definitions import SATURATION_FRACTION, dead_units, gradient_regime
from helpers.mlp import (
    fit,
    forward,
    gradient_profile,
    init_params,
    layer_sizes_for,
    loss,
    loss_and_gradients,
    predict_proba,
    signal_profile,
)

from .conftest import cells_of

NB = "06_deep_network_lab"
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SEED = 0


def code_text() -> str:
    """The text of the in-class questions: every string in a ``Question(...)`` cell, joined."""
    strings = []
    for cell in cells_of(NB):
        if cell.cell_type == "code" and "Question(" in cell.source:
            tree = ast.parse(cell.source)
            strings += [
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            ]
    return "\n".join(strings)


def says(text: str, *claims: str) -> None:
    """Assert that ``text`` states every claim (any run of whitespace matches any other).

    A quoted block's ``>`` markers are read as whitespace, as a reader sees them.
    """
    flat = " ".join(re.sub(r"^>[ ]?", " ", text, flags=re.M).split())
    for claim in claims:
        assert " ".join(claim.split()) in flat, f"{NB} should state: {claim!r}"


@pytest.fixture(scope="module")
def side_by_side(moons):
    X, y = moons
    settings = dict(depth=10, width=32, init="xavier", eta=0.2, steps=300, seed=SEED)
    return {a: fit(X, y, activation=a, **settings) for a in ("sigmoid", "relu")}


# --- 1. A network you can read ---------------------------------------------------------


def test_s1_finite_difference_agrees_to_about_eight_digits(moons, markdown_of):
    X, y = moons
    params = init_params(layer_sizes_for(2, depth=3, width=8), "xavier", rng=SEED)
    _, grads = loss_and_gradients(params, X, y, "tanh")
    eps = 1e-6
    params[0][0][1, 3] += eps
    up = loss(params, X, y, "tanh")
    params[0][0][1, 3] -= 2 * eps
    down = loss(params, X, y, "tanh")
    relative = abs((up - down) / (2 * eps) / grads[0][0][1, 3] - 1)
    assert 1e-11 < relative < 1e-9  # ten digits, not sixteen: the rounding noise of the loss
    noise = np.finfo(float).eps * up / (2 * eps)  # the loss's last digit, divided by 2 eps
    assert 0.1 < relative / (noise / abs(grads[0][0][1, 3])) < 100
    says(
        markdown_of(NB, "1. A network you can read"),
        "They agree to all ten printed digits. The relative difference, about $10^{-10}$",
    )


def test_s1_the_notebooks_code_is_what_fit_does(moons, markdown_of):
    """Run the notebook's own network code (its cells, by id) against helpers.mlp.fit."""
    by_id = {c.id: c.source for c in cells_of(NB)}
    namespace = {"np": np, "get_activation": get_activation}
    for cell_id in ("5d0a1b2c", "6e1b2c3d"):
        exec(compile(by_id[cell_id], f"{NB}:{cell_id}", "exec"), namespace)
    X, y = moons
    start = init_params(layer_sizes_for(2, depth=3, width=8), "xavier", rng=SEED)
    _, losses = namespace["gradient_descent"](start, X, y, get_activation("tanh"), 0.5, 300)
    run = fit(
        X, y, depth=3, width=8, activation="tanh", init="xavier", eta=0.5, steps=300, seed=SEED
    )
    np.testing.assert_allclose(run.history.loss, losses, rtol=1e-9, atol=1e-12)
    lines = [
        line
        for cell_id in ("5d0a1b2c", "6e1b2c3d")
        for line in by_id[cell_id].splitlines()
        if line.strip() and not line.strip().startswith(("#", '"""'))
    ]
    assert 30 <= len(lines) <= 45, len(lines)
    says(markdown_of(NB), "about 40 lines of NumPy")
    says(
        markdown_of(NB, "1. A network you can read"),
        "This is what `helpers.mlp.fit` does, plus statistics.",
        "the same loss curve",
    )


# --- 2. Vocabulary -------------------------------------------------------------------------


def test_s2_saturation_thresholds_are_the_courses_definition(markdown_of):
    assert SATURATION_FRACTION == 0.1
    sigmoid, tanh = get_activation("sigmoid"), get_activation("tanh")
    # sigmoid: s (1 - s) = 0.1 * 0.25  ->  s = (1 - sqrt(1 - 0.1)) / 2
    s = (1 - math.sqrt(1 - SATURATION_FRACTION)) / 2
    z_sigmoid = math.log((1 - s) / s)
    assert sigmoid.df(z_sigmoid) == pytest.approx(0.1 * 0.25)
    # tanh: 1 - t^2 = 0.1  ->  t = sqrt(0.9)
    t = math.sqrt(1 - SATURATION_FRACTION)
    z_tanh = math.atanh(t)
    assert tanh.df(z_tanh) == pytest.approx(0.1)
    text = markdown_of(NB, "2. Train one network")
    says(
        text,
        "below 10 % of the activation's peak slope",
        f"sigmoid output below {s:.3f} or above {1 - s:.3f}, $|z| > {z_sigmoid:.2f}$",
        f"$|\\tanh z| > {t:.3f}$, $|z| > {z_tanh:.2f}$",
    )


# --- 3. Side by side ------------------------------------------------------------------------


def test_s3_sigmoid_and_relu_gradient_ratios(side_by_side, markdown_of):
    g = {a: r.history.backprop_norm[0] for a, r in side_by_side.items()}
    ratio = {a: g[a][0] / g[a][-1] for a in g}
    per_layer = {a: ratio[a] ** (1 / 9) for a in g}
    assert round(1 / per_layer["sigmoid"]) == 4  # "about four per layer"
    assert 2e5 < 1 / ratio["sigmoid"] < 1e6  # "hundreds of thousands", "about 500,000"
    assert round(per_layer["relu"], 2) == 0.66
    assert 35 < 1 / ratio["relu"] < 50  # "about 1/40"
    assert gradient_regime(ratio["relu"]) == "vanishing"
    assert side_by_side["sigmoid"].final_loss == pytest.approx(math.log(2), abs=0.01)
    assert side_by_side["relu"].final_loss < 0.01
    text = markdown_of(NB, "3. Side by side")
    says(
        text,
        "shrinks by a factor of about four per layer",
        "hundreds of thousands of times smaller",
        "The ReLU network's gradient shrinks too, by about 0.66 per layer",
        "layer 1 gets about 1/40 of layer 10's gradient, *vanishing* by this course's definition",
        "that is a factor of 40, not of 500,000",
        "But 0.66 per layer is not 0.23",
    )


def test_s3_heatmap_relu_ratio_over_training(side_by_side, markdown_of):
    # The heatmap shows each layer's gradient divided by layer 10's, capped at 1e-3 and 1e3.
    g = {a: r.history.backprop_norm for a, r in side_by_side.items()}
    relu = g["relu"][:, 0] / g["relu"][:, -1]
    assert relu[0] < 0.1  # pale blue at the start
    assert 0 < int(np.argmax(relu > 1)) <= 30  # "by step 30 layer 1 gets more than layer 10"
    assert 12 <= relu[100:].min() and relu[100:].max() <= 18  # "12 to 18 times more"
    sigmoid = g["sigmoid"][0] / g["sigmoid"][0, -1]
    assert sigmoid[4] < 1e-3 < sigmoid[5]  # "from layer 5 down ... past the scale's 10^-3"
    says(
        markdown_of(NB, "3. Side by side"),
        "by step 30 layer 1 gets more than layer 10",
        "from step 100 on, with the moons separated, 12 to 18 times more (red)",
        "from layer 5 down the ratio is past the scale's $10^{-3}$",
    )


def test_s3_rough_predictions_and_think_answer(markdown_of):
    assert 0.25**9 == pytest.approx(3.8e-6, rel=0.01)
    assert math.sqrt(0.5) ** 9 == pytest.approx(0.044, rel=0.01)
    assert get_activation("sigmoid").df(0.0) == 0.25
    assert 4**9 == pytest.approx(2.6e5, rel=0.01)
    text = markdown_of(NB, "3. Side by side")
    says(
        text,
        "The sigmoid's slope at 0 is only 0.25",
        r"$4^9 \approx 2.6 \cdot 10^5$",
        "its outputs have mean 0.5, not 0, which drives the top hidden layer into saturation",
    )
    assert "for exactly this reason" not in markdown_of(NB)
    assert "four times larger" not in markdown_of(NB)


def test_s3_half_the_relu_outputs_are_zero_and_some_units_dead_at_step_0(moons, markdown_of):
    X, _ = moons
    params = init_params(layer_sizes_for(2, depth=10, width=32), "xavier", rng=SEED)
    hidden = forward(params, X, "relu").activations[1:]
    zero = np.mean([np.mean(a == 0) for a in hidden])
    assert 0.4 < zero < 0.6
    dead = [int(dead_units(a).sum()) for a in hidden]
    assert dead[0] == 0 and sum(dead) == 76 and len(hidden) * 32 == 320
    says(
        markdown_of(NB, "3. Side by side"),
        "about half of the outputs are zero for any given input",
        "76 of the 320 hidden units are zero for all 256 inputs at step 0 (none in layer 1;",
    )


def test_s2_tanh_layers_stay_within_a_factor_of_ten(moons, markdown_of):
    X, y = moons
    run = fit(
        X, y, depth=6, width=16, activation="tanh", init="xavier", eta=0.3, steps=300, seed=SEED
    )
    b = run.history.backprop_norm
    ratio = b[:, 0] / b[:, -1]
    assert round(ratio.min(), 2) == 0.57 and round(ratio.max()) == 10
    assert np.sum(np.diff(run.history.loss) > 0.01) >= 3  # "a few spikes"
    says(
        markdown_of(NB, "2. Train one network"),
        "layer 1 gets between 0.57 and 10 times layer 6's",
        "The loss falls, with a few spikes",
    )


def test_s3_sigmoid_sits_on_ln2_and_dead_units_come_back(moons, side_by_side, markdown_of):
    X, _ = moons
    loss = side_by_side["sigmoid"].history.loss
    assert abs(loss[5] - math.log(2)) < 1e-3 and np.abs(loss[10:] - math.log(2)).max() < 1e-6
    p = predict_proba(side_by_side["sigmoid"].params, X, "sigmoid")
    assert np.abs(p - 0.5).max() < 1e-6  # "within a hair of 0.5"
    start = init_params(layer_sizes_for(2, depth=10, width=32), "xavier", rng=SEED)
    before = [dead_units(a) for a in forward(start, X, "relu").activations[1:]]
    after = [dead_units(a) for a in forward(side_by_side["relu"].params, X, "relu").activations[1:]]
    assert sum(int((b & ~a).sum()) for b, a in zip(before, after, strict=True)) == 30
    says(
        markdown_of(NB, "3. Side by side"),
        "drops to ln 2 within a few steps and sits there",
        "within a hair of 0.5",
        "Training brings 30 of those 76 back to life",
    )
    says(
        markdown_of(NB, "2. Train one network"),
        "only changes in the layers below it can bring it back",
    )


def _sigmoid_network(weight_scale):
    profile = gradient_profile(
        30, "sigmoid", width=256, init="xavier", weight_scale=weight_scale, n_samples=128, seed=SEED
    )
    ratio = profile.backprop_norm[0] / profile.backprop_norm[-1]
    # the same network's outputs: gradient_profile draws X, y, then the weights from one seed
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((128, 256))
    rng.integers(0, 2, size=128)
    params = init_params(layer_sizes_for(256, 30, 256), "xavier", rng, weight_scale=weight_scale)
    a = np.concatenate([h.ravel() for h in forward(params, X, "sigmoid").activations[1:]])
    slope = a * (1 - a) / 0.25
    return ratio, ratio ** (1 / 29), float(np.mean(slope < SATURATION_FRACTION)), float(a.mean())


def test_s3_question_a_critical_weight_scale_for_sigmoid(markdown_of):
    _, at_4, _, _ = _sigmoid_network(4)
    _, at_10, saturated_10, mean_10 = _sigmoid_network(10)
    ratio_16, _, saturated_16, _ = _sigmoid_network(16)
    assert round(at_4, 2) == 0.64
    assert round(at_10, 2) == 0.98
    assert 0.5 < saturated_10 < 0.7 and mean_10 == pytest.approx(0.5, abs=0.03)
    assert 400 < ratio_16 < 800 and gradient_regime(ratio_16) == "exploding"
    assert 0.65 < saturated_16 < 0.85  # "about three quarters"
    # Mean field, independently: chi = s_w^2 E[sigma'(z)^2], z ~ N(0, q*), q* = s_w^2 E[sigma(z)^2]
    x, w = np.polynomial.hermite_e.hermegauss(301)
    w = w / w.sum()

    def chi(s_w):
        q = 1.0
        for _ in range(300):
            q = s_w**2 * np.sum(w / (1 + np.exp(-np.sqrt(q) * x)) ** 2)
        s = 1 / (1 + np.exp(-np.sqrt(q) * x))
        return s_w**2 * np.sum(w * (s * (1 - s)) ** 2)

    assert chi(4) < 0.5 and chi(9.5) < 1 < chi(10.5)  # the critical scale is near 10
    code = code_text()
    says(
        code,
        "Xavier's weights times 4 still shrink the",
        "about 0.64 per layer; times 10 keep it about level (0.98 per layer)",
        "more than half of the outputs are saturated",
        "the outputs average 0.5, not 0",
        "600 times layer 30's gradient",
    )
    says(markdown_of(NB, "Think! (optional)"), "about 600", "about three quarters")


# --- 5. The literature -------------------------------------------------------------------


def test_s5_1_glorot_bengio_gradient_profiles(markdown_of):
    p = {
        init: gradient_profile(5, "tanh", width=64, init=init, n_samples=64, seed=SEED)
        for init in ("standard", "xavier")
    }
    ratio = {i: q.backprop_norm[0] / q.backprop_norm[-1] for i, q in p.items()}
    assert round(ratio["standard"] ** 0.25, 1) == 0.5  # "by about half per layer"
    assert ratio["xavier"] ** 0.25 > 0.8  # "much less"
    says(markdown_of(NB, "5.1"), "falls by about half per layer", "it falls much less")


def test_s5_2_top_sigmoid_layer_pushed_toward_zero(markdown_of):
    X10, y10 = two_spirals(1000, noise=0.05, rng=SEED, n_classes=10)
    run = fit(
        X10,
        y10,
        depth=4,
        width=100,
        activation="sigmoid",
        init="standard",
        eta=0.5,
        steps=600,
        batch_size=10,
        seed=SEED,
    )
    m = run.history.mean_activation
    assert round(m[0, 3], 2) == 0.49
    assert round(m[50, 3] / m[0, 3], 1) == 0.3  # "about a third of that within 50 steps"
    assert m[-1, 3] < m[50, 3]  # "keeps falling"
    assert all(0.5 <= v <= 0.75 for v in m[-1, :3])
    says(
        markdown_of(NB, "5.2"),
        "drops from 0.49 to about a third of that within 50 steps and keeps falling",
        "stay between 0.5 and 0.75",
    )


def test_s5_3_he_halving_argument(markdown_of):
    assert np.sqrt(2.0**-29) == pytest.approx(4.3e-5, rel=0.01)  # 29 halvings of the variance
    signal = {
        i: signal_profile(30, "relu", width=64, n_samples=64, init=i, seed=SEED)
        for i in ("xavier", "he")
    }
    assert round(signal["he"][0], 2) == round(math.sqrt(2), 2) == 1.41
    assert round(signal["he"][29], 2) == 1.09
    assert round(100 * (1 - signal["he"][29] / math.sqrt(2))) == 23
    assert round(np.log2(signal["xavier"][29]), 1) == -15.1
    at_30 = {
        i: np.array(
            [
                signal_profile(30, "relu", width=64, n_samples=64, init=i, seed=s)[29]
                for s in range(20)
            ]
        )
        for i in ("xavier", "he")
    }
    rms = {i: np.sqrt(np.mean(v**2)) for i, v in at_30.items()}
    assert round(np.log2(rms["xavier"]), 1) == -14.5
    assert round(rms["he"], 2) == 1.31
    assert round(np.median(at_30["he"]), 2) == 1.06
    text = markdown_of(NB, "5. Check the literature")
    says(
        text,
        r"at layer 30 the RMS is $2^{-14.5} \approx 4.3 \cdot 10^{-5}$",
        "halves at each of the 29 layers above it",
        r"the RMS of $z$ is $\sqrt{2} \approx 1.41$ at every layer",
        r"Seed 0's He network ends at 1.09, 23 % below $\sqrt{2}$,",
        r"its Xavier network at $2^{-15.1}$",
        r"comes out at $2^{-14.5}$ and 1.31",
        "the median network sits lower (1.06)",
    )
    assert "stays near 1" not in markdown_of(NB)


def test_s5_4_bound_on_real_weights(moons, markdown_of):
    X, y = moons
    from helpers.mlp import backward

    deep = init_params(
        layer_sizes_for(2, depth=10, width=32), "standard", rng=SEED, weight_scale=3.0
    )
    _, _, da = backward(deep, forward(deep, X, "sigmoid"), y, "sigmoid")
    factors = [
        np.linalg.norm(da[k - 1], axis=1) / np.linalg.norm(da[k], axis=1) for k in range(1, 10)
    ]
    bounds = [0.25 * np.linalg.norm(deep[k][0], 2) for k in range(1, 10)]
    used = max((f / b).max() for f, b in zip(factors, bounds, strict=True))
    assert round(used, 1) == 0.5  # "about half of its bound"
    median = np.median(factors)
    assert round(median, 2) == 0.37 and round(math.log10(median**9)) == -4
    text = markdown_of(NB, "5.4")
    says(
        text,
        "The largest factor uses about half of its bound",
        r"$0.37^9 \approx 10^{-4}$",
        "no measurement can break it",
    )
