"""Notebook 07's claims in prose, recomputed (issue 11).

Each test names the section, recomputes the number with the helpers (or in a few
lines of NumPy, independently of the notebook's cells) and asserts that the text a
student reads states it, so changing either side alone fails.
"""

from __future__ import annotations

import ast
import math

import nbformat
import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.datasets import two_moons
from helpers.definitions import SATURATION_FRACTION, gradient_regime
from helpers.mlp import NORM_EPS, backward, fit, forward, init_params, layer_sizes_for
from helpers.plotting.training import relative_gradient

from .conftest import NOTEBOOKS, markdown_of, states

NB = "07_beyond_relu"
SEED = 0


def says(text: str, *claims: str) -> None:
    for claim in claims:
        assert states(text, claim), f"{NB} should state: {claim!r}"


def question_text() -> str:
    """Every string of the notebook's ``Question(...)`` cells, joined."""
    cells = nbformat.read(NOTEBOOKS / f"{NB}.ipynb", as_version=4).cells
    strings = []
    for cell in cells:
        if cell.cell_type == "code" and "Question(" in cell.source:
            strings += [
                node.value
                for node in ast.walk(ast.parse(cell.source))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            ]
    return "\n".join(strings)


@pytest.fixture(scope="module")
def moons():
    return two_moons(256, noise=0.1, rng=SEED)


def step0_ratio(run) -> float:
    g = run.history.backprop_norm
    return g[0, 0] / g[0, -1]


# --- 1. Residual connections -------------------------------------------------------


def test_s1_thirty_sigmoid_layers_plain_and_with_skips(moons):
    X, y = moons
    params = init_params(layer_sizes_for(2, depth=30, width=16), "xavier", rng=SEED)
    ratio = {}
    for skip in (False, True):
        _, _, da = backward(
            params, forward(params, X, "sigmoid", skip=skip), y, "sigmoid", skip=skip
        )
        size = [np.sqrt(np.mean(np.sum(g * g, axis=1))) for g in da]
        ratio[skip] = size[0] / size[-1]
    assert f"{ratio[False]:.0e}".endswith("e-19") and gradient_regime(ratio[False]) == "vanishing"
    assert f"{ratio[False] ** (1 / 29):.2f}" == "0.23"
    assert f"{ratio[True]:.1f}" == "1.3" and gradient_regime(ratio[True]) == "level"
    says(
        markdown_of(NB, "1. Residual connections"),
        "layer 1 gets about $10^{-19}$ of layer 30's gradient: 0.23 per layer",
        "With skips, layer 1 gets 1.3 times layer 30's",
    )
    summary = markdown_of(NB, "Summary")
    says(summary, "the plain network loses about 4 per layer")
    assert 1 / ratio[False] ** (1 / 29) == pytest.approx(4, abs=0.5)


def test_s1_question_zero_terms_leave_the_identity():
    # Each factor I + diag(f') W^T with f' W = 0 is I: 29 of them pass the gradient unchanged.
    g = np.random.default_rng(1).normal(size=16)
    out = g.copy()
    for _ in range(29):
        out = out @ (np.eye(16) + 0.0)
    assert np.array_equal(out, g)
    assert "Exactly the gradient at layer 30" in question_text()


# --- 2. Normalisation ----------------------------------------------------------------


def test_s2_saturation_edge_and_epsilon():
    sigmoid = get_activation("sigmoid")
    s = (1 - math.sqrt(1 - SATURATION_FRACTION)) / 2  # sigma (1 - sigma) = 0.1 * 0.25
    edge = math.log((1 - s) / s)
    assert f"{edge:.2f}" == "3.64" and sigmoid.df(edge) == pytest.approx(0.025)
    text = markdown_of(NB, "2. Normalisation")
    says(text, "$|u| > 3.64$", "beyond about $\\pm 3.6$", "$\\varepsilon = 10^{-5}$")
    assert NORM_EPS == 1e-5


def test_s2_share_of_saturated_values_fed_to_f(moons):
    X, _ = moons
    sizes = layer_sizes_for(2, depth=30, width=16)
    params = init_params(sizes, "xavier", rng=SEED, weight_scale=10.0)
    plain = forward(params, X, "sigmoid").f_inputs
    share = np.mean([np.mean(np.abs(u) > 3.64) for u in plain])
    assert f"{share:.0%}" == "55%"
    normed = init_params(sizes, "xavier", rng=SEED, weight_scale=10.0, norm="batch")
    fed = forward(normed, X, "sigmoid", norm="batch").f_inputs
    assert np.mean([np.mean(np.abs(u) > 3.64) for u in fed]) < 0.005  # "almost none"
    for u in fed:  # mean 0 and variance 1 per unit over the batch, whatever the weights
        assert np.allclose(u.mean(axis=0), 0, atol=1e-9)
        assert np.allclose(u.var(axis=0), 1, atol=1e-3)
    says(
        markdown_of(NB, "2. Normalisation"),
        "weights 10 times Xavier's scale",
        "over the 30 layers, 55 % of the values fed to $f$ fall where the sigmoid is flat",
    )


def test_s2_question_scale_invariance(moons):
    X, _ = moons
    params = init_params(layer_sizes_for(2, depth=3, width=8), "xavier", rng=SEED, norm="batch")
    scaled = [(10 * layer[0], 10 * layer[1], *layer[2:]) for layer in params]
    a = forward(params, X, "sigmoid", norm="batch").f_inputs
    b = forward(scaled, X, "sigmoid", norm="batch").f_inputs
    assert np.allclose(a[0], b[0], atol=1e-3)  # equal but for epsilon (1e-5 beside the variance)
    assert "Nothing: z_hat is unchanged" in question_text()


# --- 3. The LSTM's cell state --------------------------------------------------------


def test_s3_gradient_through_time():
    """The notebook's demo, recomputed from its description (16 units, 50 steps)."""
    sigmoid = get_activation("sigmoid")
    rng = np.random.default_rng(SEED)
    W = rng.normal(0, 1 / 4, size=(16, 16))
    inputs = rng.normal(size=(50, 16))
    forget = sigmoid.f(4.0 + rng.normal(0, 0.5, size=(50, 16)))
    h, states_ = np.zeros(16), []
    for t in range(50):
        h = np.tanh(h @ W + inputs[t])
        states_.append(h)
    g_h = g_c = np.ones(16) / 4
    rnn, cell = [], []
    for t in range(49, -1, -1):
        g_h = (g_h * (1 - states_[t] ** 2)) @ W.T
        g_c = g_c * forget[t]
        rnn.append(np.linalg.norm(g_h))
        cell.append(np.linalg.norm(g_c))
    assert f"{forget.mean():.2f}" == "0.98"
    assert round(-np.log10(rnn[-1])) == 10  # about ten orders of magnitude over 50 steps
    assert round(-np.log10(rnn[-1]) / 10) == 1  # about a factor of ten every five steps
    assert cell[-1] == pytest.approx(1 / 3, abs=0.05)  # about a third
    text = markdown_of(NB, "3. Through time")
    says(
        text,
        "by about ten orders of magnitude over 50 steps",
        "with forget gates near 0.98 (falls slowly, to about a third)",
        "loses about a factor of ten every five steps here",
        "with gates near 0.98 the gradient keeps a third of its size over 50 steps",
    )


def test_s3_question_and_think_numbers():
    assert f"{0.9**50:.3f}" == "0.005"
    assert "0.9^50, about 0.005" in question_text()
    assert f"{0.5**29:.0e}" == "2e-09"
    says(markdown_of(NB, "3. Through time"), "$0.5^{29} \\approx 2 \\cdot 10^{-9}$")


# --- 4. Check the literature ---------------------------------------------------------


def test_s41_he_et_al_deeper_plain_worse_residual_better(moons):
    X, y = moons
    settings = dict(width=16, activation="relu", init="he", norm="batch", eta=0.1, steps=100)
    loss = {
        (depth, skip): fit(X, y, depth=depth, skip=skip, seed=SEED, **settings).final_loss
        for depth in (5, 30)
        for skip in (False, True)
    }
    assert loss[30, False] > loss[5, False]  # deeper plain: higher training loss
    assert loss[30, True] <= loss[5, True]  # deeper residual: at least as good
    assert loss[30, True] == min(loss.values())  # "the 30-layer residual network's ends lowest"
    assert loss[30, False] / loss[5, False] > 10
    text = markdown_of(NB, "4.1 He et al.")
    says(
        text,
        "5 and 30 hidden layers, plain and residual, the same learning rate and 100 steps",
        "a training loss more than ten times the shallower one's",
        "the 30-layer residual network's ends lowest",
    )


def test_s42_ioffe_szegedy_sigmoid_trains_with_batch_norm(moons):
    X, y = moons
    loss = {
        (norm, eta): fit(
            X, y, depth=10, width=16, activation="sigmoid", init="xavier", norm=norm, eta=eta,
            steps=150, seed=SEED,
        ).final_loss
        for norm in ("none", "batch")
        for eta in (0.5, 2.0)
    }  # fmt: skip
    assert all(f"{loss['none', eta]:.3f}" == f"{np.log(2):.3f}" for eta in (0.5, 2.0))
    assert max(loss["batch", eta] for eta in (0.5, 2.0)) < 0.1
    assert loss["batch", 2.0] < loss["batch", 0.5]
    says(
        markdown_of(NB, "4.2 Ioffe & Szegedy"),
        "The plain network sits at a coin toss at both learning rates",
        "the larger learning rate gets further in the same 150 steps",
    )


def test_s43_gradient_pictures(moons):
    X, y = moons
    picture = dict(depth=30, width=16, activation="sigmoid", init="xavier", eta=0.5, steps=100)
    runs = {
        name: fit(X, y, seed=SEED, **picture, **options)
        for name, options in {
            "plain": {},
            "batch": {"norm": "batch"},
            "skips": {"skip": True},
        }.items()
    }
    plain, batch, skips = (relative_gradient(runs[k]) for k in ("plain", "batch", "skips"))
    assert np.all(plain[:, :24] < 1e-3) and not np.all(plain[:, 24] < 1e-3)  # below layer 25
    assert round(step0_ratio(runs["batch"]), -1) == 250
    assert gradient_regime(step0_ratio(runs["batch"])) == "exploding"
    assert batch[10, 0] < 2  # under 2 times by step 10
    assert np.all((skips > 0.4) & (skips < 2.0))  # within a factor of 2 at every layer and step
    text = markdown_of(NB, "4.3 The gradient picture")
    says(
        text,
        "below layer 25, past the scale's $10^{-3}$ at every step",
        "(within a factor of 2 of layer 30's)",
        "layer 1 gets 250 times layer 30's at step 0",
        "(under 2 times by step 10)",
    )


def test_section_5_explorer_options_at_30_sigmoid_layers():
    """07 §5: in the depth explorer's network, skips and batch norm level, layer norm vanishes."""
    from helpers.mlp import gradient_profile
    from helpers.widgets.depth import usual_init

    def ratio(**options):
        norms = gradient_profile(30, "sigmoid", init=usual_init("sigmoid"), **options).backprop_norm
        return norms[0] / norms[-1]

    assert gradient_regime(ratio(skip=True)) == "level"
    assert gradient_regime(ratio(norm="batch")) == "level" and 1 < ratio(norm="batch") < 250
    assert gradient_regime(ratio(norm="layer")) == "vanishing"
    text = markdown_of(NB, "5. Switch them on")
    for claim in (
        "Skips and batch norm both keep the curve level here",
        "batch norm climbs a little toward the input, far less than section 4.3's 250 times",
        "layer norm does not: the gradient still vanishes",
    ):
        assert states(text, claim), f"{NB} should state: {claim!r}"
