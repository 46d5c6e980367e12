"""The lecture notes' small network and its gradient, worked through the chain rule (NumPy only).

The network (pages 7-8 of the notes)::

    x1, x2, ... --w'--> o11 --w''11--> o21 --w'''11--> o31 --> L
                            --w''12--> o22 --w'''21-->

Every unit computes ``z = sum(w * input)`` (no bias) and ``o = f(z)``; the loss
is ``L = (o31 - y)**2 / 2``. ``w^(k)_ij`` (k primes) joins unit i of layer k-1
to unit j of layer k, so ``w'11`` (input x1 to o11) is the weight the notes
differentiate. Weights are a dict keyed by these names (:func:`weight_names`).

Notebook 04 writes the forward pass, the notes' two paths and the update
``w - eta * gradient`` itself and checks them against :func:`two_path_gradient`
(the notes' formula, every factor kept), :func:`backward` (a generic backward
pass) and :func:`finite_difference`. :func:`update_is_lost` and :func:`spacing`
say when float rounding swallows an update.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from helpers.activations import as_real_number, get_activation
from helpers.randomness import as_rng

UNITS = ("o11", "o21", "o22", "o31")
"""The units in the order the forward pass visits them."""

EXAMPLE_FACTORS = (0.2, 0.1, 0.05)
"""The notes' three local derivatives on the first path (page 9)."""

_HIDDEN_EDGES = (
    ("o11", "o21", "w''11"),
    ("o11", "o22", "w''12"),
    ("o21", "o31", "w'''11"),
    ("o22", "o31", "w'''21"),
)


def _inputs(x) -> tuple[float, ...]:
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"x must be a sequence of real numbers, got {type(x).__name__}")
    values = np.atleast_1d(np.asarray(x))
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"x must be a non-empty 1-D sequence of inputs, got shape {values.shape}")
    return tuple(as_real_number(v, f"x[{i}]") for i, v in enumerate(values.tolist()))


def weight_names(n_inputs: int = 2) -> tuple[str, ...]:
    """The network's weight names for ``n_inputs`` inputs, input side first."""
    if isinstance(n_inputs, bool) or not isinstance(n_inputs, Integral) or n_inputs < 1:
        raise ValueError(f"n_inputs must be a positive integer, got {n_inputs!r}")
    return tuple(f"w'{i}1" for i in range(1, n_inputs + 1)) + tuple(e[2] for e in _HIDDEN_EDGES)


def _weights(weights, n_inputs: int) -> dict[str, float]:
    if not isinstance(weights, dict):
        raise TypeError(
            f"weights must be a dict from weight names to numbers, got {type(weights).__name__}"
        )
    wanted = weight_names(n_inputs)
    if set(weights) != set(wanted):
        missing = ", ".join(name for name in wanted if name not in weights) or "none"
        extra = ", ".join(str(name) for name in weights if name not in wanted) or "none"
        raise ValueError(
            f"weights for {n_inputs} input(s) need exactly the names {', '.join(wanted)}; "
            f"missing {missing}; unexpected {extra}"
        )
    return {name: as_real_number(weights[name], f"weight {name}") for name in wanted}


def _network(weights, x, y, activation):
    x = _inputs(x)
    return _weights(weights, len(x)), x, as_real_number(y, "y"), get_activation(activation)


def _edges(n_inputs: int):
    """(source, target, weight name) for every connection, input side first."""
    inputs = tuple((f"x{i}", "o11", f"w'{i}1") for i in range(1, n_inputs + 1))
    return inputs + _HIDDEN_EDGES


def example_network() -> tuple[dict[str, float], tuple[float, float], float]:
    """The notebook's worked network: ``(weights, x, y)``, with w'11 = 2.5 as in the notes."""
    weights = {"w'11": 2.5, "w'21": -1.0, "w''11": 1.5, "w''12": -2.0, "w'''11": 1.0, "w'''21": 3.0}
    return weights, (1.0, 0.5), 1.0


def random_weights(n_inputs: int = 2, rng=None, scale: float = 1.0) -> dict[str, float]:
    """Weights drawn from N(0, scale^2); ``rng`` is a Generator or an integer seed."""
    rng = as_rng(rng)  # None means seed 0; a negative seed gets a clear message
    names = weight_names(n_inputs)
    values = rng.normal(0.0, as_real_number(scale, "scale"), size=len(names))
    return dict(zip(names, values.tolist(), strict=True))


@dataclass(frozen=True)
class ChainForward:
    """The forward pass: ``z`` and ``o = f(z)`` keyed by unit (``o`` also holds the inputs
    ``"x1"``, ...), the loss ``(o31 - y)**2 / 2`` and the activation's name."""

    z: dict
    o: dict
    loss: float
    activation: str


def _forward(weights, x, y, act) -> ChainForward:
    o = {f"x{i}": value for i, value in enumerate(x, start=1)}
    z = {}
    edges = _edges(len(x))
    for unit in UNITS:
        z[unit] = sum(weights[w] * o[source] for source, target, w in edges if target == unit)
        o[unit] = float(act.f(z[unit]))
    error = o["o31"] - y
    # error * error: Python's error ** 2 raises OverflowError near |y| = 1e308, not giving inf.
    return ChainForward(z, o, 0.5 * (error * error), act.name)


def forward(weights, x, y, activation: str = "sigmoid") -> ChainForward:
    """Run the network on inputs ``x`` with target ``y``; see :class:`ChainForward`."""
    return _forward(*_network(weights, x, y, activation))


def backward(weights, x, y, activation: str = "sigmoid") -> tuple[dict, dict]:
    """A generic backward pass: ``(dL/dw for every weight, dL/do for every unit and input)``.

    From the loss back to the inputs, each unit turns ``dL/do`` into ``dL/dz =
    dL/do * f'(z)``, records ``dL/dw = dL/dz * (the source's output)`` and hands
    ``dL/dz * w`` back to each source, adding up: the notes' sum over paths.
    """
    weights, x, y, act = _network(weights, x, y, activation)
    result = _forward(weights, x, y, act)
    grad_o = dict.fromkeys(result.o, 0.0)
    grad_o["o31"] = result.o["o31"] - y
    grad_w = {}
    for unit in reversed(UNITS):
        grad_z = grad_o[unit] * float(act.df(result.z[unit]))
        for source, target, w in _edges(len(x)):
            if target == unit:
                grad_w[w] = grad_z * result.o[source]
                grad_o[source] += grad_z * weights[w]
    return {name: grad_w[name] for name in weights}, grad_o


def finite_difference(
    weights, x, y, activation: str = "sigmoid", name: str = "w'11", eps: float = 1e-6
) -> float:
    """Central difference ``(L(w + eps) - L(w - eps)) / (2 eps)`` for the weight ``name``."""
    weights, x, y, act = _network(weights, x, y, activation)
    if name not in weights:
        raise ValueError(f"no weight called {name!r}; the weights are {', '.join(weights)}")
    eps = as_real_number(eps, "eps")
    if eps <= 0:
        raise ValueError(f"eps must be positive, got {eps}")
    high, low = (_forward(weights | {name: weights[name] + d}, x, y, act).loss for d in (eps, -eps))
    if not (math.isfinite(high) and math.isfinite(low)):
        raise ValueError(
            f"the loss is too large for float64 near these weights (y = {y!r}): "
            "a finite difference of inf and inf is undefined"
        )
    return (high - low) / (2 * eps)


@dataclass(frozen=True)
class Factor:
    """One local derivative of a path, the unit's slope times a weight or input: ``value = df *
    times``, e.g. ``∂o21/∂o11 = f'(z21) * w''11`` (``times_name = "w''11"``)."""

    name: str
    value: float
    df: float
    times: float
    times_name: str


@dataclass(frozen=True)
class PathTerm:
    """One path from w'11 to o31: its local derivatives and their product."""

    factors: tuple[Factor, ...]
    product: float


@dataclass(frozen=True)
class TwoPathGradient:
    """The notes' ``dL/dw'11 = dL_do31 * (paths[0].product + paths[1].product)``."""

    dL_do31: float
    paths: tuple[PathTerm, PathTerm]
    value: float


def two_path_gradient(weights, x, y, activation: str = "sigmoid") -> TwoPathGradient:
    """``dL/dw'11`` exactly as the notes write it (page 8)::

        dL/dw'11 = dL/do31 * [ (do31/do21 * do21/do11 * do11/dw'11)
                              + (do31/do22 * do22/do11 * do11/dw'11) ]

    Each local derivative is the activation's slope times what multiplies in:
    ``do21/do11 = f'(z21) * w''11``, ``do11/dw'11 = f'(z11) * x1``.
    """
    weights, x, y, act = _network(weights, x, y, activation)
    result = _forward(weights, x, y, act)
    z, o = result.z, result.o

    def factor(name, unit, times, times_name):
        slope = float(act.df(z[unit]))
        return Factor(name, slope * times, slope, times, times_name)

    do11_dw = factor("∂o11/∂w'11", "o11", x[0], "x1")
    paths = []
    for middle, w_in, w_out in (("o21", "w''11", "w'''11"), ("o22", "w''12", "w'''21")):
        factors = (
            factor(f"∂o31/∂{middle}", "o31", weights[w_out], w_out),
            factor(f"∂{middle}/∂o11", middle, weights[w_in], w_in),
            do11_dw,
        )
        paths.append(PathTerm(factors, math.prod(f.value for f in factors)))
    dL_do31 = o["o31"] - y
    return TwoPathGradient(dL_do31, tuple(paths), dL_do31 * (paths[0].product + paths[1].product))


def _dtype(dtype) -> type:
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be 'float64' or 'float32', got {dtype!r}") from None
    if dtype not in (np.float64, np.float32):
        raise ValueError(f"dtype must be 'float64' or 'float32', got {dtype}")
    return dtype.type


def update_is_lost(w_old, eta, gradient, dtype="float32") -> bool:
    """True when ``eta * gradient`` is not 0 but ``w_old - eta * gradient`` rounds back to
    ``w_old`` in ``dtype``: the step is below about half the :func:`spacing` there."""
    t = _dtype(dtype)
    w_old = t(as_real_number(w_old, "w_old"))
    step = t(as_real_number(eta, "eta")) * t(as_real_number(gradient, "gradient"))
    return bool(step != 0 and w_old - step == w_old)


def spacing(w, dtype="float32") -> float:
    """The gap from ``|w|`` to the next larger ``dtype`` number: at 2.5, 2.4e-7 in float32 and
    4.4e-16 in float64. Rounding to nearest loses a step below about half of it."""
    return float(np.spacing(_dtype(dtype)(abs(as_real_number(w, "w")))))
