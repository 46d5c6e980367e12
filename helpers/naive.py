"""The textbook sigmoid formulas, computed naively, to show how they fail (NumPy only).

Notebook 02 uses these to show why ``helpers.activations.sigmoid`` is written
the way it is. They are *not* for use elsewhere: they overflow and return NaN
for large ``abs(z)``. Use ``helpers.activations`` for real work.

* :func:`sigmoid_exp_ratio`: e^z / (1 + e^z); NaN for z above about 709.8.
* :func:`sigmoid_reciprocal`: 1 / (1 + e^-z); overflows (with a RuntimeWarning)
  for z below about -709.8.
* :func:`float_outcomes`: runs a formula point by point and says, for each z,
  whether it gave a number, NaN, or went through an overflow.
"""

from __future__ import annotations

import numpy as np

from helpers.activations import as_real_array

__all__ = ["OUTCOMES", "float_outcomes", "sigmoid_exp_ratio", "sigmoid_reciprocal"]

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
    """Classify, for each z, what ``f(z)`` does in floating point.

    Args:
        f: a function of one float array (e.g. :func:`sigmoid_exp_ratio`).
        z: the points, any shape.

    Returns:
        An array of strings of z's shape, each one of :data:`OUTCOMES`:
        ``"nan"`` when the result is NaN; ``"overflow"`` when the result is a
        number but computing it overflowed on the way (NumPy would warn);
        else ``"number"``. No warning escapes: overflows are caught with
        ``np.errstate``.
    """
    z = as_real_array(z)
    outcomes = np.empty(z.shape, dtype=object)
    for index, value in np.ndenumerate(z):
        value = np.float64(value)
        with np.errstate(over="ignore", invalid="ignore"):
            result = f(value)
        if np.isnan(result):
            outcomes[index] = "nan"
            continue
        try:
            with np.errstate(over="raise", invalid="ignore"):
                f(value)
        except FloatingPointError:
            outcomes[index] = "overflow"
        else:
            outcomes[index] = "number"
    return outcomes.astype(str)
