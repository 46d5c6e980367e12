"""Checks for notebook 02, the sigmoid."""

from __future__ import annotations

import warnings

import numpy as np

from helpers.activations import sigmoid
from helpers.checks.common import Wrong, check_exercise, expect_close

__all__ = ["check_sigmoid_derivative_from_output", "check_stable_sigmoid", "first_mismatch"]

# Central differences of helpers' sigmoid: the reference slope, independent of any formula for σ'.
_STEP = 1e-5


def _slope_by_finite_differences(z):
    return (sigmoid(z + _STEP) - sigmoid(z - _STEP)) / (2 * _STEP)


def first_mismatch(z, got, want, *, rtol, atol):
    """The mismatch nearest z = 0 as (z, got, want, how many are off), or None when all agree.

    Only for same-shaped arrays without NaN (expect_close reports the rest). The point
    nearest 0 is the one a reader can check by hand; the count says how widespread it is.
    """
    z, got, want = (np.asarray(v, dtype=float).ravel() for v in (z, got, want))
    if got.shape != want.shape or np.any(np.isnan(got)):
        return None
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if not np.any(bad):
        return None
    i = np.flatnonzero(bad)[np.argmin(np.abs(z[bad]))]
    return z[i], got[i], want[i], int(bad.sum())


def _digits_agreeing(got, want):
    """About how many significant digits two nonzero numbers share (0 when they differ a lot)."""
    if got == 0 or want == 0:
        return 0
    return max(0, int(np.floor(-np.log10(abs(got - want) / abs(want)))))


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
        off = first_mismatch(z, got, want, rtol=1e-6, atol=1e-9)
        if off is not None:
            at, mine, slope, count = off
            raise Wrong(
                f"At z = {at:g} (a = {sigmoid(at):.4g}) yours gives {mine:.6g}, expected "
                f"{slope:.6g}, the slope of σ there measured by finite differences "
                f"({count} of the 25 points are off). Check your formula at a = 0.5, where "
                "σ' is 0.25, and at a = 3/4, where it is 3/16."
            )
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
        want = sigmoid(z)
        if got_arr.shape == z.shape:
            for wrong_side, right_form, sign, at in (
                (sigmoid(np.abs(z)), "q / (1 + q)", "z < 0", -1.0),
                (sigmoid(-np.abs(z)), "1 / (1 + q)", "z >= 0", 1.0),
            ):
                if np.allclose(got_arr, wrong_side, rtol=1e-9, atol=0):
                    raise Wrong(
                        f"Yours is right on one side only: for {sign} it gives σ(-z) instead "
                        f"of σ(z) (at z = {at:g} it gives {wrong_side[z == at][0]:.4f}, but "
                        f"σ({at:g}) = {want[z == at][0]:.4f}). With q = e^(-|z|), use "
                        f"{right_form} for {sign}."
                    )
        off = first_mismatch(z, got_arr, want, rtol=1e-9, atol=0)
        if off is not None:
            at, mine, right, count = off
            digits = _digits_agreeing(mine, right)
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
