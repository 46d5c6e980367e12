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

__all__ = ["ETAS", "SEEDS", "DeadUnitsRun", "dead_units", "dead_units_run", "zero_fraction"]

# The experiment notebook 05 shows and its demo offers: these learning rates, these seeds.
ETAS = (0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0)
SEEDS = (0, 1, 2)


def _hidden_outputs(params, X, activation: str) -> list[np.ndarray]:
    return forward(params, X, activation).activations[1:]


def zero_fraction(params, X, activation: str = "relu") -> np.ndarray:
    """Per hidden layer, the fraction of outputs exactly 0 over all samples and units.

    Args:
        params: ``(W, b)`` pairs, as from :func:`helpers.mlp.init_params`.
        X: inputs, shape ``(n_samples, n_inputs)``.
        activation: the hidden layers' activation.

    Returns:
        Array of shape ``(depth,)``, index 0 = the layer nearest the input.
    """
    return np.array([np.mean(a == 0) for a in _hidden_outputs(params, X, activation)])


def dead_units(params, X, activation: str = "relu") -> np.ndarray:
    """Per hidden layer, how many units are dead: output exactly 0 for every sample of ``X``.

    The definition is :func:`helpers.definitions.dead_units`' (one for the course).

    Returns an integer array of shape ``(depth,)``, index 0 = nearest the input.
    """
    return np.array(
        [np.count_nonzero(dead_units_of_batch(a)) for a in _hidden_outputs(params, X, activation)]
    )


@dataclass(frozen=True)
class DeadUnitsRun:
    """A short full-batch training run, with its dead units counted along the way.

    Attributes:
        steps_checked: the steps after which the dead units were counted,
            shape ``(n_checks,)``; starts at 0 (the initial weights).
        dead: dead units per hidden layer at each of those steps,
            shape ``(n_checks, depth)``.
        loss: the training loss before each update, shape ``(steps,)``
            (shorter if the run diverged).
        diverged_at: the step by which the loss or the activations overflowed
            (float64 could no longer hold them), or None. The counts and the
            loss stop at the last check before it.
        eta, steps, depth, width, init, seed, dataset, n_samples: the settings.
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

    @property
    def peak_loss(self) -> float:
        """The largest loss during the run (a spike means eta overshoots)."""
        return float(self.loss.max())


def _check_settings(eta, steps, every, depth, width, seed):
    if isinstance(eta, bool) or not isinstance(eta, Real) or not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"eta (the learning rate) must be a positive number, got {eta!r}")
    for name, value in (("steps", steps), ("every", every), ("depth", depth), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")


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
    output) learns the toy data set ``dataset`` from :mod:`helpers.datasets`
    (``n_samples`` points, noise 0.1, generated with ``seed``); its weights
    come from :func:`helpers.mlp.init_params` with ``init`` and ``seed``.
    Every ``every`` steps the dead units are counted on the whole data set.
    A run that overflows (far too large an eta) stops there and says so.

    Results are cached: asking again for the same settings costs nothing, so
    a demo can revisit a setting instantly. The returned arrays are read-only.
    """
    _check_settings(eta, steps, every, depth, width, seed)
    settings = (float(eta), int(steps), int(every), int(depth), int(width), init, int(seed))
    return _dead_units_run(*settings, dataset, int(n_samples))


@lru_cache(maxsize=256)
def _dead_units_run(eta, steps, every, depth, width, init, seed, dataset, n_samples):
    X, y = make_dataset(dataset, n_samples=n_samples, noise=0.1, seed=seed)
    params = init_params(layer_sizes_for(X.shape[1], depth, width), init, seed)
    checked, dead, losses = [0], [dead_units(params, X)], []
    diverged_at = None
    done = 0
    while done < steps:
        chunk = min(every, steps - done)
        run = train(params, X, y, "relu", eta=eta, steps=chunk, record=False)
        losses.append(run.history.loss)  # the finite part, up to a divergence
        if run.diverged_at is not None:  # the loss or the weights overflowed
            diverged_at = done + run.diverged_at
            break
        with np.errstate(over="ignore", invalid="ignore"):  # finite weights, huge outputs
            outputs = _hidden_outputs(run.params, X, "relu")
        if not all(np.all(np.isfinite(a)) for a in outputs):
            diverged_at = done + chunk
            break
        params = run.params
        done += chunk
        checked.append(done)
        dead.append([np.count_nonzero(dead_units_of_batch(a)) for a in outputs])
    loss = np.concatenate(losses) if losses else np.empty(0)
    arrays = [np.array(checked), np.array(dead), loss]
    for array in arrays:
        array.setflags(write=False)
    return DeadUnitsRun(
        *arrays, diverged_at, eta, steps, depth, width, init, seed, dataset, n_samples
    )
