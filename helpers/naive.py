"""The textbook sigmoid formulas, computed naively, to show how they fail (NumPy only).

Notebook 02 uses these to show why ``helpers.activations.sigmoid`` is written
the way it is. They are *not* for use elsewhere: they overflow and return NaN
for large ``abs(z)``; :func:`float_outcomes` says, point by point, which.
"""

from __future__ import annotations

import numpy as np

from helpers.activations import as_real_array

# The possible results of float_outcomes, in the order figures list them.
OUTCOMES = ("number", "overflow", "nan")


def sigmoid_exp_ratio(z):
    """The notes' first form e^z / (1 + e^z), computed as written.

    For z above about 709.8, e^z overflows to inf and inf / inf is NaN.
    """
    z = as_real_array(z)
    return np.exp(z) / (1 + np.exp(z))


def sigmoid_reciprocal(z):
    """The notes' second form 1 / (1 + e^-z), computed as written.

    For z below about -709.8, e^-z overflows to inf (NumPy warns) and the result
    is 1 / inf = 0.0. That is the right rounding only below about -745: between
    -745 and -709.8 the true σ(z) is a tiny subnormal float64 (σ(-720) = 2e-313).
    """
    z = as_real_array(z)
    return 1 / (1 + np.exp(-z))


def float_outcomes(f, z) -> np.ndarray:
    """For each z (any shape), what ``f(z)`` does in floating point: one of :data:`OUTCOMES`.

    ``"nan"`` when the result is NaN; ``"overflow"`` when it is a number but
    computing it overflowed on the way (NumPy would warn); else ``"number"``.
    No warning escapes: overflows are caught with ``np.errstate``.
    """

    def outcome(value) -> str:
        with np.errstate(over="ignore", invalid="ignore"):
            if np.isnan(f(value)):
                return "nan"
        try:
            with np.errstate(over="raise", invalid="ignore"):
                f(value)
        except FloatingPointError:
            return "overflow"
        return "number"

    z = as_real_array(z)
    return np.array([outcome(np.float64(v)) for v in z.flat], dtype=str).reshape(z.shape)
