"""Checks for notebook 02, the sigmoid."""

from __future__ import annotations

import warnings

import numpy as np

from helpers.activations import sigmoid
from helpers.checks.common import (
    Wrong,
    as_array,
    check_derivative_from_output,
    check_exercise,
    expect_close,
    first_mismatch,
)

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


def check_sigmoid_derivative_from_output(sigmoid_derivative_from_output) -> None:
    """Exercise 1: the derivative derived on paper, written with a = σ(z) only.

    Compared with the finite-difference slope of the sigmoid (not with a formula), and
    the usual slips of the derivation are named.
    """

    def success(answer):
        at = float(as_array(answer(np.array(0.75)), "σ'"))
        return (
            "Your σ' matches the slope measured by finite differences. At z = ln 3, where "
            f"σ = 3/4, it gives {at:.4f} = 3/16."
        )

    check_derivative_from_output(
        "Exercise 1 (derive σ')",
        sigmoid_derivative_from_output,
        sigmoid,
        "σ",
        np.linspace(-6, 6, 25),
        _slips,
        "Check your formula at a = 0.5, where σ' is 0.25, and at a = 3/4, where it is 3/16.",
        success,
    )


def check_stable_sigmoid(stable_sigmoid) -> None:
    """Exercise 2: a sigmoid that is right for every z, without NaN or warnings."""

    def test():
        z = np.concatenate(
            [[-1000.0, -745.0, -710.0, 710.0, 745.0, 1000.0], np.linspace(-40, 40, 81)]
        )
        with warnings.catch_warnings(), np.errstate(all="warn", under="ignore"):
            warnings.simplefilter("error", RuntimeWarning)
            try:
                got = as_array(stable_sigmoid(z.copy()), "σ(z)")
            except RuntimeWarning as warning:
                raise Wrong(
                    f"Your function made NumPy warn ({warning}). Some np.exp got a huge "
                    "argument and overflowed. (If you used np.where(c, f1, f2): it computes both "
                    "f1 and f2 for every z.) Compute q = np.exp(-np.abs(z)) first: it never "
                    "overflows."
                ) from None
        want = sigmoid(z)
        if got.shape == z.shape:
            if np.any(np.isnan(got)):
                bad = z[np.isnan(got)][0]
                raise Wrong(f"Your function gives NaN at z = {bad:g}; σ({bad:g}) is a number.")
            for wrong_side, right_form, sign, at in (
                (sigmoid(np.abs(z)), "q / (1 + q)", "z < 0", -1.0),
                (sigmoid(-np.abs(z)), "1 / (1 + q)", "z >= 0", 1.0),
            ):
                if np.allclose(got, wrong_side, rtol=1e-9, atol=0):
                    raise Wrong(
                        f"Yours is right on one side only: for {sign} it gives σ(-z) instead "
                        f"of σ(z) (at z = {at:g} it gives {wrong_side[z == at][0]:.4f}, but "
                        f"σ({at:g}) = {want[z == at][0]:.4f}). With q = e^(-|z|), use "
                        f"{right_form} for {sign}."
                    )
        off = first_mismatch(z, got, want, rtol=1e-9, atol=0)
        if off is not None:
            at, mine, right, count = off
            digits = (
                max(0, int(np.floor(-np.log10(abs(mine - right) / right)))) if mine and right else 0
            )
            why = (
                f" Only about {digits} digits agree: a formula that subtracts nearly equal "
                "numbers (1 - something, 1 + tanh(z/2) for negative z) loses the rest; "
                "q / (1 + q) keeps them."
                if digits >= 2
                else " Did you clip z or treat large |z| as a special case? σ(z) is a "
                "number, often a tiny one, for every z."
            )
            raise Wrong(
                f"At z = {at:g} yours is {mine:.10g}, expected {right:.10g} "
                f"({count} of the {z.size} points are off).{why}"
            )
        expect_close("σ(z)", got, want, where="z from -1000 to 1000", rtol=1e-9, atol=0)
        return "Right at every z, with no overflow on the way."

    check_exercise("Exercise 2 (a stable sigmoid)", test)
