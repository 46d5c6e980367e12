"""Checks for notebook 02, the sigmoid."""

from __future__ import annotations

import warnings

import numpy as np

from helpers.activations import sigmoid, sigmoid_derivative
from helpers.checks.common import Wrong, check_exercise, expect_close

__all__ = ["check_sigmoid_derivative_from_output", "check_stable_sigmoid"]


def check_sigmoid_derivative_from_output(sigmoid_derivative_from_output) -> None:
    """Exercise 2: dσ/dz from the output a = σ(z) alone: a·(1 - a)."""

    def test():
        z = np.linspace(-6, 6, 25)
        a = sigmoid(z)
        got = sigmoid_derivative_from_output(a.copy())
        if np.shape(got) == a.shape and np.allclose(got, sigmoid_derivative(a)):
            raise Wrong(
                "You applied the sigmoid again: a is already σ(z), so write the "
                "derivative with a itself, not with σ(a)."
            )
        at_zero = sigmoid_derivative_from_output(np.array(0.5))
        expect_close("the derivative", at_zero, 0.25, where="z = 0 (a = 0.5)")
        expect_close("The derivative", got, a * (1 - a), where="25 points of z in [-6, 6]")
        return "σ'(z) = a(1 - a): no exp needed once the forward pass has a."

    check_exercise("Exercise 2 (sigmoid derivative from its output)", test)


def check_stable_sigmoid(stable_sigmoid) -> None:
    """Exercise 1: a sigmoid that is right for every z, without NaN or warnings."""

    def test():
        z = np.concatenate(
            [[-1000.0, -745.0, -710.0, 710.0, 745.0, 1000.0], np.linspace(-40, 40, 81)]
        )
        with (
            warnings.catch_warnings(),
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"),
        ):
            warnings.simplefilter("error", RuntimeWarning)
            try:
                got = stable_sigmoid(z.copy())
            except RuntimeWarning as warning:
                raise Wrong(
                    f"Your function made NumPy warn ({warning}). Some np.exp got a huge "
                    "argument and overflowed. (If you used np.where(c, f1, f2): it computes both "
                    "f1 and f2 for every z.) Compute e = np.exp(-np.abs(z)) first: it never "
                    "overflows."
                ) from None
        got_arr = np.asarray(got, dtype=float)
        if got_arr.shape == z.shape and np.any(np.isnan(got_arr)):
            bad = z[np.isnan(got_arr)][0]
            raise Wrong(f"Your function gives NaN at z = {bad:g}; σ({bad:g}) is a number.")
        expect_close("σ(z)", got, sigmoid(z), where="z from -1000 to 1000", rtol=1e-9, atol=0)
        return "Right at every z, with no overflow on the way."

    check_exercise("Exercise 1 (a stable sigmoid)", test)
