"""Activation functions and their derivatives, stable over the whole float range.

Each :class:`Activation` in the registry :data:`ACTIVATIONS` (sigmoid, tanh,
ReLU, then leaky ReLU, ELU, GELU and SiLU/Swish) bundles ``f(z)``, its
derivative ``df(z)`` and ``df_from_output(a)``: the same derivative written
through the output ``a = f(z)`` (``a * (1 - a)`` for sigmoid), the notes' point
that the backward pass reuses the forward pass's output. It is ``None`` where
two z share an output (GELU and SiLU dip below 0 and come back).

All functions take a number, a list or an array of any shape: a scalar in gives
a scalar out, float32 stays float32, integers, booleans and lists become
float64, NaN propagates, and anything that is not a real number raises
``TypeError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np


def as_real_array(value, name: str = "z") -> np.ndarray:
    """``value`` as a floating array, or a ``TypeError`` saying what was expected."""
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


def _output(a, low: float, high: float, name: str) -> np.ndarray:
    """``a`` as an array, refusing values no activation of this kind could have produced."""
    a = as_real_array(a, "a")
    outside = (a < low) | (a > high)  # NaN compares False: it passes and propagates
    if np.any(outside):
        bad = a[outside].flat[0] if a.ndim else a
        raise ValueError(
            f"{name} outputs lie in [{low:g}, {high:g}], got {bad!r}: "
            "pass the activation's output a = f(z), not z"
        )
    return a


def as_real_number(value, name: str, minimum: float | None = None) -> float:
    """``value`` as a finite float (at least ``minimum`` if given), or an error that names it.

    The maths modules' one check of a numeric setting: NaN or inf would give NaN silently.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be a finite number >= {minimum:g}, got {value}")
    return float(value)


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^-z), with values in (0, 1).

    The textbook e^z / (1 + e^z) gives NaN at z = 1000 and 1 / (1 + e^-z)
    overflows at z = -1000; q = e^(-|z|) never overflows, and 1 / (1 + q)
    serves z >= 0, q / (1 + q) serves z < 0.
    """
    z = as_real_array(z)
    q = np.exp(-np.abs(z))
    return _like_input(np.where(z >= 0, 1 / (1 + q), q / (1 + q)), z)


def sigmoid_derivative(z):
    """dσ/dz = σ(z)·(1 - σ(z)), as q / (1 + q)^2 with q = e^(-|z|), at most 0.25 (at z = 0).

    Accurate for large |z|, where ``s * (1 - s)`` loses every digit as s rounds to 1.
    """
    z = as_real_array(z)
    q = np.exp(-np.abs(z))
    # Near z = 0 rounding can give 0.25000000000000006; the true value never exceeds 0.25.
    return _like_input(np.minimum(q / (1 + q) ** 2, 0.25), z)


def sigmoid_derivative_from_output(a):
    """dσ/dz from a = σ(z): a·(1 - a), no further exp; 0 once a rounds to 1 (z above about 37)."""
    a = _output(a, 0.0, 1.0, "sigmoid")
    return _like_input(a * (1 - a), a)


def tanh(z):
    """Hyperbolic tangent (e^z - e^-z) / (e^z + e^-z), with values in (-1, 1)."""
    z = as_real_array(z)
    return _like_input(np.tanh(z), z)


def tanh_derivative(z):
    """d tanh/dz = 1 - tanh²(z), at most 1 (at z = 0).

    As 4q / (1 + q)^2 = 1 / cosh²(z) with q = e^(-2|z|): accurate for large |z|,
    where ``1 - t**2`` gives 0. (q is squared after the exp: 2|z| can overflow.)
    """
    z = as_real_array(z)
    q = np.exp(-np.abs(z)) ** 2
    return _like_input(4 * q / (1 + q) ** 2, z)


def tanh_derivative_from_output(a):
    """d tanh/dz from a = tanh(z): 1 - a²."""
    a = _output(a, -1.0, 1.0, "tanh")
    return _like_input(1 - a * a, a)


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
    """dReLU/dz from a = max(0, z): 1 where a > 0, else 0."""
    a = _output(a, 0.0, np.inf, "relu")
    return _like_input(_step(a, 0.0), a)


def leaky_relu(z, alpha: float = 0.01):
    """Leaky ReLU (Maas, Hannun & Ng 2013): z for z > 0, alpha·z otherwise.

    The slope alpha (PyTorch's 0.01) keeps a gradient for z < 0: the unit cannot die.
    """
    z, alpha = as_real_array(z), as_real_number(alpha, "alpha", minimum=0)
    return _like_input(np.where(z > 0, z, alpha * z), z)  # NaN > 0 is False: alpha·NaN = NaN


def leaky_relu_derivative(z, alpha: float = 0.01):
    """d leaky ReLU/dz: 1 where z > 0, else alpha.

    At z = 0 the left slope alpha, as PyTorch and TensorFlow (JAX happens to give 1).
    """
    z, alpha = as_real_array(z), as_real_number(alpha, "alpha", minimum=0)
    return _like_input(_step(z, alpha), z)


def leaky_relu_derivative_from_output(a, alpha: float = 0.01):
    """d leaky ReLU/dz from a, which has the sign of z: 1 where a > 0, else alpha."""
    a, alpha = as_real_array(a, "a"), as_real_number(alpha, "alpha", minimum=0)
    return _like_input(_step(a, alpha), a)


def elu(z, alpha: float = 1.0):
    """Exponential linear unit (Clevert, Unterthiner & Hochreiter 2016), values in (-alpha, inf).

    z for z > 0, alpha·(e^z - 1) otherwise: ``expm1`` is accurate near 0, and
    taking it of min(z, 0) keeps large z from overflowing.
    """
    z, alpha = as_real_array(z), as_real_number(alpha, "alpha", minimum=0)
    negative = alpha * np.expm1(np.minimum(z, 0))  # np.minimum propagates NaN
    return _like_input(np.where(z > 0, z, negative), z)


def elu_derivative(z, alpha: float = 1.0):
    """d ELU/dz: 1 where z > 0, else alpha·e^z (tending to 0 as z -> -inf).

    At z = 0 alpha·e^0 = alpha, as PyTorch; with alpha = 1 there is no jump.
    """
    z, alpha = as_real_array(z), as_real_number(alpha, "alpha", minimum=0)
    return _like_input(np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0))), z)


def elu_derivative_from_output(a, alpha: float = 1.0):
    """d ELU/dz from a: 1 where a > 0, else a + alpha (= alpha·e^z for z <= 0)."""
    a, alpha = as_real_array(a, "a"), as_real_number(alpha, "alpha", minimum=0)  # a's check first
    a = _output(a, -alpha, np.inf, "elu")
    return _like_input(np.where(a > 0, 1.0, a + alpha), a)  # NaN + alpha = NaN


def _normal_cdf64(z: np.ndarray) -> np.ndarray:
    """Φ(z) = erfc(-z/√2)/2 in float64, with ``math.erfc`` element by element (NumPy has no erf).

    ``math.erfc`` is accurate to about an ulp, also in the far left tail where
    1 - Φ(-z) rounds to 0 (tests/test_activations.py checks it against a
    ``decimal`` series). The Python loop (about 0.1 µs per element) beats the
    vectorised Cody (1969) erfc it replaced on 601-point grids and is within
    about 30 % of it on training layers, without its 130 lines of coefficients.
    """
    x = np.asarray(z, dtype=np.float64) * -math.sqrt(0.5)
    erfc = np.fromiter(map(math.erfc, x.ravel().tolist()), np.float64, x.size)
    return 0.5 * erfc.reshape(x.shape)


def normal_cdf(z):
    """Φ(z), the standard normal CDF, to a relative 1e-16 wherever it is a normal float64."""
    z = as_real_array(z)
    return _like_input(_normal_cdf64(z), z)


def gelu(z):
    """Gaussian error linear unit (Hendrycks & Gimpel 2016): z·Φ(z), exact.

    PyTorch's default ``GELU()``, not GPT-2's tanh approximation
    (``approximate='tanh'``), which differs from it by up to about 5e-4. Its
    minimum is about -0.170 (at z ≈ -0.752).
    """
    z = as_real_array(z)
    # Φ(-inf) = 0 exactly; -inf·0 would be NaN, and the limit of z·Φ(z) is 0.
    return _like_input(np.maximum(z, -40.0) * _normal_cdf64(z), z)


def gelu_derivative(z):
    """d GELU/dz = Φ(z) + z·φ(z): about -0.129 at z ≈ -1.41 and 1.129 at 1.41, then 1."""
    z = as_real_array(z)
    clipped = np.clip(z.astype(np.float64), -40.0, 40.0)  # z·φ(z) is 0 beyond |z| ≈ 38.6
    density = (1 / math.sqrt(2 * math.pi)) * np.exp(-0.5 * clipped * clipped)
    return _like_input(_normal_cdf64(z) + clipped * density, z)


def silu(z):
    """Sigmoid linear unit or Swish, z·σ(z); minimum about -0.278 (at z ≈ -1.278).

    SiL of Elfwing, Uchibe & Doya (2018), Swish (β = 1) of Ramachandran, Zoph & Le (2017).
    """
    z = as_real_array(z)
    z_safe = np.where(np.isneginf(z), 0, z)  # σ(-inf) = 0 exactly; the limit of z·σ(z) is 0
    return _like_input(z_safe * sigmoid(z), z)


def silu_derivative(z):
    """d SiLU/dz = σ(z) + z·σ(z)·σ(-z): about -0.100 at z ≈ -2.40 and 1.100 at 2.40, then 1."""
    z = as_real_array(z)
    z_safe = np.where(np.isinf(z), 0, z)  # the product term tends to 0 at ±inf
    return _like_input(sigmoid(z) + z_safe * sigmoid_derivative(z), z)


@dataclass(frozen=True)
class Activation:
    """An activation with its derivatives (see the module docstring) and LaTeX for legends.

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
