"""Activation functions and their derivatives, stable over the whole float range.

Each activation is an :class:`Activation` with three functions:

* ``f(z)``: the activation itself, ``a = f(z)``;
* ``df(z)``: its derivative with respect to ``z``;
* ``df_from_output(a)``: the same derivative written through the output ``a``
  (``a * (1 - a)`` for sigmoid, ``1 - a**2`` for tanh), the form the lecture
  notes point out: the forward pass's output is reused in the backward pass.
  It is ``None`` where the output does not determine the derivative (GELU
  and SiLU dip below 0 and come back, so two z share an output).

The registry :data:`ACTIVATIONS` holds sigmoid, tanh and ReLU, then what came
after ReLU: leaky ReLU (slope 0.01 for z <= 0), ELU (alpha = 1), GELU (exact,
z·Φ(z)) and SiLU/Swish (z·σ(z)).

All of them take a number, a list or a NumPy array of any shape. A scalar in
gives a scalar out; float32 in gives float32 out; integers, booleans and lists
are computed in float64; NaN propagates; anything that is not a real number
raises ``TypeError``. The public names are those without a leading underscore.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np


def as_real_array(value, name: str = "z") -> np.ndarray:
    """``value`` as a floating array (float32 stays float32, integers become float64).

    Strings, ``None``, complex numbers and other objects raise ``TypeError``
    with a message saying what was expected.
    """
    expected = f"{name} must be a real number or an array of them, got {type(value).__name__}"
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{expected} {value!r}")
    if isinstance(value, np.ma.MaskedArray):
        # np.asarray would drop the mask silently and compute on the hidden values.
        raise TypeError(
            f"{name} is a masked array, whose mask these functions would ignore: pass "
            f"{name}.filled(np.nan) (masked entries become NaN and stay NaN) or "
            f"{name}.compressed() (only the unmasked entries)"
        )
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged lists and the like
        raise TypeError(f"{expected} that NumPy cannot read as one ({error})") from None
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
    if array.dtype == object and all(
        isinstance(item, Integral) and not isinstance(item, bool) for item in array.flat
    ):
        # Python integers beyond NumPy's int64/uint64: float64 if they fit, else a clear error.
        try:
            return array.astype(np.float64)
        except OverflowError:
            big = max(array.flat, key=abs)
            raise ValueError(
                f"{name} holds an integer too large for float64 ({len(str(abs(big)))} digits; "
                "float64 numbers stop at about 1.8e308)"
            ) from None
    if array.dtype.kind != "f":
        raise TypeError(f"{expected} with dtype {array.dtype}")
    return array


def _like_input(result, array: np.ndarray):
    """A scalar for a scalar input, else an array; the input's dtype either way."""
    result = np.asarray(result, dtype=array.dtype)
    return result[()] if array.ndim == 0 else result


def _check_output_range(a: np.ndarray, low: float, high: float, name: str) -> None:
    """Refuse values that no activation of this kind could have produced."""
    outside = (a < low) | (a > high)  # NaN compares False: it passes and propagates
    if np.any(outside):
        bad = a[outside].flat[0] if a.ndim else a
        raise ValueError(
            f"{name} outputs lie in [{low:g}, {high:g}], got {bad!r}: "
            "pass the activation's output a = f(z), not z"
        )


def as_real_number(value, name: str) -> float:
    """``value`` as a finite float, or a ``TypeError`` / ``ValueError`` that names it.

    The one check of a numeric setting (a slope, a weight, a noise level) in the
    maths modules: NaN or inf would otherwise give NaN results silently.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return float(value)


def _check_alpha(alpha) -> float:
    alpha = as_real_number(alpha, "alpha")
    if alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha}")
    return alpha


# --- sigmoid and tanh ---------------------------------------------------------


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^-z), with values in (0, 1).

    The two textbook forms e^z / (1 + e^z) and 1 / (1 + e^-z) are equal on
    paper, but the first gives NaN at z = 1000 and the second overflows at
    z = -1000. With q = e^(-|z|), which never overflows, 1 / (1 + q) serves
    z >= 0 and q / (1 + q) serves z < 0.
    """
    z = as_real_array(z)
    q = np.exp(-np.abs(z))
    return _like_input(np.where(z >= 0, 1 / (1 + q), q / (1 + q)), z)


def sigmoid_derivative(z):
    """dσ/dz = σ(z)·(1 - σ(z)) = σ(z)·σ(-z), at most 0.25 (at z = 0).

    Computed as q / (1 + q)^2 with q = e^(-|z|): accurate for large |z|,
    where ``s * (1 - s)`` loses every digit because s rounds to 1.
    """
    z = as_real_array(z)
    q = np.exp(-np.abs(z))
    # Near z = 0 rounding can give 0.25000000000000006; the true value never exceeds 0.25.
    return _like_input(np.minimum(q / (1 + q) ** 2, 0.25), z)


def sigmoid_derivative_from_output(a):
    """dσ/dz written through the output a = σ(z): a·(1 - a).

    The backward pass's form: the forward pass already computed a, so no
    further exp is needed. It inherits the rounding of a: for z above about
    37, a is exactly 1.0 and this returns 0.
    """
    a = as_real_array(a, "a")
    _check_output_range(a, 0.0, 1.0, "sigmoid")
    return _like_input(a * (1 - a), a)


def tanh(z):
    """Hyperbolic tangent (e^z - e^-z) / (e^z + e^-z), with values in (-1, 1)."""
    z = as_real_array(z)
    return _like_input(np.tanh(z), z)


def tanh_derivative(z):
    """d tanh/dz = 1 - tanh²(z), at most 1 (at z = 0).

    Computed as 4q / (1 + q)^2 with q = e^(-2|z|), which equals 1 / cosh²(z)
    without overflowing and stays accurate for large |z|, where ``1 - t**2``
    gives exactly 0. (q is squared after the exp: 2|z| itself would overflow
    for the largest floats.)
    """
    z = as_real_array(z)
    q = np.exp(-np.abs(z)) ** 2
    return _like_input(4 * q / (1 + q) ** 2, z)


def tanh_derivative_from_output(a):
    """d tanh/dz written through the output a = tanh(z): 1 - a²."""
    a = as_real_array(a, "a")
    _check_output_range(a, -1.0, 1.0, "tanh")
    return _like_input(1 - a * a, a)


# --- ReLU and what came after it ----------------------------------------------


def _step(a, low):
    """1 where a > 0, else ``low``; NaN stays NaN."""
    return np.where(np.isnan(a), a, np.where(a > 0, 1.0, low))


def relu(z):
    """Rectified linear unit max(0, z)."""
    z = as_real_array(z)
    return _like_input(np.maximum(z, 0), z)  # np.maximum propagates NaN


def relu_derivative(z):
    """dReLU/dz: 1 where z > 0, else 0, also at z = 0 where it is undefined (as PyTorch, JAX)."""
    z = as_real_array(z)
    return _like_input(_step(z, 0.0), z)


def relu_derivative_from_output(a):
    """dReLU/dz written through the output a = max(0, z): 1 where a > 0, else 0."""
    a = as_real_array(a, "a")
    _check_output_range(a, 0.0, np.inf, "relu")
    return _like_input(_step(a, 0.0), a)


def leaky_relu(z, alpha: float = 0.01):
    """Leaky ReLU (Maas, Hannun & Ng 2013): z for z > 0, alpha·z otherwise.

    The small slope alpha (0.01 by default, as in PyTorch) keeps a gradient
    flowing for negative z, so a unit cannot die the way a ReLU can.
    """
    z, alpha = as_real_array(z), _check_alpha(alpha)
    return _like_input(np.where(z > 0, z, alpha * z), z)  # NaN > 0 is False: alpha·NaN = NaN


def leaky_relu_derivative(z, alpha: float = 0.01):
    """d leaky ReLU/dz: 1 where z > 0, else alpha.

    At z = 0, where it is undefined, the left slope alpha (as ReLU's 0 there),
    like PyTorch and TensorFlow; JAX's ``jax.nn.leaky_relu`` happens to give 1.
    """
    z, alpha = as_real_array(z), _check_alpha(alpha)
    return _like_input(_step(z, alpha), z)


def leaky_relu_derivative_from_output(a, alpha: float = 0.01):
    """d leaky ReLU/dz through the output a, which has the sign of z: 1 where a > 0, else alpha."""
    a, alpha = as_real_array(a, "a"), _check_alpha(alpha)
    return _like_input(_step(a, alpha), a)


def elu(z, alpha: float = 1.0):
    """Exponential linear unit (Clevert, Unterthiner & Hochreiter 2016).

    z for z > 0, alpha·(e^z - 1) otherwise: smooth, with values in
    (-alpha, inf). ``expm1`` is accurate near 0, and taking it of min(z, 0)
    means large z never overflows the exponential.
    """
    z, alpha = as_real_array(z), _check_alpha(alpha)
    negative = alpha * np.expm1(np.minimum(z, 0))  # np.minimum propagates NaN
    return _like_input(np.where(z > 0, z, negative), z)


def elu_derivative(z, alpha: float = 1.0):
    """d ELU/dz: 1 where z > 0, else alpha·e^z (which tends to 0 as z -> -inf).

    At z = 0 we use alpha·e^0 = alpha, as PyTorch does. With the default
    alpha = 1 both sides give 1 there: ELU's derivative then has no jump.
    """
    z, alpha = as_real_array(z), _check_alpha(alpha)
    return _like_input(np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0))), z)


def elu_derivative_from_output(a, alpha: float = 1.0):
    """d ELU/dz through the output a: 1 where a > 0, else a + alpha (= alpha·e^z for z <= 0)."""
    a, alpha = as_real_array(a, "a"), _check_alpha(alpha)
    _check_output_range(a, -alpha, np.inf, "elu")
    return _like_input(np.where(a > 0, 1.0, a + alpha), a)  # NaN + alpha = NaN


_SQRT_HALF = math.sqrt(0.5)
_ONE_OVER_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


def _normal_cdf64(z: np.ndarray) -> np.ndarray:
    """Φ(z) = erfc(-z/√2)/2 in float64, with the standard library's erfc element by element.

    NumPy has no erf. ``math.erfc`` is accurate to about one unit in the last
    place (tests/test_activations.py checks it against a 30-plus-digit
    ``decimal`` series), also in the far left tail, where 1 - Φ(-z) would round
    to 0. Looping in Python costs about 0.1 µs per element: faster than the
    vectorised Cody (1969) erfc this replaced on the widgets' 601-point grids,
    within about 30 % of it on training layers (256 x 32 to 1000 x 64), and
    without 130 lines of coefficients.
    """
    x = np.asarray(z, dtype=np.float64) * -_SQRT_HALF
    erfc = np.fromiter(map(math.erfc, x.ravel().tolist()), np.float64, x.size)
    return 0.5 * erfc.reshape(x.shape)


def normal_cdf(z):
    """Φ(z), the standard normal cumulative distribution function, in [0, 1].

    Relative error about 1e-16 wherever Φ(z) is a normal float64 (z > -37.5).
    """
    z = as_real_array(z)
    return _like_input(_normal_cdf64(z), z)


def gelu(z):
    """Gaussian error linear unit (Hendrycks & Gimpel 2016): z·Φ(z), exact.

    Φ is the standard normal CDF (:func:`normal_cdf`), so this is the *exact*
    GELU of PyTorch's default ``torch.nn.GELU()`` (``approximate='none'``), not
    the tanh approximation 0.5·z·(1 + tanh(√(2/π)(z + 0.044715 z³))) of GPT-2
    and ``approximate='tanh'``, which differs from it by up to about 5e-4.
    Smooth; its minimum is about -0.170 (at z ≈ -0.752), so the output does
    not determine z.
    """
    z = as_real_array(z)
    # Φ(-inf) = 0 exactly; -inf·0 would be NaN, and the limit of z·Φ(z) is 0.
    return _like_input(np.maximum(z, -40.0) * _normal_cdf64(z), z)


def gelu_derivative(z):
    """d GELU/dz = Φ(z) + z·φ(z), with φ the standard normal density.

    Smooth everywhere (no convention needed); it dips to about -0.129 near
    z ≈ -1.41 and overshoots to about 1.129 near z ≈ 1.41 before tending to 1.
    """
    z = as_real_array(z)
    clipped = np.clip(z.astype(np.float64), -40.0, 40.0)  # z·φ(z) is 0 beyond |z| ≈ 38.6
    density = _ONE_OVER_SQRT_2PI * np.exp(-0.5 * clipped * clipped)
    return _like_input(_normal_cdf64(z) + clipped * density, z)


def silu(z):
    """Sigmoid linear unit, also called Swish: z·σ(z).

    Proposed as SiL by Elfwing, Uchibe & Doya (2018) and as Swish (with
    β = 1) by Ramachandran, Zoph & Le (2017). Smooth; its minimum is about
    -0.278 (at z ≈ -1.278), so the output does not determine z.
    """
    z = as_real_array(z)
    z_safe = np.where(np.isneginf(z), 0, z)  # σ(-inf) = 0 exactly; the limit of z·σ(z) is 0
    return _like_input(z_safe * sigmoid(z), z)


def silu_derivative(z):
    """d SiLU/dz = σ(z) + z·σ(z)·σ(-z), with the accurate σ(z)σ(-z) of :func:`sigmoid_derivative`.

    Smooth everywhere; it dips to about -0.100 near z ≈ -2.40 and overshoots
    to about 1.100 near z ≈ 2.40 before tending to 1.
    """
    z = as_real_array(z)
    z_safe = np.where(np.isinf(z), 0, z)  # the product term tends to 0 at ±inf
    return _like_input(sigmoid(z) + z_safe * sigmoid_derivative(z), z)


# --- the registry ----------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation function bundled with its derivative.

    ``df_from_output`` is ``None`` where the output does not determine z.
    ``formula`` and ``derivative_formula`` are LaTeX for legends and titles.
    ``kinks`` are the z where f' jumps (ReLU's 0): a plot of f' leaves a gap
    there instead of a vertical wall through values f' never takes.
    """

    name: str
    f: Callable
    df: Callable
    df_from_output: Callable | None
    formula: str
    derivative_formula: str
    kinks: tuple[float, ...] = ()

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


# One line of functions per activation, then the LaTeX of f and f'. (fmt: off keeps the table.)
# fmt: off
ACTIVATIONS: dict[str, Activation] = {act.name: act for act in (
    Activation("sigmoid", sigmoid, sigmoid_derivative, sigmoid_derivative_from_output,
               r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))"),
    Activation("tanh", tanh, tanh_derivative, tanh_derivative_from_output,
               r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}", r"\tanh'(z) = 1 - \tanh^2(z)"),
    Activation("relu", relu, relu_derivative, relu_derivative_from_output,
               r"\mathrm{ReLU}(z) = \max(0, z)",
               r"\mathrm{ReLU}'(z) = 1 \text{ if } z > 0 \text{ else } 0", kinks=(0.0,)),
    Activation("leaky_relu", leaky_relu, leaky_relu_derivative, leaky_relu_derivative_from_output,
               r"\mathrm{LeakyReLU}(z) = \max(0.01\,z, z)",
               r"\mathrm{LeakyReLU}'(z) = 1 \text{ if } z > 0 \text{ else } 0.01", kinks=(0.0,)),
    Activation("elu", elu, elu_derivative, elu_derivative_from_output,
               r"\mathrm{ELU}(z) = z \text{ if } z > 0 \text{ else } e^{z} - 1",
               r"\mathrm{ELU}'(z) = 1 \text{ if } z > 0 \text{ else } e^{z}"),
    # GELU and SiLU are not monotonic: two z give the same output, so no f' from the output.
    Activation("gelu", gelu, gelu_derivative, None,
               r"\mathrm{GELU}(z) = z\,\Phi(z)", r"\mathrm{GELU}'(z) = \Phi(z) + z\,\varphi(z)"),
    Activation("silu", silu, silu_derivative, None, r"\mathrm{SiLU}(z) = z\,\sigma(z)",
               r"\mathrm{SiLU}'(z) = \sigma(z)\,(1 + z\,(1 - \sigma(z)))"),
)}
# fmt: on


def get_activation(activation) -> Activation:
    """An :class:`Activation` from its name (an Activation passes through)."""
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(
            f"activation must be a name such as 'sigmoid' or an Activation, "
            f"got {type(activation).__name__}"
        )
    if activation not in ACTIVATIONS:
        known = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; known: {known}")
    return ACTIVATIONS[activation]
