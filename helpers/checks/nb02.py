"""Checks for notebook 02, the sigmoid."""

from __future__ import annotations

import warnings

import numpy as np

from helpers.activations import sigmoid
from helpers.checks.common import Wrong, check_exercise, expect_close

__all__ = ["check_sigmoid_derivative_from_output", "check_stable_sigmoid"]

# Central differences of helpers' sigmoid: the reference slope, independent of any formula for σ'.
_STEP = 1e-5


def _slope_by_finite_differences(z):
    return (sigmoid(z + _STEP) - sigmoid(z - _STEP)) / (2 * _STEP)


def check_sigmoid_derivative_from_output(sigmoid_derivative_from_output) -> None:
    """Exercise 1: the derivative derived on paper, written with a = σ(z) only.

    The reader's function gets a = σ(z) and must return σ'(z); it is compared with the
    finite-difference slope of the sigmoid (not with a formula), and the usual slips of
    the derivation are named.
    """

    def test():
        z = np.linspace(-6, 6, 25)
        a = sigmoid(z)
        want = _slope_by_finite_differences(z)
        got = np.asarray(sigmoid_derivative_from_output(a.copy()), dtype=float)
        if got.shape == a.shape:
            slips = [
                (
                    -want,
                    "Your slope has the wrong sign: σ rises everywhere, so σ'(z) > 0. The inner "
                    "derivative of e^(-z) is -e^(-z), and its minus cancels the outer one's.",
                ),
                (
                    1 - a,
                    "That is e^(-z) / (1 + e^(-z)) = 1 - a alone: a factor is missing. The outer "
                    "derivative of u^(-1) is -u^(-2), a square, which gives a second factor.",
                ),
                (a, "That is σ(z) itself, the output, not its slope."),
                (
                    sigmoid(a) * (1 - sigmoid(a)),
                    "You applied the sigmoid again: a is already σ(z), so write the "
                    "derivative with a itself, not with σ(a).",
                ),
                (
                    a * (1 + a),
                    "A sign slip: at z = 0 (a = 0.5) yours gives 0.75, more than σ' can be. "
                    "What is 1 - σ(z), written with e^(-z)?",
                ),
            ]
            for slip, sentence in slips:
                if np.allclose(got, slip, rtol=1e-6, atol=1e-9) and not np.allclose(slip, want):
                    raise Wrong(sentence)
        expect_close(
            "Your σ'(z)",
            got,
            want,
            where="25 points of z in [-6, 6] (compared with finite differences)",
            rtol=1e-6,
            atol=1e-9,
        )
        at_half = float(np.asarray(sigmoid_derivative_from_output(np.array(0.75)), dtype=float))
        return (
            "Your σ' matches the slope measured by finite differences. At z = ln 3, where "
            f"σ = 3/4, it gives {at_half:.4f} = 3/16."
        )

    check_exercise("Exercise 1 (derive σ')", test)


def check_stable_sigmoid(stable_sigmoid) -> None:
    """Exercise 2: a sigmoid that is right for every z, without NaN or warnings."""

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
                    "f1 and f2 for every z.) Compute q = np.exp(-np.abs(z)) first: it never "
                    "overflows."
                ) from None
        got_arr = np.asarray(got, dtype=float)
        if got_arr.shape == z.shape and np.any(np.isnan(got_arr)):
            bad = z[np.isnan(got_arr)][0]
            raise Wrong(f"Your function gives NaN at z = {bad:g}; σ({bad:g}) is a number.")
        expect_close("σ(z)", got, sigmoid(z), where="z from -1000 to 1000", rtol=1e-9, atol=0)
        return "Right at every z, with no overflow on the way."

    check_exercise("Exercise 2 (a stable sigmoid)", test)
