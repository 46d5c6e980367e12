"""Checks for notebook 03, tanh."""

import numpy as np

from helpers.activations import tanh
from helpers.calculus import significant_half_width
from helpers.checks.common import Wrong, as_number, exercise, expect_close, slope, slope_test
from helpers.definitions import SATURATION_FRACTION

__all__ = [
    "check_tanh_derivative_from_output",
    "check_tanh_from_sigmoid",
    "check_where_tanh_derivative_falls",
]


def _slips(a):
    return [
        (1 - a**4, "That is 1 - (tanh²(z))² = 1 - a⁴, the notes' typo. Redo the last step: "
         "(v² - u²) / v² = 1 - (u/v)²."),
        (a * (1 - a), "That is the sigmoid's a(1 - a). tanh's differs: with u = e^z - e^(-z) "
         "and v = e^z + e^(-z), u' = v and v' = u in the quotient rule."),
        (1 - a, "A square is missing: the quotient rule gives (v·v - u·u) / v²."),
        (1 + a**2, "A sign slip: the quotient rule is (u'v - uv') / v², with a minus; at "
         "z = 1 yours gives more than 1, above tanh's peak slope."),
        (-(1 - a**2), "The wrong sign: tanh rises everywhere, so tanh'(z) > 0."),
        (1 - np.tanh(a) ** 2, "You applied tanh again: a is already tanh(z), so write the "
         "derivative with a itself, not with tanh(a) (or cosh(a))."),
    ]  # fmt: skip


@exercise("Exercise 1 (derive tanh')")
def check_tanh_derivative_from_output(tanh_derivative_from_output):
    """Exercise 1: tanh' derived on paper, written with a = tanh(z) only."""
    hint, success = "Check your formula at a = 0, where tanh' is 1.", "tanh'(0) = 1."
    z, answer = np.linspace(-4, 4, 33), tanh_derivative_from_output
    return slope_test(answer, tanh, "tanh", z, _slips, hint, success)


@exercise("Exercise 2 (where tanh' falls below 10 % of its peak)")
def check_where_tanh_derivative_falls(first_z_below):
    """Exercise 2: ``first_z_below(fraction)``: the z > 0 where tanh' falls to fraction · peak."""
    for fraction in (SATURATION_FRACTION, 0.5, 0.01):
        want, sigmoid_h = (significant_half_width(f, fraction) for f in ("tanh", "sigmoid"))
        got = as_number(first_z_below(fraction), f"For fraction = {fraction:g} your z")
        said = f"For fraction = {fraction:g} you returned {got:.4g}"
        if abs(got - sigmoid_h) < 0.02:
            raise Wrong(f"{said}, where sigmoid' falls that low: use tanh' (tanh_derivative).")
        if abs(got - fraction) < 0.2 * fraction or got < 0:
            raise Wrong(f"{said}: return the z (on the axis), not the derivative's value there.")
        if 0.01 < abs(got - want) <= 0.2:
            raise Wrong(
                f"{said}, close but not within 0.01: is your grid fine enough (steps of "
                "0.001, say), and do you return the first z where tanh' is already below?"
            )
        where = f"fraction = {fraction:g}"
        expect_close("The z where tanh' falls", got, want, where=where, rtol=0, atol=0.01)
    h = significant_half_width("tanh")
    return f"A tanh unit is saturated (tanh' below 10 % of its peak) for |z| > {h:.2f}."


@exercise("Exercise 3 (tanh from the sigmoid)")
def check_tanh_from_sigmoid(tanh_from_sigmoid):
    """Exercise 3: tanh(z) = A·σ(B·z) + C, judged by the properties that fix A, B and C.

    (The value at 0, the two limits, the slope at 0: the verdict says which constant is off.)
    """
    f = tanh_from_sigmoid
    at_zero, high, low = (as_number(f(np.array(z)), "Your tanh") for z in (0.0, 40.0, -40.0))
    at_zero_slope = float(slope(f, np.array(0.0)))
    if not (np.isclose(high, 1.0, atol=1e-6) and np.isclose(low, -1.0, atol=1e-6)):
        raise Wrong(
            f"Far out, yours tends to {low:.3g} (z → -∞) and {high:.3g} (z → +∞); tanh "
            "tends to -1 and 1. σ(Bz) tends to 0 and 1, so A and C set these two limits."
        )
    if not np.isclose(at_zero, 0.0, atol=1e-9):
        raise Wrong(f"At z = 0 yours gives {at_zero:.4g}, but tanh(0) = 0.")
    if not np.isclose(at_zero_slope, 1.0, rtol=1e-4):
        raise Wrong(
            f"The ends are right, but your slope at z = 0 is {at_zero_slope:.3g}, and "
            "tanh'(0) = 1. The slope of A·σ(Bz) + C at 0 is A·B·σ'(0) = A·B/4: "
            "B sets the steepness."
        )
    z, where = np.linspace(-5, 5, 41), "41 points of z in [-5, 5]"
    expect_close("your tanh", f(z.copy()), tanh(z), where=where, rtol=0, atol=1e-12)
    return "tanh(z) = 2σ(2z) - 1: a sigmoid stretched to (-1, 1) and twice as steep."
