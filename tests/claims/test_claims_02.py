"""Claims in the prose of notebook 02 (the sigmoid), recomputed.

Numbers are recomputed independently of ``helpers.activations`` where that is easy
(``math`` in float64, ``fractions``, closed forms), and each test asserts that the
markdown a student reads states the number, so changing either side alone fails.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np

from helpers.activations import sigmoid
from helpers.calculus import significant_half_width
from helpers.definitions import SATURATION_FRACTION
from helpers.naive import sigmoid_exp_ratio, sigmoid_reciprocal

from .conftest import cells_of, markdown_of, questions_of, states

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NB = "02_sigmoid"


def _sigma(z: float) -> float:
    """σ in plain float64 Python, the stable way (independent of helpers)."""
    q = math.exp(-abs(z))
    return 1 / (1 + q) if z >= 0 else q / (1 + q)


def _slope(z: float) -> float:
    q = math.exp(-abs(z))
    return q / (1 + q) ** 2


# --- section 2: the derivation, the pen-and-paper number, the finite differences ----------


def test_derivation_at_ln3_is_three_sixteenths():
    s = Fraction(1, 1) / (1 + Fraction(1, 3))  # e^{-ln 3} = 1/3
    assert s == Fraction(3, 4) and s * (1 - s) == Fraction(3, 16)
    assert math.isclose(_slope(math.log(3)), 3 / 16, rel_tol=1e-15)
    text = markdown_of(NB, "2. The derivative")
    assert states(text, r"$e^{-z} = \frac{1}{3}$ and $\sigma(z) = \frac{3}{4}$")
    assert states(text, r"\frac{3}{16} = 0.1875")


def test_finite_differences_agree_to_about_1e_11():
    h = 1e-5
    z = np.linspace(-8, 8, 17)
    numeric = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    error = np.abs(numeric - sigmoid(z) * (1 - sigmoid(z))).max()
    assert 3e-12 < error < 3e-11  # "to about 1e-11"
    # The two sources of error the text names: the O(h^2) term, max|σ^(3)|·h²/6 with
    # max|σ^(3)| = 1/8 (at z = 0), and two roundings of σ (spacing 2^-53 just below 1)
    # divided by 2h.
    truncation = (1 / 8) * h**2 / 6
    rounding = 2 * 2.0**-53 / (2 * h)
    assert f"{truncation:.0e}" == "2e-12" and f"{rounding:.0e}" == "1e-11"
    assert error < 2 * (truncation + rounding)
    text = markdown_of(NB, "2.2 Check it")
    assert states(text, r"agree to about $10^{-11}$: the $O(h^2)$ term is about $10^{-12}$ here")
    assert states(text, r"divided by $2h$, adds up to about $10^{-11}$")
    assert states(markdown_of(NB, "Summary"), r"finite differences to about $10^{-11}$")


def test_question_derivative_from_output():
    a = Fraction(9, 10)
    assert (
        a * (1 - a) == Fraction(9, 100) and 1 - a == Fraction(1, 10) and a * a == Fraction(81, 100)
    )
    text = questions_of(NB)
    assert states(text, "σ(z) = 0.9") and 'answer="0.09"' in text
    assert states(text, "0.9 × 0.1 = 0.09")


# --- section 3: the peak, how fast it falls, saturated ------------------------------------


def test_peak_is_exactly_a_quarter():
    # s(1 - s) on (0, 1) is largest at s = 1/2: 1/4 (exact arithmetic).
    grid = [Fraction(k, 1000) for k in range(1, 1000)]
    assert max(s * (1 - s) for s in grid) == Fraction(1, 4)
    assert _slope(0.0) == 0.25
    assert states(markdown_of(NB, "3. How small"), "the peak is exactly 0.25")


def test_sigma_prime_at_4_is_7_percent_and_at_6_is_1_percent():
    assert f"{_slope(4.0):.4f}" == "0.0177" and round(100 * _slope(4.0) / 0.25) == 7
    assert round(100 * _slope(6.0) / 0.25) == 1
    text = markdown_of(NB)
    assert states(text, r"$\sigma'(\pm 4) = 0.0177$, 7 % of the peak")
    assert states(text, "at $\\pm 4$ it is 0.0177, 7 % of its peak")
    assert states(text, "1 % near $z = 6$")


def test_log_scale_figure_falls_by_about_e_per_unit_beyond_3():
    ratios = [_slope(z) / _slope(z + 1) for z in range(3, 8)]
    assert all(2.5 < r < math.e for r in ratios), ratios
    assert states(markdown_of(NB), r"factor close to $e \approx 2.7$ per unit of $z$")


def test_saturated_beyond_3_64_where_sigma_is_0_026_or_0_974():
    # Closed form: σ(1 - σ) = 0.1 · 0.25  =>  σ = (1 + sqrt(0.9)) / 2, z = ln(σ / (1 - σ)).
    s = (1 + math.sqrt(1 - SATURATION_FRACTION)) / 2
    h = math.log(s / (1 - s))
    assert f"{h:.2f}" == "3.64" and f"{s:.3f}" == "0.974" and f"{1 - s:.3f}" == "0.026"
    assert math.isclose(significant_half_width("sigmoid"), h, abs_tol=1e-9)
    text = markdown_of(NB)
    assert states(text, "the border is $|z| = 3.64$, where $\\sigma(z)$ is 0.026 or 0.974")
    assert states(text, "what *saturated* means: a slope below 10 % of the peak, for $|z| > 3.64$")
    assert states(text, "about ±3.6")


def test_question_which_unit_is_saturated():
    text = questions_of(NB)
    for z, output, slope, share in (
        (-5, "0.0067", "0.0066", None),
        (2, "0.88", "0.105", 42),
        (-1, "0.27", "0.197", 79),
    ):
        assert f"{_sigma(z):.{len(output) - 2}f}" == output
        assert f"{_slope(z):.{len(slope) - 2}f}" == slope
        assert f"output σ = {output}" in text and f"σ'({z}) = {slope}" in text
        if share is not None:
            assert round(100 * _slope(z) / 0.25) == share and f"{share} % of the peak" in text
    assert 100 * _slope(-5) / 0.25 < 3 and "under 3 % of the peak" in text
    assert abs(-5) > significant_half_width("sigmoid") > max(abs(2), abs(-1))


def test_think_best_case_chain_of_ten():
    assert f"{0.25**10:.1e}" == "9.5e-07"
    assert states(markdown_of(NB), r"$0.25^{10} \approx 9.5 \times 10^{-7}$")


# --- section 6 (optional): floating point -------------------------------------------------


def test_overflow_threshold_and_nan_at_1000():
    assert f"{math.log(np.finfo(np.float64).max):.2f}" == "709.78"
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(sigmoid_exp_ratio(1000.0))
    text = markdown_of(NB, "6.1")
    assert states(text, r"\ln(1.8 \times 10^{308}) \approx 709.78")
    assert f"{np.finfo(np.float64).max:.1e}" == "1.8e+308"


def test_sigma_minus_1000_and_the_smallest_float():
    exponent = -1000 / math.log(10)  # log10 of e^-1000
    mantissa = 10 ** (exponent - math.floor(exponent))
    assert math.floor(exponent) == -435 and round(mantissa) == 5
    assert f"{np.nextafter(0.0, 1.0):.0e}" == "5e-324"
    text = markdown_of(NB)
    assert states(text, r"\sigma(-1000) \approx 5 \times 10^{-435}")
    assert states(text, r"smallest positive float64 ($5 \times 10^{-324}$)")


def test_second_form_zero_is_wrong_between_minus_745_and_minus_710():
    with np.errstate(over="ignore"):
        assert sigmoid_reciprocal(-720.0) == 0.0
    assert _sigma(-720.0) > 0 and _sigma(-745.0) > 0 and _sigma(-746.0) == 0.0
    assert _sigma(-720.0) < np.finfo(np.float64).tiny  # subnormal
    text = markdown_of(NB, "6.1")
    assert states(text, "down to $z \\approx -745$")
    assert "(orange, dotted; the value, 0, is right)" not in text


def test_sigma_rounds_to_one_from_53_ln2():
    border = 53 * math.log(2)
    assert f"{border:.1f}" == "36.7"
    assert _sigma(border - 0.05) < 1.0 and _sigma(border + 0.05) == 1.0
    assert f"{24 * math.log(2):.1f}" == "16.6"  # float32: 1 + q rounds once q < 2^-24
    assert np.float32(1) + np.float32(math.exp(-16.7)) == np.float32(1)
    text = markdown_of(NB)
    assert states(text, r"from $z = 53 \ln 2 \approx 36.7$ on")
    assert states(text, r"in float32 already for $z \gtrsim 16.6$")


def test_a_times_one_minus_a_keeps_about_7_digits_at_20_and_none_beyond_37():
    a = _sigma(20.0)
    relative = abs(a * (1 - a) - _slope(20.0)) / _slope(20.0)
    assert 1e-8 < relative < 1e-7  # about 7 correct digits
    assert _sigma(37.0) == 1.0 and _slope(37.0) < 1e-16
    # Where a first rounds to 1.0 (z = 53 ln 2) the slope is 2^-53 = 1.1e-16: "about 1e-16 or less".
    assert f"{_slope(53 * math.log(2)):.1e}" == "1.1e-16"
    text = markdown_of(NB)
    assert states(text, "about 7 correct digits at $z = 20$")
    assert states(text, "(about 7 at $z = 20$)")
    assert states(text, "the true slope is about $10^{-16}$ or less")


def test_stable_form_letter_is_not_e():
    text = markdown_of(NB)
    assert "Let $e = " not in text and states(text, "Let $q = e^{-|z|}$")


def test_correctly_rounded_sigma_stays_below_one_until_54_ln2():
    """6.3: 1/(1 + q) gives 1.0 from 53 ln 2; the true σ, rounded once, only from 54 ln 2."""
    from decimal import Decimal, localcontext

    def true_sigma_rounded(z):
        with localcontext() as context:
            context.prec = 60
            return float(1 / (1 + Decimal(-z).exp()))  # float(Decimal) rounds to nearest

    assert f"{54 * math.log(2):.1f}" == "37.4"
    assert _sigma(37.0) == 1.0 and true_sigma_rounded(37.0) < 1.0
    assert true_sigma_rounded(37.3) < 1.0 and true_sigma_rounded(37.5) == 1.0
    text = markdown_of(NB)
    assert states(text, r"would stay below 1 until $z = 54 \ln 2 \approx 37.4$")
    assert states(
        text, r"computed in float64 as $1/(1 + e^{-z})$, $\sigma(z)$ comes out as exactly 1.0"
    )


def test_captions_say_the_derivative_is_dash_dot_as_drawn():
    """02's and 03's figure captions and 00's demo text: plot_activation's f' is black dash-dot."""
    from helpers.plotting.activations import DERIVATIVE_STYLE

    dashes = DERIVATIVE_STYLE["linestyle"][1]
    assert DERIVATIVE_STYLE["color"] == "#000000" and len(dashes) == 4  # dash, gap, dot, gap
    assert dashes[0] > dashes[2]  # a dash, then a shorter dot: dash-dot
    assert states(markdown_of(NB), "derivative (black dash-dot bell, peaking at 0.25")
    assert states(markdown_of("03_tanh"), "derivative (black dash-dot bell, peaking at 1")
    assert states(markdown_of("00_start_here"), "the black dash-dot one its derivative $f'$")
    for name in ("00_start_here", NB, "03_tanh"):
        assert "dotted bell" not in markdown_of(name)
        assert "the dotted one" not in markdown_of(name)


def test_speaker_notes_and_guide_numbers():
    """What the lecturer says aloud: σ'(5) in the demo prompt, the slopes read at 0, 2 and 4."""
    notes = "\n".join(c.metadata.get("speaker_notes", "") for c in cells_of(NB))
    assert f"{_slope(5.0):.4f}" == "0.0066" and "sigma'(5) = 0.0066" in notes
    assert f"{0.25**10:.0e}" == "1e-06" and "about 1e-6" in notes
    guide = (NOTEBOOKS.parent / "docs" / "lecturer-guide.md").read_text()
    read_aloud = ", ".join(f"{_slope(z):.3g}".rstrip("0") for z in (0.0, 2.0, 4.0))
    assert read_aloud == "0.25, 0.105, 0.0177"
    assert states(guide, "at 0, 2 and 4 (0.25, 0.105, 0.018)")
    assert states(guide, r"$\sigma'(5) = 0.0066$")
