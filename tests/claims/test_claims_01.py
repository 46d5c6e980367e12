"""Claims in the prose of notebooks 00 (the index) and 01 (the activation unit), recomputed.

Each test names its notebook and section, recomputes the number (independently where it
can: plain Python, closed forms) and asserts that the markdown a student reads states it,
so changing either the prose or the computation alone fails (issue 11).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from .conftest import cells_of, markdown_of, questions_of, states

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _section_minutes(name):
    text = markdown_of(name)
    return [int(m) for m in re.findall(r"^## .*\((\d+) min\)\s*$", text, flags=re.M)]


NB = "01_the_activation_unit"
W = [0.8, -0.4, 0.6, 0.5]
X = [1.0, 0.5, 0.9, 0.6]


# --- notebook 00, section 1 "The sequence": lectures and times ------------------------------


@pytest.mark.parametrize(
    "name, minutes",
    [("01_the_activation_unit", 15), ("02_sigmoid", 20), ("03_tanh", 15)],
)
def test_00_sequence_table_states_each_lecture_path_as_its_headings_add_up(name, minutes):
    assert sum(_section_minutes(name)) == minutes, _section_minutes(name)
    row = next(
        line
        for line in markdown_of("00_start_here").splitlines()
        if line.startswith("|") and f"]({name}" in line
    )
    assert states(row, f"| Lecture 1 | {minutes} min |"), row
    assert states(markdown_of(name), f"a {minutes}-minute lecture path")


def test_00_lecture_1_is_50_minutes():
    assert (
        sum(sum(_section_minutes(n)) for n in ("01_the_activation_unit", "02_sigmoid", "03_tanh"))
        == 50
    )


# --- notebook 01, section 1 "The weighted sum" ---------------------------------------------


def test_01_weighted_sum_products_and_z():
    products = [w * x for w, x in zip(W, X, strict=True)]
    z = math.fsum(products)
    caption = markdown_of(NB, "1. The weighted sum")
    stated = ", ".join(f"{p:.2f}".replace("-", "−") for p in products)
    assert states(caption, f"hatched bars: {stated}")
    assert states(caption, f"$z = {z:.2f}$")
    assert states(markdown_of(NB, "2. The activation unit"), f"so $z = {z:.2f}$ stays")


# --- section 2 "The activation unit": the in-class question ---------------------------------


def test_01_question_relu_unit_by_hand():
    w, x, b = (1, -2), (3, 1), 0.5
    z = sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b
    text = questions_of(NB)
    assert states(text, "w = (1, -2), x = (3, 1) and bias b = 0.5")
    assert states(text, f"= {z:g} > 0") and f'answer="{max(0.0, z):g}"' in text
    assert f'"{1 / (1 + math.exp(-z)):.2f}": "No: 0.82 is σ(1.5)' in text
    assert states(text, f'"{z - b:g}": "No: that is w·x without the bias')


# --- section 4 "Linear layers collapse" -------------------------------------------------------


def _notebook_draws():
    """The notebook's random weights, drawn in the notebook's order from its seed."""
    rng = np.random.default_rng(seed=1)
    w1, w2, w3 = (rng.normal(size=s) for s in ((5, 4), (3, 5), (2, 3)))
    x_batch = rng.normal(size=(4, 1000))
    v1, b1 = rng.normal(size=(8, 1)), rng.normal(size=(8, 1))
    v2, b2 = rng.normal(size=(8, 8)) / np.sqrt(8), rng.normal(size=(8, 1))
    v3, b3 = rng.normal(size=(1, 8)) / np.sqrt(8), rng.normal(size=(1, 1))
    return (w1, w2, w3, x_batch), (v1, b1, v2, b2, v3, b3)


def test_01_predict_then_run_one_matrix_shape():
    (w1, w2, w3, x_batch), _ = _notebook_draws()
    w = w3 @ w2 @ w1
    assert w.shape == (2, 4)
    assert np.allclose(w3 @ (w2 @ (w1 @ x_batch)), w @ x_batch, rtol=1e-12, atol=1e-12)
    text = markdown_of(NB, "Linear layers collapse")
    assert states(text, r"shapes $5 \times 4$, $3 \times 5$ and $2 \times 3$")
    assert states(text, "Predict, then run.")


def test_01_tanh_stack_is_not_one_matrix():
    (w1, w2, w3, x_batch), _ = _notebook_draws()
    bent = w3 @ np.tanh(w2 @ np.tanh(w1 @ x_batch))
    fit = np.linalg.lstsq(x_batch.T, bent.T, rcond=None)[0].T
    assert np.abs(fit @ x_batch - bent).max() > 0.5 * np.abs(bent).max()
    assert states(markdown_of(NB, "Linear layers collapse"), "no longer reproduces the outputs")


def _relu_bends(v1, b1, v2, b2, v3, b3, x):
    """Where the one-input ReLU network's slope changes, found on a fine grid (clustered)."""
    out = (v3 @ np.maximum(v2 @ np.maximum(v1 @ x[None, :] + b1, 0) + b2, 0) + b3)[0]
    slopes = np.diff(out) / np.diff(x)
    changes = np.flatnonzero(np.abs(np.diff(slopes)) > 1e-7)
    return [group[0] for group in np.split(changes, np.flatnonzero(np.diff(changes) > 2) + 1)]


def test_01_layer_stack_figure_straight_curve_and_bends():
    _, (v1, b1, v2, b2, v3, b3) = _notebook_draws()
    x = np.linspace(-3, 3, 60_001)
    linear = (v3 @ (v2 @ (v1 @ x[None, :] + b1) + b2) + b3)[0]
    second = np.diff(linear, 2)
    assert np.abs(second).max() < 1e-9  # a straight line ...
    assert abs(linear[30_000]) > 0.1  # ... that, with biases, misses the origin
    bends = _relu_bends(v1, b1, v2, b2, v3, b3, x)
    assert len(bends) >= 2, bends  # "several bends", not the one at x = 0 a bias-free net has
    text = markdown_of(NB, "Linear layers collapse")
    assert states(text, "without activations the output is a straight line")
    assert states(text, "with ReLU a broken line of straight pieces with several bends")
    assert "through the origin" not in text.split("*Figure:*")[-1]
    # Without biases the same ReLU network bends once at most, at x = 0 (the old caption hid it).
    zero = np.zeros_like
    no_bias = _relu_bends(v1, zero(b1), v2, zero(b2), v3, zero(b3), x)
    assert len(no_bias) <= 1


def test_01_convention_stated_once():
    text = markdown_of(NB)
    assert states(text, "$h = Wx + b$") and states(text, "$z = aW + b$")
    assert text.count("*Convention.*") == 1


def test_01_universal_approximation_answer_needs_biases_and_non_polynomial():
    text = markdown_of(NB, "Linear layers collapse")
    assert states(text, "not a polynomial") and states(text, "biases, and enough units")
    assert states(text, "Only affine ones, $x \\mapsto W x + b$")


def test_01_note_quotes_the_notes_unit_without_bias():
    text = markdown_of(NB, "2. The activation unit")
    assert states(text, '"let\'s call that input as, $z = \\sum_i w_i x_i = w^T x$"')


# --- docs/lecturer-guide.md: the timings it gives for 01-03 are the notebooks' headings -----


@pytest.mark.parametrize(
    "name, guide_section",
    [
        ("01_the_activation_unit", "## 01 The activation unit"),
        ("02_sigmoid", "## 02 Sigmoid"),
        ("03_tanh", "## 03 Tanh"),
    ],
)
def test_guide_timings_match_the_notebook_headings(name, guide_section):
    guide = (NOTEBOOKS.parent / "docs" / "lecturer-guide.md").read_text()
    section = guide.split(guide_section, 1)[1].split("\n## ", 1)[0]
    timings = section.split("**Timings", 1)[1].split("\n\n", 1)[0]
    assert [int(m) for m in re.findall(r"\((\d+) min", timings)] == _section_minutes(name)
    assert f"**{sum(_section_minutes(name))} minutes**" in section


def test_01_derivatives_at_z_and_relu_slope_statement():
    z = math.fsum(w * x for w, x in zip(W, X, strict=True))
    s = 1 / (1 + math.exp(-z))
    assert f"{s:.4f}" == "0.8085" and f"{math.tanh(z):.4f}" == "0.8937"
    assert f"{s * (1 - s):.4f}" == "0.1549" and f"{1 - math.tanh(z) ** 2:.4f}" == "0.2013"
    text = markdown_of(NB, "3. What an activation function needs")
    assert states(text, "ReLU's derivative is 0 for negative $z$ and 1 for positive $z$")


def guide_text():
    return (NOTEBOOKS.parent / "docs" / "lecturer-guide.md").read_text()


def test_01_demo_prompt_and_speaker_note_match_the_sliders():
    """Section 2's demo: the relatives named are the registered activations; the speaker note's
    "drag w_1 to -0.8" makes z negative, while w_2 alone cannot (its slider stops at -1)."""
    from helpers.activations import ACTIVATIONS
    from helpers.widgets.unit import DEFAULT_W, DEFAULT_X, W_RANGE

    assert list(ACTIVATIONS) == ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "silu"]
    text = markdown_of(NB, "2. The activation unit")
    assert states(
        text, "four later relatives that notebook 05 introduces: leaky ReLU, ELU, GELU and SiLU"
    )
    assert (list(DEFAULT_W), list(DEFAULT_X)) == (W, X)

    def z_with(i, value):
        w = list(W)
        w[i] = value
        return math.fsum(a * b for a, b in zip(w, X, strict=True))

    assert f"{z_with(0, -0.8):.2f}" == "-0.16" and f"{z_with(1, W_RANGE[0]):.2f}" == "1.14"
    # All sliders at their top: z = 4, where sigmoid and tanh have levelled off near 1.
    from helpers.widgets.unit import X_RANGE

    top = 4 * W_RANGE[1] * X_RANGE[1]
    assert top == 4 and 1 / (1 + math.exp(-top)) > 0.98 and math.tanh(top) > 0.999
    assert states(text, "(all sliders at 1 give $z = 4$)")
    assert states(guide_text(), "(every slider to 1 gives $z = 4$)")
    notes = "\n".join(c.metadata.get("speaker_notes", "") for c in cells_of(NB))
    assert states(notes, "if I drag w_1 from 0.8 down to -0.8, what happens to ReLU's bar?")
    assert states(notes, "(z falls from 1.44 to -0.16, so it drops to 0")
    assert states(notes, "at w_2 = -1, z is still 1.14.)")
    guide = guide_text()
    assert states(guide, "drag $w_1$ from 0.8 down to $-0.8$") and states(guide, "$z = -0.16$")


def test_01_question_wrong_option_5_5_is_the_second_product_taken_as_plus_2():
    assert 1 * 3 + 2 * 1 + 0.5 == 5.5
    assert states(questions_of(NB), '"5.5": "No: that counts the second product as +2')


def test_01_guide_states_the_least_squares_miss():
    """The guide's 'short of time' line gives the printed result of section 4's tanh cell."""
    (w1, w2, w3, x_batch), _ = _notebook_draws()
    bent = w3 @ np.tanh(w2 @ np.tanh(w1 @ x_batch))
    fit = np.linalg.lstsq(x_batch.T, bent.T, rcond=None)[0].T
    miss = np.abs(fit @ x_batch - bent).max()
    assert f"{miss:.1f}" == "2.3"
    assert states(guide_text(), f"the best single matrix misses by up to {miss:.1f}")
