"""Randomness comes in as an argument: a Generator or an integer seed."""

from __future__ import annotations

from numbers import Integral

import numpy as np


def as_rng(rng) -> np.random.Generator:
    """A Generator from a Generator or an integer seed; None means seed 0.

    There is no hidden global random state: the same argument always gives
    the same numbers.
    """
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be a numpy.random.Generator or an integer seed, got {type(rng).__name__}"
    )
