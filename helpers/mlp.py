"""A small multilayer perceptron in NumPy: initialisation, forward, backward, training.

Conventions (the lecture's vocabulary):

* ``X`` is ``(n_samples, n_inputs)``; a layer computes ``z = a @ W + b`` and ``a = f(z)``
  (``W``: ``(n_in, n_out)``, ``b``: ``(n_out,)``; f, f' from :data:`helpers.ACTIVATIONS`).
* ``layer_sizes = [n_inputs, hidden_1, ..., hidden_depth, n_outputs]``; the *depth* is
  the number of hidden layers.
* One output unit means a sigmoid output with binary cross-entropy (labels 0/1), more a
  softmax output with cross-entropy (labels 0..n_outputs-1). Both losses are computed
  from the logits (log-sum-exp form: never ``log(0)``) and are the *mean* over the
  samples, as are the gradients.

Two options (notebook 07), off by default, taken by every function that builds or runs
a network (pass the same values to all of them):

* ``skip=True``, residual connections (He et al. 2016): hidden layer 1 projects the
  input, ``a_1 = f(n(z_1))``; every later one adds its input, ``a_l = a_(l-1) + f(n(z_l))``,
  so all hidden layers need the same width.
* ``norm``: ``"none"`` (``n(z) = z``), ``"batch"`` (Ioffe & Szegedy 2015: each unit's z
  normalised over the batch) or ``"layer"`` (Ba et al. 2016: each sample's z normalised
  over the layer's units), then a learned scale and shift,
  ``n(z) = gamma * (z - mean) / sqrt(var + NORM_EPS) + beta``.

``params`` has one tuple per layer, input side first:

* ``norm="none"``: every layer ``(W, b)``;
* ``norm="layer"``: hidden layers ``(W, b, gamma, beta)``, output ``(W, b)``;
* ``norm="batch"``: hidden layers ``(W, b, gamma, beta, running_mean, running_var)``,
  output ``(W, b)``; the running statistics are not learned, each training step moves
  them towards the batch's (``MOMENTUM``).

Gradients have the learned part's layout, ``(dW, db[, dgamma, dbeta])``. Batch norm
normalises with the batch's statistics in ``forward``, ``loss_and_gradients``,
``gradient_profile`` and training steps, with the running ones in ``predict_proba`` and
``loss`` (evaluation); ``training=`` chooses the other. Everything is float64 (training
also float32) and vectorised over samples.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np

from helpers.activations import ACTIVATIONS, Activation, get_activation
from helpers.definitions import SATURATION_FRACTION
from helpers.randomness import as_rng, check_seed

INITS = ("standard", "xavier", "he")
"""Initialisation schemes known to :func:`init_params`."""
NORMS = ("none", "batch", "layer")
"""Normalisations of z known to every function here (``norm=``)."""
NORM_EPS = 1e-5
"""Added to the variance before its square root (as PyTorch does): no division by 0."""
MOMENTUM = 0.1
"""Batch norm's running statistics: ``running = (1 - MOMENTUM) * running + MOMENTUM * batch``
(PyTorch's rule; the batch's variance enters unbiased, times m / (m - 1))."""


# --- argument checks (at the public entry points only) --------------------------


def _int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _options(activation, skip, norm) -> Activation:
    """The activation, after checking ``skip`` and ``norm``."""
    if not isinstance(skip, (bool, np.bool_)):
        raise TypeError(f"skip must be True or False, got {type(skip).__name__} {skip!r}")
    if norm not in NORMS:
        raise ValueError(f"unknown norm {norm!r}; known: {', '.join(map(repr, NORMS))}")
    return get_activation(activation)  # raises a clear TypeError / ValueError


def _array(value, name: str, ndim: int, shape: str) -> np.ndarray:
    """A real array of ``ndim`` dimensions, finite, or a clear error."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a {ndim}-D array of numbers, got {type(value).__name__}")
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D with shape {shape}, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values; clean the data first")
    return array


def _check_X(X, n_inputs: int | None = None) -> np.ndarray:
    X = _array(X, "X", 2, "(n_samples, n_inputs)").astype(np.float64, copy=False)
    if X.shape[0] == 0:
        raise ValueError("X has no samples (shape[0] == 0)")
    if n_inputs is not None and X.shape[1] != n_inputs:
        raise ValueError(
            f"X has {X.shape[1]} features; the network's first layer expects {n_inputs}"
        )
    return X


def _check_y(y, n_samples: int, n_outputs: int | None = None, n_classes: int | None = None):
    """Labels as int64 and the number of classes k, checked before anything is allocated.

    The labels must lie in 0..k-1, k given by the network's ``n_outputs``, else by
    ``n_classes``, else (:func:`fit`) by the labels, which must then all be present.
    """
    y = _array(y, "y", 1, "(n_samples,)")
    if y.shape[0] != n_samples:
        raise ValueError(f"y has {y.shape[0]} labels but X has {n_samples} samples")
    if np.any(y != np.round(y)):
        raise ValueError("y must hold integer class labels, got fractional values")
    values = np.unique(y)  # sorted; at most n_samples of them, whatever their size
    shown = ", ".join(f"{v:g}" for v in values[:6]) + (", ..." if len(values) > 6 else "")
    got = f"got {len(values)} distinct label(s): {shown}"
    if n_outputs is not None:
        n_classes = 2 if n_outputs == 1 else n_outputs
        message = (
            f"y must hold labels 0..{n_classes - 1} for a network with {n_outputs} "
            f"output unit(s), got values from {values[0]} to {values[-1]}"
        )
    elif n_classes is not None:
        n_classes = _int(n_classes, "n_classes", minimum=2)
        message = f"with n_classes={n_classes} y must hold labels 0..{n_classes - 1}; {got}"
    else:
        n_classes = len(values)
        message = (
            "y must hold the class labels 0..k-1 with every class present (k >= 2), "
            f"{got}. Relabel them (np.unique(y, return_inverse=True)[1]) or pass "
            "n_classes= if some classes are missing on purpose"
        )
    if n_classes < 2 or values[0] < 0 or values[-1] >= n_classes:
        raise ValueError(message)
    return y.astype(np.int64), n_classes


_LAYOUT = {"none": "(W, b)", "layer": "(W, b, gamma, beta)"}
_LAYOUT["batch"] = "(W, b, gamma, beta, running_mean, running_var)"


def _check_params(params, skip: bool = False, norm: str = "none") -> list[tuple]:
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise TypeError("params must be a non-empty list of (W, b) pairs, as from init_params")
    checked, previous = [], None
    for index, layer in enumerate(params):
        hidden = index < len(params) - 1
        expected = _LAYOUT[norm if hidden else "none"]
        if not isinstance(layer, (list, tuple)) or len(layer) != expected.count(",") + 1:
            raise TypeError(
                f"params[{index}] must be {expected} for {'a hidden' if hidden else 'the output'} "
                f"layer with norm={norm!r} (init_params(..., norm=...) makes them)"
            )
        W, *vectors = (np.asarray(array, dtype=np.float64) for array in layer)
        if W.ndim != 2 or any(v.shape != (W.shape[1],) for v in vectors):
            raise ValueError(f"params[{index}]: W must be (n_in, n_out), the vectors (n_out,)")
        if previous is not None and W.shape[0] != previous:
            raise ValueError(
                f"params[{index}] expects {W.shape[0]} inputs; the previous layer has {previous}"
            )
        if skip and hidden and index > 0 and W.shape[1] != previous:
            raise ValueError(f"skip=True needs hidden layers of equal widths: params[{index}]")
        previous = W.shape[1]
        checked.append((W, *vectors))
    return checked


def _checked(params, X, activation, skip, norm, y=None):
    """The public functions' checks: ``(params, X, act)``, then ``y`` if given."""
    act = _options(activation, skip, norm)
    params = _check_params(params, skip, norm)
    X = _check_X(X, len(params[0][0]))
    if y is None:
        return params, X, act
    return params, X, act, _check_y(y, X.shape[0], params[-1][0].shape[1])[0]


def _settings(eta, steps, batch_size, n: int, dtype) -> tuple:
    """Training settings checked: ``(eta, steps, batch_size, dtype)``."""
    if isinstance(eta, bool) or not isinstance(eta, Real):
        raise TypeError(f"eta (the learning rate) must be a number, got {type(eta).__name__}")
    if not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"eta (the learning rate) must be a positive finite number, got {eta}")
    if batch_size is not None and _int(batch_size, "batch_size") > n:
        raise ValueError(f"batch_size ({batch_size}) is larger than the data ({n} samples)")
    if np.dtype(dtype) not in (np.float64, np.float32):
        raise ValueError(f"dtype must be 'float64' or 'float32', got {dtype!r}")
    return float(eta), _int(steps, "steps"), batch_size, np.dtype(dtype)


# --- initialisation ----------------------------------------------------------


def layer_sizes_for(n_inputs: int, depth: int, width: int, n_outputs: int = 1) -> list[int]:
    """``[n_inputs, width, ..., width, n_outputs]`` with ``depth`` hidden layers."""
    depth, width = _int(depth, "depth"), _int(width, "width")
    return [_int(n_inputs, "n_inputs")] + [width] * depth + [_int(n_outputs, "n_outputs")]


def init_params(
    layer_sizes, init="standard", rng=None, weight_scale=1.0, *, skip=False, norm="none"
):
    """Random weights and zero biases for a network with these layer sizes.

    Args:
        layer_sizes: ``[n_inputs, hidden_1, ..., n_outputs]``, at least two positive
            integers (with ``skip``, equal hidden widths).
        init: how each ``W`` of shape ``(n_in, n_out)`` is drawn:

            * ``"standard"``: uniform on ``[-1/sqrt(n_in), 1/sqrt(n_in)]``, variance
              ``1/(3 n_in)``; the common heuristic Glorot & Bengio (2010, eq. 1) start from.
            * ``"xavier"``: Glorot & Bengio's *normalised* initialisation (their eq. 16),
              uniform on ``[-sqrt(6/(n_in+n_out)), +...]``, variance ``2/(n_in + n_out)``.
            * ``"he"``: He et al. (2015): normal with mean 0 and variance ``2/n_in``.
        rng: a ``numpy.random.Generator`` or an integer seed (``None``: seed 0).
        weight_scale: multiplies every weight after drawing (1 = the scheme as
            published). Larger values make gradients explode.
        skip, norm: the options; ``norm`` adds ``gamma = 1``, ``beta = 0`` (``"batch"``
            also running mean 0, variance 1).
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError("layer_sizes must be a list of positive integers")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size: {layer_sizes}")
    sizes = [_int(n, "every layer size") for n in layer_sizes]
    _options("relu", skip, norm)
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; known: {', '.join(map(repr, INITS))}")
    if isinstance(weight_scale, bool) or not isinstance(weight_scale, Real):
        raise TypeError(f"weight_scale must be a number, got {type(weight_scale).__name__}")
    if not math.isfinite(weight_scale) or weight_scale < 0:
        raise ValueError(f"weight_scale must be a finite number >= 0, got {weight_scale}")
    if skip and len(set(sizes[1:-1])) > 1:
        raise ValueError(f"skip=True needs hidden layers of equal widths, got {sizes[1:-1]}")
    generator, params = as_rng(rng), []
    for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        if init == "he":
            W = generator.normal(0.0, math.sqrt(2 / n_in), size=(n_in, n_out))
        else:
            limit = 1 / math.sqrt(n_in) if init == "standard" else math.sqrt(6 / (n_in + n_out))
            W = generator.uniform(-limit, limit, size=(n_in, n_out))
        layer = (W * float(weight_scale), np.zeros(n_out))
        if norm != "none" and index < len(sizes) - 2:
            layer += (np.ones(n_out), np.zeros(n_out))
            layer += (np.zeros(n_out), np.ones(n_out)) if norm == "batch" else ()
        params.append(layer)
    return params


# --- forward and backward ----------------------------------------------------


@dataclass
class Forward:
    """Everything the forward pass computed, kept for the backward pass.

    Attributes:
        zs: weighted sums ``z_l = a_(l-1) @ W_l + b_l`` of the hidden layers, then the
            output logits; ``zs[l]`` has shape ``(n_samples, layer_sizes[l + 1])``.
        f_inputs: per hidden layer, the values fed to f, ``n(z_l)`` (``zs[l]`` itself
            when ``norm="none"``): their histogram shows where on f the units sit.
        f_outputs: per hidden layer, ``f(f_inputs[l])``, the units' own outputs
            (``activations[l + 1]`` without skips).
        activations: ``[X, a_1, ..., a_depth]``: the input and the hidden layers'
            outputs (with skips ``a_l = a_(l-1) + f_outputs[l-1]``).
        probabilities: output probabilities: shape ``(n_samples,)`` for a sigmoid
            output (P(y = 1)), ``(n_samples, n_classes)`` for softmax.
        skip, norm, training: the options it ran with (``training``: batch
            statistics, not running ones, for ``norm="batch"``).
        norm_stats: per hidden layer with ``norm``, ``(zhat, 1 / std, mean, var)``:
            ``zhat = (z - mean) / std`` and the statistics used.
    """

    zs: list = field(default_factory=list)
    activations: list = field(default_factory=list)
    probabilities: np.ndarray | None = None
    f_inputs: list = field(default_factory=list)
    f_outputs: list = field(default_factory=list)
    skip: bool = False
    norm: str = "none"
    training: bool = True
    norm_stats: list = field(default_factory=list)

    @property
    def logits(self) -> np.ndarray:
        return self.zs[-1]


def _softmax_and_logsumexp(logits: np.ndarray):
    top = logits.max(axis=1, keepdims=True)
    exp = np.exp(logits - top)
    total = exp.sum(axis=1, keepdims=True)
    return exp / total, (np.log(total) + top)[:, 0]


def _forward(params, X, act: Activation, skip=False, norm="none", training=True) -> Forward:
    """Forward pass without argument checks (callers have checked)."""
    cache = Forward(activations=[X], skip=skip, norm=norm, training=training)
    a = X
    for index, layer in enumerate(params[:-1]):
        z = a @ layer[0] + layer[1]
        cache.zs.append(z)
        if norm != "none":
            if norm == "batch" and not training:  # evaluation: the running statistics
                mean, var = layer[4], layer[5]
            else:  # per unit over the batch, or per sample over the units
                axis = 0 if norm == "batch" else 1
                mean, var = z.mean(axis=axis, keepdims=True), z.var(axis=axis, keepdims=True)
            inv_std = 1 / np.sqrt(var + NORM_EPS)
            zhat = (z - mean) * inv_std
            cache.norm_stats.append((zhat, inv_std, mean, var))
            z = layer[2] * zhat + layer[3]
        h = act.f(z)
        cache.f_inputs.append(z)
        cache.f_outputs.append(h)
        a = a + h if skip and index > 0 else h
        cache.activations.append(a)
    logits = a @ params[-1][0] + params[-1][1]
    cache.zs.append(logits)
    if logits.shape[1] == 1:
        cache.probabilities = ACTIVATIONS["sigmoid"].f(logits[:, 0])
    else:
        cache.probabilities = _softmax_and_logsumexp(logits)[0]
    return cache


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
        delta = ((p - y.astype(p.dtype)) / n)[:, None]
    else:
        p, lse = _softmax_and_logsumexp(logits)
        rows = np.arange(n)
        loss_value = float(np.mean(lse - logits[rows, y]))
        delta = p.copy()
        delta[rows, y] -= 1
        delta /= n
    return loss_value, delta


def _backward(params, cache: Forward, y: np.ndarray, act: Activation):
    """Hand-written backward pass (no checks); the options come from ``cache``.

    Returns ``(loss, grads, da, dX)``: ``grads[l]`` as the module docstring says,
    ``da[l] = dL/da_(l+1)``, the gradient reaching hidden layer ``l + 1`` (index 0 =
    the first hidden layer; with skips it includes the skip path), and ``dX = dL/dX``.
    """
    loss_value, delta = _loss_and_output_delta(cache.zs[-1], y)
    depth = len(params) - 1
    a = cache.activations
    grads, da = [None] * (depth + 1), [None] * depth
    grads[depth] = (a[depth].T @ delta, delta.sum(axis=0))
    g = delta @ params[depth][0].T  # dL/da of the last hidden layer
    for index in range(depth - 1, -1, -1):
        da[index] = g
        layer = params[index]
        delta = g * act.df(cache.f_inputs[index])  # dL/dn(z): the chain rule through f
        extra = ()
        if cache.norm != "none":
            zhat, inv_std = cache.norm_stats[index][:2]
            extra = ((delta * zhat).sum(axis=0), delta.sum(axis=0))  # dgamma, dbeta
            dzhat = delta * layer[2]
            if cache.norm == "batch" and not cache.training:  # constant statistics
                delta = dzhat * inv_std
            else:  # the mean and variance depend on z too (over the batch or the units)
                axis = 0 if cache.norm == "batch" else 1
                mean_dzhat = dzhat.mean(axis=axis, keepdims=True)
                mean_both = (dzhat * zhat).mean(axis=axis, keepdims=True)
                delta = inv_std * (dzhat - mean_dzhat - zhat * mean_both)
        grads[index] = (a[index].T @ delta, delta.sum(axis=0), *extra)
        below = delta @ layer[0].T  # dL/da of the layer below, through W
        g = below + g if cache.skip and index > 0 else below  # plus the skip path's 1
    return loss_value, grads, da, g


def forward(params, X, activation="relu", *, skip=False, norm="none", training=True) -> Forward:
    """Run the network on ``X`` (shape ``(n_samples, n_inputs)``); see :class:`Forward`."""
    params, X, act = _checked(params, X, activation, skip, norm)
    return _forward(params, X, act, skip, norm, training)


def predict_proba(params, X, activation="relu", *, skip=False, norm="none", training=False):
    """Output probabilities: ``(n,)`` for a sigmoid output, ``(n, k)`` for softmax."""
    return forward(params, X, activation, skip=skip, norm=norm, training=training).probabilities


def loss_and_gradients(params, X, y, activation="relu", *, skip=False, norm="none", training=True):
    """Mean cross-entropy and its gradients, ``(loss, grads)``, by the backward pass."""
    params, X, act, y = _checked(params, X, activation, skip, norm, y)
    return _backward(params, _forward(params, X, act, skip, norm, training), y, act)[:2]


def backward(params, cache: Forward, y, activation="relu", *, skip=False, norm="none"):
    """``(loss, grads, da)`` from a :func:`forward` result run with the same options.

    ``da[l] = dL/da`` for hidden layer ``l`` (0 = nearest the input), ``(n_samples, width)``.
    """
    if not isinstance(cache, Forward):
        raise TypeError("cache must be the Forward object returned by forward()")
    params, _, act, y = _checked(params, cache.activations[0], activation, skip, norm, y)
    if (cache.skip, cache.norm) != (skip, norm):
        raise ValueError(
            f"cache was computed with skip={cache.skip}, norm={cache.norm!r}, not these"
        )
    return _backward(params, cache, y, act)[:3]


def loss(params, X, y, activation="relu", *, skip=False, norm="none", training=False) -> float:
    """Mean cross-entropy of the network on ``(X, y)``."""
    params, X, act, y = _checked(params, X, activation, skip, norm, y)
    return _loss_and_output_delta(_forward(params, X, act, skip, norm, training).zs[-1], y)[0]


# --- gradients at initialisation ---------------------------------------------


@dataclass(frozen=True)
class GradientProfile:
    """What :func:`gradient_profile` measured per hidden layer (index 0 = nearest the input).

    Attributes:
        backprop_norm: the gradient reaching each hidden layer, ``dL/da_l``, as the root
            mean square over samples of each sample's own gradient norm,
            ``sqrt(mean_i ||dL_i/da_l[i]||^2)`` (``L_i`` sample i's loss), which does not
            depend on the number of samples; with ``norm="batch"``, where a sample's
            loss depends on the others, ``n`` times the mean loss's gradient.
        weight_grad_norm: Frobenius norm of ``dL/dW_l`` (weights *into* hidden layer l,
            ``L`` the mean loss).
        forward_std: standard deviation of ``a_l`` over all samples and units.
        depth, activation, width, init, weight_scale, n_samples, seed, skip, norm: the
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
    skip: bool = False
    norm: str = "none"


def gradient_profile(
    depth: int,
    activation: str,
    *,
    width: int = 32,
    init: str = "standard",
    weight_scale: float = 1.0,
    n_samples: int = 128,
    seed: int = 0,
    skip: bool = False,
    norm: str = "none",
) -> GradientProfile:
    """How gradients and signals change with depth, at initialisation (no training).

    The network has ``depth`` hidden layers of ``width`` units (with the options, batch
    statistics) and one sigmoid output unit, weights from :func:`init_params`; its input
    is ``n_samples`` points ``X ~ N(0, 1)`` of dimension ``width`` with random 0/1
    labels. All randomness comes from ``seed``: one forward and one backward pass.
    """
    act, X, y, params = _random_network(
        depth, activation, width, init, weight_scale, n_samples, seed, skip, norm
    )
    cache = _forward(params, X, act, skip, norm)
    _, grads, da, _ = _backward(params, cache, y, act)
    # da is the gradient of the *mean* loss; n * da[i] is sample i's own gradient.
    backprop = np.array([len(y) * np.sqrt(np.mean(np.sum(g * g, axis=1))) for g in da])
    return GradientProfile(
        backprop,
        np.array([np.linalg.norm(grad[0]) for grad in grads[:-1]]),
        np.array([a.std() for a in cache.activations[1:]]),
        *(len(da), act.name, X.shape[1], init, float(weight_scale), len(y), int(seed), skip, norm),
    )


def _random_network(
    depth, activation, width, init, weight_scale, n_samples, seed, skip, norm, y=True
):
    """``(act, X ~ N(0, 1), random 0/1 labels, params)`` for the profiles, after checks."""
    act = _options(activation, skip, norm)
    sizes = layer_sizes_for(width, depth, width)
    n_samples = _int(n_samples, "n_samples")
    rng = np.random.default_rng(check_seed(seed))
    X = rng.standard_normal((n_samples, sizes[0]))
    y = rng.integers(0, 2, size=n_samples) if y else None  # (drawn before W, as always)
    return act, X, y, init_params(sizes, init, rng, weight_scale, skip=skip, norm=norm)


def signal_profile(
    depth, activation, *, width=256, init="he", weight_scale=1.0, n_samples=256, seed=0
) -> np.ndarray:
    """Size of the forward signal: root mean square of ``z`` in each layer, at initialisation.

    The network is :func:`gradient_profile`'s, without options. Returns ``sqrt(mean(z**2))``
    over all samples and units of hidden layers 1..depth, then of the output unit: the
    factors by which the signal (1 at the input) has grown or shrunk. Over random weights
    ``z`` has mean 0, so this estimates the standard deviation He et al. (2015) analyse.
    """
    act, X, _, params = _random_network(
        depth, activation, width, init, weight_scale, n_samples, seed, False, "none", y=False
    )
    return np.array([np.sqrt(np.mean(z * z)) for z in _forward(params, X, act).zs])


# --- training ------------------------------------------------------------------


def saturation_rule(activation: str) -> str:
    """In words, when :func:`train` counts a unit as saturated (:mod:`helpers.definitions`)."""
    name = get_activation(activation).name
    if name == "sigmoid":
        return "sigmoid' below 10 % of its peak: output below 0.026 or above 0.974 (|z| > 3.64)"
    if name == "tanh":
        return "tanh' below 10 % of its peak: |tanh z| > 0.949 (|z| > 1.82)"
    return f"never: {name} does not saturate (the fraction is recorded as 0)"


@dataclass
class TrainingHistory:
    """What :func:`train` recorded at every step, *before* that step's update.

    Arrays are indexed ``[step, layer]``, hidden layers from the input (0 = the first);
    ``weight_grad_norm`` has one more column, the output layer's weights, last. The unit
    statistics (saturated, dead, zero, mean) are about the units' own outputs
    ``f(n(z))`` (with skips the layer passes on their sum with its input).

    Attributes:
        loss: mean cross-entropy on the step's batch, shape ``(steps,)``.
        weight_grad_norm: Frobenius norm of ``dL/dW`` per weight layer.
        backprop_norm: the gradient reaching each hidden layer, ``dL/da`` (with skips
            through both paths), measured as :class:`GradientProfile`'s.
        saturated_fraction: share of the layer's outputs (over the batch and units) that
            are saturated (:func:`saturation_rule`); 0 for activations that do not.
        dead_fraction: share of the layer's units that are *dead* on the step's batch:
            output exactly 0 for every sample (no gradient reaches their weights).
        zero_fraction: share of the layer's outputs that are exactly 0 (about half in a
            fresh ReLU layer; ``dead_fraction`` meant this before the vocabulary was fixed).
        mean_activation: mean of the outputs over the batch and units.
    """

    loss: np.ndarray
    weight_grad_norm: np.ndarray
    backprop_norm: np.ndarray
    saturated_fraction: np.ndarray
    dead_fraction: np.ndarray
    zero_fraction: np.ndarray
    mean_activation: np.ndarray


@dataclass
class TrainingRun:
    """The result of :func:`train`: final weights, history and the settings used."""

    params: list
    history: TrainingHistory
    activation: str
    layer_sizes: list
    eta: float
    steps: int
    batch_size: int | None
    diverged_at: int | None = None
    """The step at which the loss or the weights stopped being finite numbers (eta too
    large); training stopped there, the history ends there and ``params`` are the last
    finite ones. None when training ran to the end."""
    skip: bool = False
    norm: str = "none"

    @property
    def depth(self) -> int:
        return len(self.layer_sizes) - 2

    @property
    def final_loss(self) -> float:
        """The loss recorded at the last step run (before its update); NaN if none."""
        return float(self.history.loss[-1]) if len(self.history.loss) else math.nan


# Trainer computes what _forward and _backward do, with the same formulas (tests/test_mlp.py
# compares it with a plain loop over forward()/backward()), 2-2.5 times faster: its work
# arrays are allocated once per run, and every pass over the data does several jobs.
# * sigmoid, tanh and ReLU are computed in place, their slopes from the outputs (a(1 - a),
#   1 - a², [a > 0]), and the statistics reuse those arrays (saturated: slope below 10 % of
#   the peak). Other activations go through ``act.f`` and ``act.df``.
# * biases' gradients, column sums and batch norm's means are matrix-vector products
#   (BLAS); the column sums give the mean activation and the candidate dead units.
# * ``W`` is kept with a contiguous copy of its transpose: ``delta @ W.T`` then needs no
#   transposed operand (slower in float64 on OpenBLAS; see benchmarks/train_speed.py).


def _like(arrays) -> list:
    return [np.empty_like(array) for array in arrays]


class Trainer:
    """Plain gradient descent, ``W <- W - eta * dL/dW``, a chunk of steps at a time.

    :func:`train` is ``Trainer(...).advance()`` then :meth:`result`; the lab advances a
    few steps, draws, and goes on.

    Args:
        params: starting weights, as from :func:`init_params` (not modified).
        X, y: inputs ``(n_samples, n_inputs)`` and labels ``(n_samples,)``, 0..k-1 for k
            output units (0/1 for one sigmoid output).
        activation, eta, steps: the hidden layers' activation, the learning rate (> 0),
            the number of updates (>= 1).
        batch_size: None for full-batch gradient descent; otherwise each step uses
            ``batch_size`` samples, in order from a fresh random permutation of the data
            every epoch, drawn from ``rng`` (Generator or integer seed; None: seed 0).
        record: False skips the per-layer statistics (the loss is kept).
        dtype: ``"float64"`` (default) or ``"float32"``, about twice as fast (as the
            frameworks compute) but tiny gradients (< 1e-38) round to 0.
        skip, norm: the options; steps use the batch's statistics and move the running
            ones towards them.
    """

    def __init__(
        self,
        params,
        X,
        y,
        activation: str = "relu",
        *,
        eta: float,
        steps: int,
        batch_size: int | None = None,
        rng=None,
        record: bool = True,
        dtype="float64",
        skip: bool = False,
        norm: str = "none",
    ):
        params, X, act, y = _checked(params, X, activation, skip, norm, y)
        settings = _settings(eta, steps, batch_size, X.shape[0], dtype)
        self.eta, self.steps, self.batch_size, dtype = settings
        self.act, self.record, self.dtype, self.skip, self.norm = act, record, dtype, skip, norm
        self._generator = as_rng(rng)
        self.X, self.y = np.ascontiguousarray(X, dtype=dtype), y
        self.n = n = X.shape[0]
        self.minibatch = batch_size is not None and batch_size != n
        self.m = m = batch_size if self.minibatch else n
        self.sizes = [params[0][0].shape[0]] + [layer[0].shape[1] for layer in params]
        self.depth = depth = len(params) - 1
        self.in_place = act.name in ("sigmoid", "tanh", "relu")
        copy = [[np.array(p, dtype=dtype, order="C") for p in layer] for layer in params]
        self.W, self.b = [layer[0] for layer in copy], [layer[1] for layer in copy]
        self.WT = [np.ascontiguousarray(W.T) for W in self.W]
        self.dW, self._W_spare = _like(self.W), _like(self.W)
        self.db, self._b_spare = _like(self.b), _like(self.b)
        # Work arrays: a[l] is the input of layer l (a[0] = the batch of X); h[l] the
        # units' outputs f(n(z)) of hidden layer l, which are a[l + 1] unless skip adds.
        self.a = [self.X if not self.minibatch else np.empty((m, self.sizes[0]), dtype)]
        self.a += [np.empty((m, width), dtype) for width in self.sizes[1:-1]]
        hidden = self.a[1:]
        self.h = hidden[:1] + _like(hidden[1:]) if skip else hidden
        self.z = None if self.in_place else _like(hidden)
        self.logits = np.empty((m, self.sizes[-1]), dtype)
        self.g = _like(hidden)  # dL/da (and dL/dz in place, no skip)
        self.d = _like(hidden) if skip else self.g  # dL/dz
        self.slope = _like(hidden) if act.name != "relu" else None
        self.mask = [np.empty(a.shape, bool) for a in hidden]
        self.ones = np.ones(m, dtype)
        extra = [c[2:] for c in copy[:-1] if norm != "none"]
        self.gamma, self.beta = [c[0] for c in extra], [c[1] for c in extra]
        self.running = [c[2:] for c in extra]  # [mean, var] for batch norm
        self.dgamma, self.dbeta = _like(self.gamma), _like(self.beta)
        if norm != "none":
            self.zhat, self.tmp = _like(hidden), _like(hidden)
            # Statistics per unit (batch: shape (1, width)) or per sample (layer: (m, 1)).
            shape = (lambda w: (1, w)) if norm == "batch" else (lambda w: (m, 1))
            self.mean, self.var, self.inv_std, self.mean_d, self.mean_dz = (
                [np.empty(shape(a.shape[1]), dtype) for a in hidden] for _ in range(5)
            )
            self.ones_units = np.ones(max(self.sizes[1:-1]), dtype)
        # Saturated: slope below 10 % of the peak, sigmoid a (1 - a) < 0.025, tanh 1 - a^2 < 0.1.
        peak = {"sigmoid": 0.25, "tanh": 1.0}.get(act.name)
        self._threshold = None if peak is None else dtype.type(peak * SATURATION_FRACTION)
        self.y_batch = self.y if not self.minibatch else np.empty(m, np.int64)
        self._order, self._cursor = None, n
        # History, filled as the steps run (recorded before each step's update).
        rows = self.steps if record else 0
        self.loss, self.weight_grad = np.empty(self.steps), np.zeros((rows, depth + 1))
        self.backprop, self.saturated, self.dead, self.zero, self.mean_a = (
            np.zeros((rows, depth)) for _ in range(5)
        )
        self.done, self.diverged_at = 0, None

    @property
    def finished(self) -> bool:
        """True once every step ran or the run diverged."""
        return self.diverged_at is not None or self.done >= self.steps

    def _next_batch(self) -> None:
        if self._cursor + self.m > self.n:
            self._order, self._cursor = self._generator.permutation(self.n), 0
        chosen = self._order[self._cursor : self._cursor + self.m]
        self._cursor += self.m
        np.take(self.X, chosen, axis=0, out=self.a[0])
        np.take(self.y, chosen, out=self.y_batch)

    def _average(self, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Mean of ``x`` per unit over the batch (batch norm) or per sample (layer norm)."""
        if self.norm == "batch":
            np.matmul(self.ones, x, out=out.reshape(-1))
        else:
            np.matmul(x, self.ones_units[: x.shape[1]], out=out.reshape(-1))
        out *= 1 / (self.m if self.norm == "batch" else x.shape[1])
        return out

    def _normalise(self, layer: int, z: np.ndarray) -> None:
        """z <- gamma * (z - mean) / sqrt(var + eps) + beta, keeping zhat and 1/std."""
        zhat, tmp = self.zhat[layer], self.tmp[layer]
        mean, var, inv_std = self.mean[layer], self.var[layer], self.inv_std[layer]
        np.subtract(z, self._average(z, mean), out=zhat)
        self._average(np.multiply(zhat, zhat, out=tmp), var)
        np.divide(1, np.sqrt(var + NORM_EPS), out=inv_std)
        zhat *= inv_std
        np.multiply(zhat, self.gamma[layer], out=z)
        z += self.beta[layer]

    def _normalise_backward(self, layer: int, d: np.ndarray) -> None:
        """dL/dn(z) in ``d`` becomes dL/dz (in place); dL/dgamma and dL/dbeta are kept.

        dL/dz = gamma / std * (d - mean(d) - zhat * mean(d * zhat)), the means taken
        where the statistics were; over the batch they are dbeta / m and dgamma / m.
        """
        zhat, tmp, gamma = self.zhat[layer], self.tmp[layer], self.gamma[layer]
        dgamma, dbeta = self.dgamma[layer], self.dbeta[layer]
        np.matmul(self.ones, np.multiply(d, zhat, out=tmp), out=dgamma)
        np.matmul(self.ones, d, out=dbeta)
        if self.norm == "batch":
            mean_d, mean_dz = dbeta / self.m, dgamma / self.m
        else:
            d *= gamma  # dL/dzhat, averaged over the units of each sample
            mean_d = self._average(d, self.mean_d[layer])
            mean_dz = self._average(np.multiply(d, zhat, out=tmp), self.mean_dz[layer])
        d -= mean_d
        d -= np.multiply(zhat, mean_dz, out=tmp)
        d *= gamma * self.inv_std[layer] if self.norm == "batch" else self.inv_std[layer]

    def _forward(self) -> None:
        name, act = self.act.name, self.act
        for layer in range(self.depth):
            out = self.h[layer] if self.in_place else self.z[layer]
            np.matmul(self.a[layer], self.W[layer], out=out)
            out += self.b[layer]
            if self.norm != "none":
                self._normalise(layer, out)
            if name == "sigmoid":  # 1 / (1 + e^-z); e^-z = inf gives exactly 0
                np.exp(np.negative(out, out=out), out=out)
                out += 1
                np.reciprocal(out, out=out)
            elif name == "tanh":
                np.tanh(out, out=out)
            elif name == "relu":
                np.maximum(out, 0, out=out)
            else:
                np.copyto(self.h[layer], act.f(out))
            if self.skip and layer > 0:
                np.add(self.a[layer], self.h[layer], out=self.a[layer + 1])
        np.matmul(self.a[-1], self.W[-1], out=self.logits)
        self.logits += self.b[-1]

    def _slope(self, layer: int) -> np.ndarray:
        """f'(n(z)) of hidden layer ``layer`` (a bool mask for ReLU), from its output."""
        a = self.h[layer]
        name = self.act.name
        if name == "relu":
            return np.greater(a, 0, out=self.mask[layer])
        slope = self.slope[layer]
        if name == "sigmoid":  # a (1 - a) = a - a^2
            np.subtract(a, np.multiply(a, a, out=slope), out=slope)
        elif name == "tanh":  # 1 - a^2
            np.subtract(1, np.multiply(a, a, out=slope), out=slope)
        else:
            np.copyto(slope, self.act.df(self.z[layer]))
        return slope

    def _record_layer(self, step: int, layer: int, slope: np.ndarray) -> None:
        """The history's statistics of one hidden layer, from the arrays the step has."""
        a, mask = self.h[layer], self.mask[layer]
        g = self.g[layer].reshape(-1)
        self.backprop[step, layer] = math.sqrt(float(g @ g) * self.m)  # m sqrt(sum g^2 / m)
        column_sums = self.ones @ a
        self.mean_a[step, layer] = float(column_sums.sum()) / a.size
        # A dead unit's column is all 0, so its sum is 0: check only those columns.
        candidates = column_sums == 0
        dead = np.count_nonzero(np.all(a[:, candidates] == 0, axis=0)) if candidates.any() else 0
        self.dead[step, layer] = dead / a.shape[1]
        if self.act.name == "relu":  # slope is the mask a > 0; a >= 0
            self.zero[step, layer] = (a.size - np.count_nonzero(slope)) / a.size
        else:
            self.zero[step, layer] = np.count_nonzero(np.equal(a, 0, out=mask)) / a.size
        if self._threshold is not None:
            saturated = np.count_nonzero(np.less(slope, self._threshold, out=mask))
            self.saturated[step, layer] = saturated / a.size

    def _step(self, step: int) -> bool:
        """One step of gradient descent; False when it diverged."""
        if self.minibatch:
            self._next_batch()
        self._forward()
        loss_value, delta = _loss_and_output_delta(self.logits, self.y_batch)
        if not math.isfinite(loss_value):
            self.diverged_at = step
            return False
        self.loss[step] = loss_value
        record = self.record
        for layer in range(self.depth, -1, -1):
            np.matmul(self.a[layer].T, delta, out=self.dW[layer])
            np.matmul(self.ones, delta, out=self.db[layer])
            if record:
                flat = self.dW[layer].reshape(-1)
                self.weight_grad[step, layer] = math.sqrt(float(flat @ flat))
            if layer == 0:
                break
            g = self.g[layer - 1]
            np.matmul(delta, self.WT[layer], out=g)  # dL/da of the hidden layer below
            if self.skip and 0 < layer < self.depth:
                g += self.g[layer]  # the skip path: a_l = a_(l-1) + f(n(z_l))
            slope = self._slope(layer - 1)
            if record:
                self._record_layer(step, layer - 1, slope)
            delta = np.multiply(g, slope, out=self.d[layer - 1])  # the chain rule through f
            if self.norm != "none":
                self._normalise_backward(layer - 1, delta)
        return self._update(step)

    def _update(self, step: int) -> bool:
        """The new parameters into spare arrays, swapped in only if all are finite."""
        eta = self.dtype.type(self.eta)
        for layer in range(self.depth + 1):
            dW, db = self.dW[layer], self.db[layer]
            np.subtract(self.W[layer], np.multiply(dW, eta, out=dW), out=self._W_spare[layer])
            np.subtract(self.b[layer], np.multiply(db, eta, out=db), out=self._b_spare[layer])
        gamma = [p - eta * d for p, d in zip(self.gamma, self.dgamma, strict=True)]
        beta = [p - eta * d for p, d in zip(self.beta, self.dbeta, strict=True)]
        # One sum is finite when every element is, barring an overflow of the sum
        # itself, which the exact check then settles.
        new = (*self._W_spare, *self._b_spare, *gamma, *beta)
        if not all(math.isfinite(v.sum()) or np.isfinite(v).all() for v in new):
            self.diverged_at = step + 1
            return False
        self.gamma, self.beta = gamma, beta
        if self.norm == "batch":  # the running statistics move towards the batch's
            unbiased = self.m / max(self.m - 1, 1)
            for running, mean, var in zip(self.running, self.mean, self.var, strict=True):
                running[0] = (1 - MOMENTUM) * running[0] + MOMENTUM * mean[0]
                running[1] = (1 - MOMENTUM) * running[1] + MOMENTUM * unbiased * var[0]
        for layer in range(self.depth + 1):
            self.W[layer], self._W_spare[layer] = self._W_spare[layer], self.W[layer]
            self.b[layer], self._b_spare[layer] = self._b_spare[layer], self.b[layer]
            np.copyto(self.WT[layer], self.W[layer].T)
        return True

    def advance(self, n_steps: int | None = None) -> int:
        """Run up to ``n_steps`` more steps (default: all that are left); return how many ran."""
        start = self.done
        stop = self.steps if n_steps is None else min(self.steps, start + int(n_steps))
        # Too large an eta overflows: that is detected (non-finite loss or weights),
        # training stops and the run says where (diverged_at), instead of warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for step in range(start, stop):
                if self.diverged_at is not None or not self._step(step):
                    break
                self.done = step + 1
        return self.done - start

    def params(self) -> list:
        """Copies of the current parameters, laid out as :func:`init_params` does."""
        layers = [[W, b] for W, b in zip(self.W, self.b, strict=True)]
        for layer, *norm in zip(layers, self.gamma, self.beta, self.running, strict=False):
            layer += [norm[0], norm[1], *norm[2]]
        return [tuple(p.copy() for p in layer) for layer in layers]

    def result(self) -> TrainingRun:
        """The run so far: current weights, the history of the steps done."""
        arrays = (self.weight_grad, self.backprop, self.saturated, self.dead, self.zero)
        history = [array[: self.done].copy() for array in (self.loss, *arrays, self.mean_a)]
        return TrainingRun(
            self.params(),
            TrainingHistory(*history),
            *(self.act.name, list(self.sizes), self.eta, self.steps, self.batch_size),
            *(self.diverged_at, self.skip, self.norm),
        )


def train(params, X, y, activation: str = "relu", **settings) -> TrainingRun:
    """Train from ``params`` to the end: :class:`Trainer` (same arguments) run through."""
    trainer = Trainer(params, X, y, activation, **settings)
    trainer.advance()
    return trainer.result()


def trainer_for(
    X,
    y,
    *,
    depth: int,
    width: int,
    activation: str = "relu",
    init: str = "standard",
    eta: float = 0.5,
    steps: int = 300,
    batch_size: int | None = None,
    weight_scale: float = 1.0,
    seed: int | None = 0,
    record: bool = True,
    dtype="float64",
    n_classes: int | None = None,
    skip: bool = False,
    norm: str = "none",
) -> Trainer:
    """What :func:`fit` does before training: a :class:`Trainer` not yet advanced."""
    _options(activation, skip, norm)
    X = _check_X(X)
    y, n_classes = _check_y(y, X.shape[0], n_classes=n_classes)
    sizes = layer_sizes_for(X.shape[1], depth, width, 1 if n_classes == 2 else n_classes)
    rng = as_rng(None if seed is None else check_seed(seed))
    params = init_params(sizes, init, rng, weight_scale=weight_scale, norm=norm)
    settings = dict(eta=eta, steps=steps, batch_size=batch_size, record=record, dtype=dtype)
    return Trainer(params, X, y, activation, rng=rng, skip=skip, norm=norm, **settings)


def fit(X, y, **settings) -> TrainingRun:
    """Build a network for ``(X, y)`` and train it: :func:`trainer_for`, run through.

    The network has ``depth`` hidden layers of ``width`` units and one sigmoid output for
    two classes (a softmax output for more). ``seed`` fixes both the initial weights and
    the minibatch order (None means seed 0, as everywhere in the course: a run is always
    reproducible). ``y`` must hold the labels 0..k-1 with every class present; pass
    ``n_classes`` to allow classes that have no sample. Anything else is refused at
    once, naming the labels it got (before any array is made).
    """
    trainer = trainer_for(X, y, **settings)
    trainer.advance()
    return trainer.result()


# One keyword list each: help(fit) and help(train) show the full signatures.
fit.__signature__ = inspect.signature(trainer_for).replace(return_annotation="TrainingRun")
train.__signature__ = inspect.signature(Trainer).replace(return_annotation="TrainingRun")
