"""Checks for notebook 02, the sigmoid."""

import warnings

import numpy as np

from helpers.activations import sigmoid
from helpers.checks.common import Wrong, as_array, exercise, expect_close, name_slip, slope_test

__all__ = ["check_sigmoid_derivative_from_output", "check_stable_sigmoid"]


def _slips(a):
    return [
        (-a * (1 - a), "Your slope has the wrong sign: σ rises everywhere, so σ'(z) > 0. The "
         "inner derivative of e^(-z) is -e^(-z), and its minus cancels the outer one's."),
        (1 - a, "That is e^(-z) / (1 + e^(-z)) = 1 - a alone: a factor is missing. The outer "
         "derivative of u^(-1) is -u^(-2), a square, which gives a second factor."),
        (a, "That is σ(z) itself, the output, not its slope."),
        (sigmoid(a) * (1 - sigmoid(a)), "You applied the sigmoid again: a is already σ(z), so "
         "write the derivative with a itself, not with σ(a)."),
        (a * (1 + a), "A sign slip: at z = 0 (a = 0.5) yours gives 0.75, more than σ' can be. "
         "What is 1 - σ(z), written with e^(-z)?"),
    ]  # fmt: skip


@exercise("Exercise 1 (derive σ')")
def check_sigmoid_derivative_from_output(sigmoid_derivative_from_output):
    """Exercise 1: σ' derived on paper, written with a = σ(z) only."""
    hint = "Check your formula at a = 0.5, where σ' is 0.25, and at a = 3/4, where it is 3/16."
    success = "At z = ln 3, where σ = 3/4, it gives 0.1875 = 3/16."
    z, answer = np.linspace(-6, 6, 25), sigmoid_derivative_from_output
    return slope_test(answer, sigmoid, "σ", z, _slips, hint, success)


@exercise("Exercise 2 (a stable sigmoid)")
def check_stable_sigmoid(stable_sigmoid):
    """Exercise 2: a sigmoid that is right for every z, without NaN or warnings."""
    z = np.r_[-1000.0, -745.0, -710.0, 710.0, 745.0, 1000.0, np.linspace(-40, 40, 81)]
    with warnings.catch_warnings(), np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("error", RuntimeWarning)
        try:
            got = as_array(stable_sigmoid(z.copy()), "σ(z)")
        except RuntimeWarning as warning:
            raise Wrong(
                f"Your function made NumPy warn ({warning}): some np.exp got a huge argument "
                "and overflowed. (np.where(c, f1, f2) computes both f1 and f2 for every z.) "
                "Compute q = np.exp(-np.abs(z)) first: it never overflows."
            ) from None
    if got.shape == z.shape and np.any(np.isnan(got)):
        bad = z[np.isnan(got)][0]
        raise Wrong(f"Your function gives NaN at z = {bad:g}; σ({bad:g}) is a number.")
    one_side = (
        "Yours is right on one side only: for z {0} it gives σ(-z) instead of σ(z) (at z = "
        "{1:g} it gives {2:.4f}, but σ({1:g}) = {3:.4f}). With q = e^(-|z|), use {4} for z {0}."
    )
    hi, lo = sigmoid(1.0), sigmoid(-1.0)
    name_slip(got, [
        (sigmoid(np.abs(z)), one_side.format("< 0", -1, hi, lo, "q / (1 + q)")),
        (sigmoid(-np.abs(z)), one_side.format(">= 0", 1, lo, hi, "1 / (1 + q)")),
    ], rtol=1e-9, atol=0)  # fmt: skip

    def why(at, mine, right):
        digits = int(-np.log10(abs(mine - right) / right)) if mine and right else 0
        if digits >= 2:
            return (
                f" Only about {digits} digits agree: a formula that subtracts nearly equal "
                "numbers (1 - something, 1 + tanh(z/2) for negative z) loses the rest; "
                "q / (1 + q) keeps them."
            )
        return " Did you clip z or treat large |z| as a special case? σ(z) is a number."

    expect_close("σ(z)", got, sigmoid(z), z=z, why=why, rtol=1e-9, atol=0, fmt=".10g")
    return "Right at every z, with no overflow on the way."
