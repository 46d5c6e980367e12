"""A small multilayer perceptron in NumPy: initialisation, forward, backward, training.

Conventions (the lecture's vocabulary):

* ``X`` has shape ``(n_samples, n_inputs)``; a layer computes ``z = a @ W + b``
  and ``a = f(z)``, so ``W`` has shape ``(n_in, n_out)`` and ``b`` ``(n_out,)``.
* ``params`` is a list of ``(W, b)`` pairs, one per layer, input side first.
* ``layer_sizes = [n_inputs, hidden_1, ..., hidden_depth, n_outputs]``: the
  *depth* of a network is its number of hidden layers.
* Hidden layers use any activation in :data:`helpers.ACTIVATIONS` (through
  ``act.f`` and ``act.df``; nothing is reimplemented here).
* The output layer is chosen by its width: one unit means a sigmoid output
  with binary cross-entropy (labels 0/1); two or more mean a softmax output
  with cross-entropy (labels 0..n_outputs-1). Both losses are computed from
  the logits (log-sum-exp form), so they never take ``log(0)``.
* Losses are the *mean* over the samples, so gradients are too.

Everything is float64 and vectorised over samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np

from helpers.activations import ACTIVATIONS, Activation, get_activation

__all__ = [
    "INITS",
    "Forward",
    "GradientProfile",
    "backward",
    "forward",
    "gradient_profile",
    "init_params",
    "layer_sizes_for",
    "loss",
    "loss_and_gradients",
    "predict_proba",
]

INITS = ("standard", "xavier", "he")
"""Initialisation schemes known to :func:`init_params`."""


# --- argument checks ---------------------------------------------------------


def _as_rng(rng) -> np.random.Generator:
    """A Generator from a Generator or an integer seed (None means seed 0)."""
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be a numpy.random.Generator or an integer seed, got {type(rng).__name__}"
    )


def _check_positive_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _check_positive_real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return value


def _check_activation(activation) -> Activation:
    return get_activation(activation)  # raises a clear TypeError / ValueError


def _check_init(init) -> str:
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; known: {', '.join(map(repr, INITS))}")
    return init


def _check_X(X, n_inputs: int | None = None) -> np.ndarray:
    if isinstance(X, (str, bytes)) or X is None:
        raise TypeError(f"X must be a 2-D array of numbers, got {type(X).__name__}")
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"X must be a 2-D array of real numbers, got dtype {X.dtype}")
    X = X.astype(np.float64, copy=False)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D with shape (n_samples, n_inputs), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("X has no samples (shape[0] == 0)")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values; clean the data first")
    if n_inputs is not None and X.shape[1] != n_inputs:
        raise ValueError(
            f"X has {X.shape[1]} features per sample but the network's first layer "
            f"expects {n_inputs}"
        )
    return X


def _check_y(y, n_samples: int, n_outputs: int) -> np.ndarray:
    """Labels as a 1-D integer array of the right length and range."""
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"y must be a 1-D array of class labels, got {type(y).__name__}")
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"y must hold class labels (integers), got dtype {y.dtype}")
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D with shape (n_samples,), got shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ValueError(f"y has {y.shape[0]} labels but X has {n_samples} samples")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise ValueError("y contains NaN or infinite values; labels must be integers")
        if np.any(y != np.round(y)):
            raise ValueError("y must hold integer class labels, got fractional values")
    y = y.astype(np.int64)
    n_classes = 2 if n_outputs == 1 else n_outputs
    if np.any((y < 0) | (y >= n_classes)):
        raise ValueError(
            f"y must hold labels 0..{n_classes - 1} for a network with {n_outputs} "
            f"output unit(s), got values from {y.min()} to {y.max()}"
        )
    return y


def _check_params(params) -> list[tuple[np.ndarray, np.ndarray]]:
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise TypeError("params must be a non-empty list of (W, b) pairs, as from init_params")
    checked = []
    previous = None
    for index, pair in enumerate(params):
        try:
            W, b = pair
        except (TypeError, ValueError):
            raise TypeError(f"params[{index}] must be a (W, b) pair") from None
        W = np.asarray(W, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(
                f"params[{index}]: W must be 2-D (n_in, n_out) and b 1-D (n_out,), "
                f"got W {W.shape} and b {b.shape}"
            )
        if previous is not None and W.shape[0] != previous:
            raise ValueError(
                f"params[{index}] expects {W.shape[0]} inputs but the previous layer "
                f"has {previous} units"
            )
        previous = W.shape[1]
        checked.append((W, b))
    return checked


# --- initialisation ----------------------------------------------------------


def layer_sizes_for(n_inputs: int, depth: int, width: int, n_outputs: int = 1) -> list[int]:
    """``[n_inputs, width, ..., width, n_outputs]`` with ``depth`` hidden layers."""
    n_inputs = _check_positive_int(n_inputs, "n_inputs")
    depth = _check_positive_int(depth, "depth")
    width = _check_positive_int(width, "width")
    n_outputs = _check_positive_int(n_outputs, "n_outputs")
    return [n_inputs] + [width] * depth + [n_outputs]


def init_params(layer_sizes, init: str = "standard", rng=None, weight_scale: float = 1.0):
    """Random weights and zero biases for a network with these layer sizes.

    Args:
        layer_sizes: ``[n_inputs, hidden_1, ..., n_outputs]``, at least two
            positive integers.
        init: how each ``W`` of shape ``(n_in, n_out)`` is drawn:

            * ``"standard"``: uniform on ``[-1/sqrt(n_in), 1/sqrt(n_in)]``,
              variance ``1/(3 n_in)``; the common heuristic that Glorot &
              Bengio (2010, eq. 1) start from.
            * ``"xavier"``: Glorot & Bengio's *normalised* initialisation
              (their eq. 16), uniform on ``[-sqrt(6/(n_in+n_out)), +...]``,
              variance ``2/(n_in + n_out)``.
            * ``"he"``: He et al. (2015): normal with mean 0 and variance
              ``2/n_in``.
        rng: a ``numpy.random.Generator`` or an integer seed (``None``: seed 0).
        weight_scale: multiplies every weight after drawing (1 = the scheme
            as published). Larger values make gradients explode.

    Returns:
        A list of ``(W, b)`` pairs, float64, biases zero.
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError("layer_sizes must be a list of positive integers")
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least an input and an output size, got {list(layer_sizes)}"
        )
    sizes = [_check_positive_int(n, "every layer size") for n in layer_sizes]
    init = _check_init(init)
    generator = _as_rng(rng)
    if isinstance(weight_scale, bool) or not isinstance(weight_scale, Real):
        raise TypeError(f"weight_scale must be a number, got {type(weight_scale).__name__}")
    if not math.isfinite(weight_scale) or weight_scale < 0:
        raise ValueError(f"weight_scale must be a finite number >= 0, got {weight_scale}")

    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        if init == "standard":
            limit = 1 / math.sqrt(n_in)
            W = generator.uniform(-limit, limit, size=(n_in, n_out))
        elif init == "xavier":
            limit = math.sqrt(6 / (n_in + n_out))
            W = generator.uniform(-limit, limit, size=(n_in, n_out))
        else:  # "he"
            W = generator.normal(0.0, math.sqrt(2 / n_in), size=(n_in, n_out))
        params.append((W * float(weight_scale), np.zeros(n_out)))
    return params


# --- forward and backward ----------------------------------------------------


@dataclass
class Forward:
    """Everything the forward pass computed, kept for the backward pass.

    Attributes:
        zs: weighted sums ``z_l`` of the hidden layers, then the output logits;
            ``zs[l]`` has shape ``(n_samples, layer_sizes[l + 1])``.
        activations: ``[X, a_1, ..., a_depth]``: the input and the hidden
            layers' outputs (the output layer's probabilities are separate).
        probabilities: output probabilities: shape ``(n_samples,)`` for a
            sigmoid output (P(y = 1)), ``(n_samples, n_classes)`` for softmax.
    """

    zs: list = field(default_factory=list)
    activations: list = field(default_factory=list)
    probabilities: np.ndarray | None = None

    @property
    def logits(self) -> np.ndarray:
        return self.zs[-1]


def _softmax_and_logsumexp(logits: np.ndarray):
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    return exp / total, (np.log(total) + logits.max(axis=1, keepdims=True))[:, 0]


def _forward(params, X, act: Activation) -> Forward:
    """Forward pass without argument checks (callers have checked)."""
    zs = []
    activations = [X]
    a = X
    last = len(params) - 1
    for index, (W, b) in enumerate(params):
        z = a @ W + b
        zs.append(z)
        if index < last:
            a = act.f(z)
            activations.append(a)
    logits = zs[-1]
    if logits.shape[1] == 1:
        probabilities = ACTIVATIONS["sigmoid"].f(logits[:, 0])
    else:
        probabilities = _softmax_and_logsumexp(logits)[0]
    return Forward(zs, activations, probabilities)


def _loss_and_output_delta(logits: np.ndarray, y: np.ndarray):
    """Mean cross-entropy and its gradient with respect to the logits.

    Sigmoid + binary cross-entropy, from the logit z:
    ``-[y log σ(z) + (1-y) log(1-σ(z))] = softplus(z) - y z``, with
    ``softplus(z) = max(z, 0) + log1p(exp(-|z|))``, which never overflows.
    Softmax + cross-entropy: ``logsumexp(z) - z_y``.
    Both have the gradient ``(p - onehot(y)) / n``.
    """
    n = logits.shape[0]
    if logits.shape[1] == 1:
        z = logits[:, 0]
        softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
        loss_value = float(np.mean(softplus - y * z))
        p = ACTIVATIONS["sigmoid"].f(z)
        delta = ((p - y) / n)[:, None]
    else:
        p, lse = _softmax_and_logsumexp(logits)
        rows = np.arange(n)
        loss_value = float(np.mean(lse - logits[rows, y]))
        delta = p.copy()
        delta[rows, y] -= 1
        delta /= n
    return loss_value, delta


def _backward(params, cache: Forward, y: np.ndarray, act: Activation):
    """Hand-written backward pass (no checks).

    Returns ``(loss, grads, da)``: ``grads[l] = (dL/dW_l, dL/db_l)`` for every
    layer, and ``da[l] = dL/da_(l+1)``, the gradient reaching hidden layer
    ``l + 1`` (index 0 = the first hidden layer), shape ``(n, width_l)``.
    """
    loss_value, delta = _loss_and_output_delta(cache.zs[-1], y)
    n_layers = len(params)
    grads = [None] * n_layers
    da = [None] * (n_layers - 1)
    for index in range(n_layers - 1, -1, -1):
        W, _ = params[index]
        a_below = cache.activations[index]
        grads[index] = (a_below.T @ delta, delta.sum(axis=0))
        if index > 0:
            grad_a = delta @ W.T  # dL/da of the hidden layer below
            da[index - 1] = grad_a
            delta = grad_a * act.df(cache.zs[index - 1])  # dL/dz: chain rule through f
    return loss_value, grads, da


def forward(params, X, activation: str = "relu") -> Forward:
    """Run the network on ``X`` (shape ``(n_samples, n_inputs)``); see :class:`Forward`."""
    params = _check_params(params)
    act = _check_activation(activation)
    X = _check_X(X, params[0][0].shape[0])
    return _forward(params, X, act)


def predict_proba(params, X, activation: str = "relu") -> np.ndarray:
    """Output probabilities: ``(n,)`` for a sigmoid output, ``(n, k)`` for softmax."""
    return forward(params, X, activation).probabilities


def loss_and_gradients(params, X, y, activation: str = "relu"):
    """Mean cross-entropy loss and its gradients, by the hand-written backward pass.

    Returns:
        ``(loss, grads)`` with ``grads[l] = (dL/dW_l, dL/db_l)``, the same
        shapes as ``params``.
    """
    params = _check_params(params)
    act = _check_activation(activation)
    X = _check_X(X, params[0][0].shape[0])
    y = _check_y(y, X.shape[0], params[-1][0].shape[1])
    cache = _forward(params, X, act)
    loss_value, grads, _ = _backward(params, cache, y, act)
    return loss_value, grads


def backward(params, cache: Forward, y, activation: str = "relu"):
    """Backward pass from a :func:`forward` result.

    Returns:
        ``(loss, grads, da)``: the mean loss; ``grads[l] = (dL/dW_l, dL/db_l)``;
        ``da[l] = dL/da`` for hidden layer ``l`` (0 = nearest the input),
        shape ``(n_samples, width)``.
    """
    params = _check_params(params)
    act = _check_activation(activation)
    if not isinstance(cache, Forward):
        raise TypeError("cache must be the Forward object returned by forward()")
    y = _check_y(y, cache.activations[0].shape[0], params[-1][0].shape[1])
    return _backward(params, cache, y, act)


def loss(params, X, y, activation: str = "relu") -> float:
    """Mean cross-entropy of the network on ``(X, y)``."""
    params = _check_params(params)
    act = _check_activation(activation)
    X = _check_X(X, params[0][0].shape[0])
    y = _check_y(y, X.shape[0], params[-1][0].shape[1])
    return _loss_and_output_delta(_forward(params, X, act).zs[-1], y)[0]


# --- gradients at initialisation ---------------------------------------------


@dataclass(frozen=True)
class GradientProfile:
    """Per-hidden-layer measurements at initialisation (index 0 = nearest the input).

    Attributes:
        backprop_norm: the back-propagated gradient reaching each hidden layer,
            ``dL/da_l``, measured per sample and summarised as the root mean
            square over samples of its Euclidean norm,
            ``sqrt(mean_i ||dL_i/da_l[i]||^2)``, where ``L_i`` is sample i's
            own loss (so the number does not depend on how many samples
            there are).
        weight_grad_norm: Frobenius norm of ``dL/dW_l`` for the weights
            *into* hidden layer l, with ``L`` the mean loss over the samples.
        forward_std: standard deviation of the activations ``a_l`` over all
            samples and units.
        depth, activation, width, init, weight_scale, n_samples, seed: the
            settings that produced it.
    """

    backprop_norm: np.ndarray
    weight_grad_norm: np.ndarray
    forward_std: np.ndarray
    depth: int
    activation: str
    width: int
    init: str
    weight_scale: float
    n_samples: int
    seed: int


def gradient_profile(
    depth: int,
    activation: str,
    *,
    width: int = 32,
    init: str = "standard",
    weight_scale: float = 1.0,
    n_samples: int = 128,
    seed: int = 0,
) -> GradientProfile:
    """Measure how gradients and signals change with depth, at initialisation.

    The network has ``depth`` hidden layers of ``width`` units with the given
    activation and one sigmoid output unit with binary cross-entropy. Its
    input is ``n_samples`` points ``X ~ N(0, 1)`` of dimension ``width`` with
    random 0/1 labels; weights come from :func:`init_params` with ``init``
    and ``weight_scale``. All randomness comes from ``seed``. No training
    happens: this is one forward and one backward pass. See
    :class:`GradientProfile` for exactly what is measured.
    """
    depth = _check_positive_int(depth, "depth")
    act = _check_activation(activation)
    width = _check_positive_int(width, "width")
    n_samples = _check_positive_int(n_samples, "n_samples")
    _check_init(init)
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    rng = np.random.default_rng(int(seed))
    X = rng.standard_normal((n_samples, width))
    y = rng.integers(0, 2, size=n_samples)
    params = init_params(layer_sizes_for(width, depth, width), init, rng, weight_scale=weight_scale)
    cache = _forward(params, X, act)
    _, grads, da = _backward(params, cache, y, act)
    # da is the gradient of the *mean* loss; n * da[i] is sample i's own gradient.
    backprop = np.array([n_samples * np.sqrt(np.mean(np.sum(g * g, axis=1))) for g in da])
    weight_grad = np.array([np.linalg.norm(dW) for dW, _ in grads[:depth]])
    forward_std = np.array([a.std() for a in cache.activations[1:]])
    return GradientProfile(
        backprop_norm=backprop,
        weight_grad_norm=weight_grad,
        forward_std=forward_std,
        depth=depth,
        activation=act.name,
        width=width,
        init=init,
        weight_scale=float(weight_scale),
        n_samples=n_samples,
        seed=int(seed),
    )
