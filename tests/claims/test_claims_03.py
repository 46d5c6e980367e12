"""Claims in the prose of notebook 03 (tanh), recomputed.

Numbers are recomputed independently of ``helpers.activations`` (``math`` in float64,
closed forms), and each test asserts that the markdown a student reads states them,
so changing either side alone fails.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from helpers.activations import sigmoid, tanh
from helpers.calculus import significant_half_width
from helpers.definitions import SATURATION_FRACTION

from .conftest import cells_of, markdown_of, questions_of, states

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NB = "03_tanh"


def _tanh_slope(z: float) -> float:
    return 1 - math.tanh(z) ** 2


def _sigmoid_slope(z: float) -> float:
    q = math.exp(-abs(z))
    return q / (1 + q) ** 2


def _crossing() -> float:
    """The z > 0 where tanh'(z) = σ'(z), by bisection in plain Python."""
    low, high = 0.0, 4.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (
            (middle, high) if _tanh_slope(middle) > _sigmoid_slope(middle) else (low, middle)
        )
    return low


# --- the tanh'/σ' comparison (issue 11's finding): they cross at |z| ≈ 1.66 ---------------


def test_tanh_and_sigmoid_slopes_cross_at_1_66():
    z = _crossing()
    assert f"{z:.2f}" == "1.66" and f"{_tanh_slope(z):.3f}" == "0.134"
    # tanh' is larger inside, smaller outside (one crossing on z > 0).
    grid = np.linspace(0.01, 8, 800)
    larger = [_tanh_slope(g) > _sigmoid_slope(g) for g in grid]
    assert larger == [g < z for g in grid]
    text = markdown_of(NB)
    assert states(text, r"$\tanh'(z) > \sigma'(z)$ for every $|z| < 1.66$")
    assert states(text, r"the curves cross at $|z| \approx 1.66$")
    assert states(text, "tanh' is larger than σ' only for $|z| < 1.66$")
    assert "2.7 or so" not in text
    questions = questions_of(NB)
    assert states(questions, "the curves cross at |z| ≈ 1.66 (both 0.134)")


def test_values_at_2_show_the_crossing():
    assert f"{_tanh_slope(2.0):.4f}" == "0.0707" and f"{_sigmoid_slope(2.0):.4f}" == "0.1050"
    text = markdown_of(NB)
    assert states(text, r"$\tanh'(2) = 0.0707 < \sigma'(2) = 0.1050$")
    assert states(questions_of(NB), "tanh' = 0.0707 < σ' = 0.1050")
    assert f"{_tanh_slope(1.0):.3f}" == "0.420" and f"{_sigmoid_slope(1.0):.3f}" == "0.197"
    assert states(questions_of(NB), "at z = 1, tanh' = 0.420 > σ' = 0.197")


def test_derivative_identity_four_sigma_prime_at_2z():
    for z in np.linspace(-6, 6, 121):
        assert math.isclose(_tanh_slope(z), 4 * _sigmoid_slope(2 * z), rel_tol=1e-12, abs_tol=1e-15)
    assert states(markdown_of(NB), r"$\tanh'(z) = 2 \cdot 2\,\sigma'(2z) = 4\sigma'(2z)$")


# --- section 2.2: significant / saturated at 10 % -----------------------------------------


def test_significant_regions_at_10_percent_and_the_half_width():
    h_tanh = math.acosh(1 / math.sqrt(SATURATION_FRACTION))  # 1 - tanh² = 1 / cosh² = 0.1
    s = (1 + math.sqrt(1 - SATURATION_FRACTION)) / 2
    h_sigmoid = math.log(s / (1 - s))
    assert f"{h_tanh:.2f}" == "1.82" and f"{h_sigmoid:.2f}" == "3.64"
    assert math.isclose(h_sigmoid, 2 * h_tanh, rel_tol=1e-12)  # "exactly half as wide"
    assert f"{math.tanh(h_tanh):.3f}" == "0.949"
    assert math.isclose(significant_half_width("tanh"), h_tanh, abs_tol=1e-9)
    text = markdown_of(NB)
    assert states(text, "at least **10 % of its peak**")
    assert states(text, "a tanh unit saturates for $|z| > 1.82$, a sigmoid unit for $|z| > 3.64$")
    assert states(
        text, r"$|z| \le 3.64$ (about ±3.6) for the sigmoid and $|z| \le 1.82$ (about ±1.8)"
    )
    assert states(text, "exactly half as wide as $\\sigma'$'s (1.82 against 3.64)")


def test_the_notes_yardsticks_are_7_and_1_percent():
    assert f"{_sigmoid_slope(4.0):.4f}" == "0.0177" and round(100 * _sigmoid_slope(4.0) / 0.25) == 7
    assert f"{_tanh_slope(3.0):.4f}" == "0.0099" and round(100 * _tanh_slope(3.0)) == 1
    assert f"{significant_half_width('sigmoid', 0.07):.2f}" == "4.01"
    assert f"{significant_half_width('tanh', 0.01):.2f}" == "2.99"
    text = markdown_of(NB)
    assert states(text, r"$\sigma'(\pm 4) = 0.0177$ is 7 % of its peak")
    assert states(text, r"$\tanh'(\pm 3) = 0.0099$ is 1 % of its peak")


def test_figure_caption_levels():
    text = markdown_of(NB, "2.2 Where is a derivative significant")
    assert states(text, "tanh' falls below 10 % at $z = 1.82$ and the sigmoid's at $z = 3.64$")
    # "below 1 % near z = 3 and z = 6"
    assert round(significant_half_width("tanh", 0.01)) == 3
    assert round(significant_half_width("sigmoid", 0.01)) == 6
    assert states(text, "below 1 % near $z = 3$ and $z = 6$")


def test_question_tanh_output_0_96_is_saturated():
    a = 0.96
    assert f"{1 - a * a:.3f}" == "0.078" and 1 - a * a < SATURATION_FRACTION
    assert f"{math.atanh(a):.2f}" == "1.95" and math.atanh(a) > significant_half_width("tanh")
    text = questions_of(NB)
    assert states(text, "1 - a² = 1 - 0.9216 = 0.078") and 'answer="Yes"' in text
    assert states(text, "a = 0.96 means z = 1.95")


# --- sections 1 and 3: zero-centred means, the identity, its rounding ---------------------


def test_zero_centred_means():
    z = np.random.default_rng(seed=3).normal(size=10_000)
    assert f"{sigmoid(z).mean():.1f}" == "0.5" and f"{abs(tanh(z).mean()):.1f}" == "0.0"
    text = markdown_of(NB, "Summary")
    assert states(text, "its outputs average about 0, the sigmoid's about 0.5")


def test_identity_constants_from_limits_and_slope():
    # A·σ(Bz) + C: limits give C = -1, A + C = 1; slope A·B/4 = 1 gives B = 2.
    a_, c_ = 2, -1
    b_ = 4 / a_
    assert (a_, b_, c_) == (2, 2.0, -1)
    for z in np.linspace(-5, 5, 41):
        assert math.isclose(a_ / (1 + math.exp(-b_ * z)) + c_, math.tanh(z), abs_tol=1e-15)
    text = markdown_of(NB)
    assert states(text, r"$\sigma'(0) = \frac{1}{4}$ and $\tanh'(0) = 1$")
    assert states(text, r"2\sigma(2z) - 1 = \frac{2}{1 + e^{-2z}} - 1")


def test_identity_in_floating_point():
    z = np.linspace(-10, 10, 20_001)
    difference = np.abs(np.tanh(z) - (2 / (1 + np.exp(-2 * z)) - 1))
    eps = np.finfo(np.float64).eps
    helpers_difference = np.abs(tanh(z) - (2 * sigmoid(2 * z) - 1))
    assert f"{helpers_difference.max():.1e}" == "3.3e-16"
    assert f"{helpers_difference.max() / eps:.1f}" == "1.5"
    assert round(np.mean(helpers_difference == 0), 1) == 0.5
    assert difference.max() < 4 * eps  # the same size with plain NumPy formulas
    text = markdown_of(NB)
    assert states(text, r"differ by up to $3.3 \times 10^{-16}$ (1.5 times the float64 spacing ε")
    assert states(text, "agree exactly at only about half of the points")


def test_peak_and_fall_off():
    assert _tanh_slope(0.0) == 4 * _sigmoid_slope(0.0) == 1.0  # both in plain math
    text = markdown_of(NB)
    assert states(text, r"So tanh's peak is $4 \times 0.25 = 1$")
    assert states(text, "its derivative peaks four times higher")
    assert states(text, "nearly 0 beyond $|z| = 3$") and _tanh_slope(3.0) < 0.01


def test_the_formula_as_written_is_nan_at_1000_and_np_tanh_is_not():
    with np.errstate(over="ignore", invalid="ignore"):
        big = np.float64(1000.0)
        assert np.isnan((np.exp(big) - np.exp(-big)) / (np.exp(big) + np.exp(-big)))
    assert tanh(1000.0) == 1.0 and tanh(-1000.0) == -1.0
    text = markdown_of(NB, "1. Definition")
    assert states(text, r"at $z = 1000$ it is $\infty/\infty$ = NaN")


def test_identity_figure_inset_is_at_most_1_5_eps():
    """3.3's caption: the inset (z from -4 to 4, as plot_tanh_identity draws) is within 1.5 ε."""
    z = np.linspace(-4.0, 4.0, 401)
    eps = np.finfo(np.float64).eps
    inset = np.abs(tanh(z) - (2 * sigmoid(2 * z) - 1)) / eps
    assert inset.max() <= 1.5
    assert states(markdown_of(NB), "their difference in units of ε: at most 1.5 ε")


def test_summary_says_where_significant_and_where_saturated():
    text = markdown_of(NB, "Summary")
    assert states(
        text,
        r"significant for $|z| \le 1.82$ (tanh) and $|z| \le 3.64$ (sigmoid), saturated beyond",
    )


def test_exercise_3_lists_three_properties():
    text = markdown_of(NB, "Exercise 3")
    assert states(text, "from three properties")
    assert all(f"\n{k}. " in text for k in (1, 2, 3)) and "\n4. " not in text


def test_speaker_notes_and_guide_numbers():
    """What the lecturer says aloud: A, B, C; z = 2.5 saturates tanh only; the crossing."""
    notes = "\n".join(c.metadata.get("speaker_notes", "") for c in cells_of(NB))
    assert "limits give A = 2, C = -1; slopes at 0 give\nB = 2" in notes
    assert np.allclose(2 * sigmoid(2 * np.linspace(-5, 5, 11)) - 1, np.tanh(np.linspace(-5, 5, 11)))
    h_tanh, h_sigmoid = significant_half_width("tanh"), significant_half_width("sigmoid")
    assert h_tanh < 2.5 < h_sigmoid
    assert "(Only tanh:\n2.5 > 1.82 but < 3.64.)" in notes
    assert "the crossing at |z| = 1.66" in notes
    guide = (NOTEBOOKS.parent / "docs" / "lecturer-guide.md").read_text()
    assert states(guide, "(Only tanh: $2.5 > 1.82$ but $< 3.64$.)")
