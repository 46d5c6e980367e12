"""Randomness comes in as an argument: a Generator or an integer seed."""

from __future__ import annotations

from numbers import Integral

import numpy as np


def check_seed(seed, name: str = "seed") -> int:
    """``seed`` as a Python int, or a clear error: seeds are integers >= 0.

    NumPy's own message for a negative seed ("expected non-negative integer")
    does not say which argument was wrong.
    """
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"{name} must be an integer >= 0, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"{name} must be an integer >= 0 (NumPy refuses negatives), got {seed}")
    return int(seed)


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
        return np.random.default_rng(check_seed(rng))
    raise TypeError(
        f"rng must be a numpy.random.Generator or an integer seed, got {type(rng).__name__}"
    )
