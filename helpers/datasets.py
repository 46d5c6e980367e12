"""Toy two-dimensional classification data, generated in code (NumPy only, no downloads).

Every generator returns ``(X, y)``: ``X`` of shape ``(n_samples, 2)``, float64,
roughly centred and of unit scale, and integer labels ``y`` of shape
``(n_samples,)`` with the classes as balanced as ``n_samples`` allows.
Randomness comes only from the ``rng`` argument (a Generator or an integer
seed).
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np

from helpers.activations import as_real_number
from helpers.randomness import as_rng


def _start(n_samples, noise, rng, n_classes: int = 2):
    """The checked ``(n_samples, noise)``, the Generator, and balanced labels 0, 1, 0, 1, ..."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, Integral):
        raise TypeError(f"n_samples must be an integer, got {type(n_samples).__name__}")
    if n_samples < n_classes:
        raise ValueError(f"n_samples must be at least {n_classes} (one per class), got {n_samples}")
    noise = as_real_number(noise, "noise", minimum=0)
    return int(n_samples), noise, as_rng(rng), np.arange(n_samples) % n_classes


def two_spirals(
    n_samples: int = 400, noise: float = 0.1, rng=0, turns: float = 1.5, n_classes: int = 2
):
    """Interleaved spirals, one arm per class: the hardest of these to learn.

    Each arm winds ``turns`` times around the origin; ``noise`` is the
    standard deviation of Gaussian jitter added to each coordinate.
    ``n_classes`` arms (default two) give a multi-class problem.
    """
    if isinstance(n_classes, bool) or not isinstance(n_classes, Integral) or n_classes < 2:
        raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
    turns = as_real_number(turns, "turns")
    n_samples, noise, generator, y = _start(n_samples, noise, rng, n_classes)
    t = np.sqrt(generator.uniform(0.02, 1.0, size=n_samples))  # even density along the arm
    angle = 2 * math.pi * turns * t + 2 * math.pi * y / n_classes
    X = np.column_stack([t * np.cos(angle), t * np.sin(angle)]) * 1.6
    X += noise * generator.standard_normal(X.shape)
    return X, y


def two_moons(n_samples: int = 400, noise: float = 0.1, rng=0):
    """Two interleaving half circles (like scikit-learn's ``make_moons``), centred."""
    n_samples, noise, generator, y = _start(n_samples, noise, rng)
    angle = generator.uniform(0, math.pi, size=n_samples)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)])
    X = np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]
    X += noise * generator.standard_normal(X.shape)
    return X, y


def circles(n_samples: int = 400, noise: float = 0.1, rng=0, factor: float = 0.5):
    """A small circle (class 1) inside a larger one (class 0); radius ratio ``factor``."""
    factor = as_real_number(factor, "factor")
    if not 0 < factor < 1:
        raise ValueError(f"factor must lie strictly between 0 and 1, got {factor}")
    n_samples, noise, generator, y = _start(n_samples, noise, rng)
    angle = generator.uniform(0, 2 * math.pi, size=n_samples)
    radius = np.where(y == 1, factor, 1.0) * 1.5
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X += noise * generator.standard_normal(X.shape)
    return X, y


def xor_blobs(n_samples: int = 400, noise: float = 0.1, rng=0):
    """Four blobs at the corners of a square; opposite corners share a class (XOR)."""
    n_samples, noise, generator, y = _start(n_samples, noise, rng)
    corner = generator.integers(0, 2, size=n_samples)  # which of the class's two corners
    sign_x = np.where(corner == 0, 1.0, -1.0)
    sign_y = np.where(y == 0, sign_x, -sign_x)
    spread = 0.25 + noise  # the blobs' standard deviation
    X = np.column_stack([sign_x, sign_y]) + spread * generator.standard_normal((n_samples, 2))
    return X, y


DATASETS = {"spirals": two_spirals, "moons": two_moons, "circles": circles, "xor": xor_blobs}
"""Name -> generator, for menus: every generator takes ``(n_samples, noise, rng)``."""


def make_dataset(name: str, n_samples: int = 400, noise: float = 0.1, seed: int = 0):
    """``(X, y)`` from the generator called ``name`` in :data:`DATASETS`."""
    if name not in DATASETS:
        known = ", ".join(map(repr, DATASETS))
        raise ValueError(f"unknown dataset {name!r}; known: {known}")
    return DATASETS[name](n_samples, noise, seed)
