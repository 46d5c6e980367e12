"""Zero and dead ReLU units (as :mod:`helpers.definitions` defines them) per layer of a
:mod:`helpers.mlp` network, and the short training runs that make dead units (NumPy only).

The two counts are easy to confuse: about half the outputs of a fresh ReLU layer
are zero, which is normal sparsity (each such unit still passes gradient for the
other samples), while a dead unit passes none for any sample of the data.
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

    ``params`` as from :func:`helpers.mlp.init_params`; ``X`` is ``(n_samples, n_inputs)``.
    """
    return np.array([np.mean(a == 0) for a in _hidden_outputs(params, X, activation)])


def dead_units(params, X, activation: str = "relu") -> np.ndarray:
    """Per hidden layer (input side first), how many units are dead on ``X``."""
    outputs = _hidden_outputs(params, X, activation)
    return np.array([np.count_nonzero(dead_units_of_batch(a)) for a in outputs])


@dataclass(frozen=True)
class DeadUnitsRun:
    """A run of :func:`dead_units_run`: ``dead[k]``, the dead units per hidden layer after
    ``steps_checked[k]`` steps (the first at 0); ``loss`` before each update; ``diverged_at``,
    the step by which the loss or the outputs overflowed float64 (the counts and the loss
    then stop at the last check before it), or None. The other fields are its settings.
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
    """Train a ReLU network by full-batch gradient descent, counting its dead units every ``every``
    steps on the whole data set; a run that overflows (eta far too large) stops there.

    ``depth`` hidden ReLU layers of ``width`` units and one sigmoid output learn
    ``dataset`` (noise 0.1); ``seed`` draws the data and the initial weights.
    Cached, so a demo revisits a setting instantly: the arrays are read-only.
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
