"""The course's vocabulary as numbers: one definition each, used everywhere (NumPy only).

Every notebook, readout and statistic that says *saturated*, *significant*, *dead*,
*vanishing* or *exploding* means exactly what this module computes, so a word in
the prose and a number on the screen can never disagree.

* **saturated** (a unit, at one input): its slope f'(z) is below
  ``SATURATION_FRACTION`` (10 %) of the activation's peak slope. For the sigmoid
  that is σ(z) < 0.026 or > 0.974 (|z| > 3.64); for tanh |tanh z| > 0.949
  (|z| > 1.82). ReLU and its relatives never saturate for z > 0.
* **significant** (a derivative, the notes' word): the opposite of saturated,
  f'(z) at least 10 % of its peak.
* **zero** (a ReLU output): exactly 0, so no gradient passes back through it
  for that input. About half the outputs of a fresh ReLU layer are zero.
* **dead** (a unit, on a data set): its output is exactly 0 for *every* input of
  the set, so none of them sends a gradient to its incoming weights. A dead unit of
  the first hidden layer stays dead (its inputs are the data); a deeper one can come
  back to life when the layers below it change its inputs.
* **vanishing / exploding** (a network's gradient): the gradient reaching the
  first hidden layer is less than ``VANISHING_RATIO`` (1/10) of the one at the
  last hidden layer (vanishing), or more than 1 / ``VANISHING_RATIO`` times it
  (exploding).
"""

from __future__ import annotations

import numpy as np

SATURATION_FRACTION = 0.1
VANISHING_RATIO = 0.1

# Slope as a function of the output a, divided by the peak slope.
_RELATIVE_SLOPE_FROM_OUTPUT = {
    "sigmoid": lambda a: a * (1.0 - a) / 0.25,
    "tanh": lambda a: 1.0 - a * a,
}


def saturated_from_output(activation: str, a) -> np.ndarray:
    """True where a unit with output ``a`` is saturated (boolean array like ``a``).

    Only the squashing activations saturate; any other name gives all False.
    """
    a = np.asarray(a, dtype=float)
    relative_slope = _RELATIVE_SLOPE_FROM_OUTPUT.get(activation)
    if relative_slope is None:
        return np.zeros(a.shape, dtype=bool)
    return relative_slope(a) < SATURATION_FRACTION


def dead_units(a) -> np.ndarray:
    """For a batch of outputs ``a`` (samples × units): True for each dead unit.

    A unit is dead on this batch when its output is exactly 0 for every sample.
    """
    a = np.asarray(a)
    if a.ndim != 2:
        raise ValueError(f"a must be a 2-D batch (samples × units), got shape {a.shape}")
    return np.all(a == 0, axis=0)


def gradient_regime(ratio: float) -> str:
    """'vanishing', 'exploding' or 'level' for first-layer / last-layer gradient ``ratio``."""
    ratio = float(ratio)
    if not np.isfinite(ratio) or ratio < 0:
        raise ValueError(f"ratio must be a finite number >= 0, got {ratio}")
    if ratio < VANISHING_RATIO:
        return "vanishing"
    if ratio > 1.0 / VANISHING_RATIO:
        return "exploding"
    return "level"
