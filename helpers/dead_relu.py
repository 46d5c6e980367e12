"""Zero and dead ReLU units: counting them, and short training runs that make them.

Two different counts, easy to confuse:

* the **zero fraction** of a layer: the share of its outputs ``a`` (over the
  samples and the units) that are exactly 0. About half at a random
  initialisation; that is normal sparsity, not damage: each of those units
  still passes gradient for the other samples.
* a **dead unit**: a unit whose output is exactly 0 for *every* sample of the
  data. Its ``z <= 0`` everywhere, so ReLU's derivative is 0 everywhere, no
  gradient reaches its incoming weights from any sample, and gradient descent
  on this data never changes them again: it stays dead.

NumPy only; the networks are those of :mod:`helpers.mlp`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral, Real

import numpy as np

from helpers.datasets import make_dataset
from helpers.definitions import dead_units as dead_units_of_batch
from helpers.mlp import forward, init_params, layer_sizes_for, train
from helpers.randomness import check_seed

# The experiment notebook 05 shows and its demo offers: these learning rates, these seeds.
ETAS = (0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0)
SEEDS = (0, 1, 2)


def _hidden_outputs(params, X, activation: str) -> list[np.ndarray]:
    return forward(params, X, activation).activations[1:]


def zero_fraction(params, X, activation: str = "relu") -> np.ndarray:
    """Per hidden layer (input side first), the share of outputs exactly 0 over samples and units.

    ``params`` are ``(W, b)`` pairs as from :func:`helpers.mlp.init_params`;
    ``X`` has shape ``(n_samples, n_inputs)``.
    """
    return np.array([np.mean(a == 0) for a in _hidden_outputs(params, X, activation)])


def dead_units(params, X, activation: str = "relu") -> np.ndarray:
    """Per hidden layer (input side first), how many units are dead on ``X``.

    The definition is :func:`helpers.definitions.dead_units`' (one for the course).
    """
    outputs = _hidden_outputs(params, X, activation)
    return np.array([np.count_nonzero(dead_units_of_batch(a)) for a in outputs])


@dataclass(frozen=True)
class DeadUnitsRun:
    """A short full-batch training run, with its dead units counted along the way.

    ``dead[k]`` holds the dead units per hidden layer after ``steps_checked[k]``
    steps (the first check is at 0, the initial weights); ``loss`` the loss
    before each update. ``diverged_at`` is the step by which the loss or the
    activations overflowed float64, or None; the counts and the loss then stop
    at the last check before it. The other fields are the run's settings.
    """

    steps_checked: np.ndarray
    dead: np.ndarray
    loss: np.ndarray
    diverged_at: int | None
    eta: float
    steps: int
    depth: int
    width: int
    init: str
    seed: int
    dataset: str
    n_samples: int

    @property
    def n_units(self) -> int:
        """Hidden units in the whole network (depth x width)."""
        return self.depth * self.width

    @property
    def final_dead(self) -> np.ndarray:
        """Dead units per hidden layer at the last check."""
        return self.dead[-1]

    @property
    def final_loss(self) -> float:
        """The loss before the last update."""
        return float(self.loss[-1])


def dead_units_run(
    eta: float,
    *,
    steps: int = 100,
    every: int = 5,
    depth: int = 4,
    width: int = 32,
    init: str = "he",
    seed: int = 0,
    dataset: str = "moons",
    n_samples: int = 100,
) -> DeadUnitsRun:
    """Train a ReLU network by full-batch gradient descent and count its dead units.

    The network (``depth`` hidden ReLU layers of ``width`` units, one sigmoid
    output) learns ``dataset`` from :mod:`helpers.datasets` (noise 0.1, drawn
    with ``seed``, which also draws the initial weights). Every ``every``
    steps the dead units are counted on the whole data set. A run that
    overflows (far too large an eta) stops there and says so.

    Results are cached, so a demo revisits a setting instantly; the returned
    arrays are read-only.
    """
    if isinstance(eta, bool) or not isinstance(eta, Real) or not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"eta (the learning rate) must be a positive number, got {eta!r}")
    for name, value in (("steps", steps), ("every", every), ("depth", depth), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    settings = (float(eta), int(steps), int(every), int(depth), int(width), init)
    return _dead_units_run(*settings, check_seed(seed), dataset, int(n_samples))


@lru_cache(maxsize=256)
def _dead_units_run(eta, steps, every, depth, width, init, seed, dataset, n_samples):
    X, y = make_dataset(dataset, n_samples=n_samples, noise=0.1, seed=seed)
    params = init_params(layer_sizes_for(X.shape[1], depth, width), init, seed)
    checked, dead, losses = [0], [dead_units(params, X)], []
    diverged_at = None
    while checked[-1] < steps:
        chunk = min(every, steps - checked[-1])
        run = train(params, X, y, "relu", eta=eta, steps=chunk, record=False)
        losses.append(run.history.loss)  # the finite part, up to a divergence
        if run.diverged_at is not None:  # the loss or the weights overflowed
            diverged_at = checked[-1] + run.diverged_at
            break
        with np.errstate(over="ignore", invalid="ignore"):  # finite weights, huge outputs
            outputs = _hidden_outputs(run.params, X, "relu")
        if not all(np.all(np.isfinite(a)) for a in outputs):
            diverged_at = checked[-1] + chunk
            break
        params = run.params
        checked.append(checked[-1] + chunk)
        dead.append([np.count_nonzero(dead_units_of_batch(a)) for a in outputs])
    arrays = [np.array(checked), np.array(dead), np.concatenate(losses)]
    for array in arrays:
        array.setflags(write=False)
    return DeadUnitsRun(
        *arrays, diverged_at, eta, steps, depth, width, init, seed, dataset, n_samples
    )
