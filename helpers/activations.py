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
z·Φ(z), with a vectorised erfc after Cody 1969) and SiLU/Swish (z·σ(z)).

All of them take a number, a list or a NumPy array of any shape. A scalar in
gives a scalar out; float32 in gives float32 out; integers, booleans and lists
are computed in float64; NaN propagates; anything that is not a real number
raises ``TypeError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "as_real_array",
    "elu",
    "elu_derivative",
    "elu_derivative_from_output",
    "gelu",
    "gelu_derivative",
    "get_activation",
    "leaky_relu",
    "leaky_relu_derivative",
    "leaky_relu_derivative_from_output",
    "normal_cdf",
    "relu",
    "relu_derivative",
    "relu_derivative_from_output",
    "sigmoid",
    "sigmoid_derivative",
    "sigmoid_derivative_from_output",
    "silu",
    "silu_derivative",
    "tanh",
    "tanh_derivative",
    "tanh_derivative_from_output",
]


def as_real_array(value, name: str = "z") -> np.ndarray:
    """Return ``value`` as a floating NumPy array, or raise ``TypeError``.

    Floating arrays keep their dtype (float32 stays float32); integers,
    booleans and lists of them become float64. Strings, ``None``, complex
    numbers and other objects are refused with a message saying what was
    expected.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, "
            f"got {type(value).__name__} {value!r}"
        )
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
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, "
            f"got {type(value).__name__} that NumPy cannot read as one ({error})"
        ) from None
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
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, "
            f"got {type(value).__name__} with dtype {array.dtype}"
        )
    return array


def _like_input(result: np.ndarray, array: np.ndarray):
    """Give a scalar back for a scalar input, an array for an array input."""
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


# --- sigmoid ---------------------------------------------------------------


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^-z), with values in (0, 1).

    Stable for every float: the two textbook forms e^z / (1 + e^z) and
    1 / (1 + e^-z) are equal on paper, but the first gives NaN at z = 1000 and
    the second overflows at z = -1000. With e = exp(-|z|), which never
    overflows, 1 / (1 + e) serves z >= 0 and e / (1 + e) serves z < 0.
    """
    z = as_real_array(z)
    e = np.exp(-np.abs(z))
    return _like_input(np.where(z >= 0, 1 / (1 + e), e / (1 + e)), z)


def sigmoid_derivative(z):
    """dσ/dz = σ(z)·(1 - σ(z)) = σ(z)·σ(-z), at most 0.25 (at z = 0).

    Computed as e / (1 + e)^2 with e = exp(-|z|): accurate for large |z|,
    where ``s * (1 - s)`` loses every digit because s rounds to 1.
    """
    z = as_real_array(z)
    e = np.exp(-np.abs(z))
    # Near z = 0 rounding can give 0.25000000000000006; the true value never exceeds 0.25.
    return _like_input(np.minimum(e / (1 + e) ** 2, 0.25), z)


def sigmoid_derivative_from_output(a):
    """dσ/dz written through the output a = σ(z): a·(1 - a).

    This is the form the backward pass uses: the forward pass already
    computed a, so no further exp is needed. It inherits the rounding of a:
    for z above about 37, a is exactly 1.0 and this returns 0.
    """
    a = as_real_array(a, "a")
    _check_output_range(a, 0.0, 1.0, "sigmoid")
    return _like_input(a * (1 - a), a)


# --- tanh ------------------------------------------------------------------


def tanh(z):
    """Hyperbolic tangent (e^z - e^-z) / (e^z + e^-z), with values in (-1, 1)."""
    z = as_real_array(z)
    return _like_input(np.tanh(z), z)


def tanh_derivative(z):
    """d tanh/dz = 1 - tanh²(z), at most 1 (at z = 0).

    Computed as 4e / (1 + e)^2 with e = exp(-2|z|), which equals
    1 / cosh²(z) without overflowing and stays accurate for large |z|, where
    ``1 - t**2`` gives exactly 0. (e is squared after the exp: 2|z| itself
    would overflow for the largest floats.)
    """
    z = as_real_array(z)
    e = np.exp(-np.abs(z))
    e = e * e
    return _like_input(4 * e / (1 + e) ** 2, z)


def tanh_derivative_from_output(a):
    """d tanh/dz written through the output a = tanh(z): 1 - a²."""
    a = as_real_array(a, "a")
    _check_output_range(a, -1.0, 1.0, "tanh")
    return _like_input(1 - a * a, a)


# --- ReLU ------------------------------------------------------------------


def relu(z):
    """Rectified linear unit max(0, z)."""
    z = as_real_array(z)
    return _like_input(np.maximum(z, 0), z)  # np.maximum propagates NaN


def relu_derivative(z):
    """dReLU/dz: 1 where z > 0, else 0.

    Mathematically the derivative is undefined at z = 0; like PyTorch
    (``torch.relu``), TensorFlow (``tf.nn.relu``) and JAX (``jax.nn.relu``)
    we use 0 there.
    """
    z = as_real_array(z)
    return _like_input(np.where(np.isnan(z), z, z > 0), z)


def relu_derivative_from_output(a):
    """dReLU/dz written through the output a = max(0, z): 1 where a > 0, else 0."""
    a = as_real_array(a, "a")
    _check_output_range(a, 0.0, np.inf, "relu")
    return _like_input(np.where(np.isnan(a), a, a > 0), a)


# --- after ReLU: leaky ReLU, ELU, GELU, SiLU ---------------------------------


def _check_alpha(alpha, name: str) -> float:
    """A finite, non-negative slope or scale, or a clear error."""
    if isinstance(alpha, bool) or not isinstance(alpha, Real):
        raise TypeError(f"{name} must be a real number, got {type(alpha).__name__} {alpha!r}")
    alpha = float(alpha)
    if not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {alpha}")
    return alpha


def leaky_relu(z, alpha: float = 0.01):
    """Leaky ReLU (Maas, Hannun & Ng 2013): z for z > 0, alpha·z otherwise.

    The small slope alpha (0.01 by default, as in PyTorch) keeps a gradient
    flowing for negative z, so a unit cannot die the way a ReLU can.
    """
    z = as_real_array(z)
    alpha = _check_alpha(alpha, "alpha")
    return _like_input(np.where(z > 0, z, alpha * z), z)  # NaN > 0 is False: alpha·NaN = NaN


def leaky_relu_derivative(z, alpha: float = 0.01):
    """d leaky ReLU/dz: 1 where z > 0, else alpha.

    Undefined at z = 0 mathematically (the slopes 1 and alpha meet there).
    Like PyTorch (``torch.nn.functional.leaky_relu``) and TensorFlow
    (``tf.nn.leaky_relu``), and like ReLU's 0 at 0, we use the left slope
    alpha at z = 0; JAX's ``jax.nn.leaky_relu`` happens to give 1 there.
    """
    z = as_real_array(z)
    alpha = _check_alpha(alpha, "alpha")
    return _like_input(np.where(np.isnan(z), z, np.where(z > 0, 1.0, alpha)), z)


def leaky_relu_derivative_from_output(a, alpha: float = 0.01):
    """d leaky ReLU/dz written through the output a: 1 where a > 0, else alpha.

    The output has the sign of z, so it determines the slope (alpha at a = 0,
    the same convention as :func:`leaky_relu_derivative`).
    """
    a = as_real_array(a, "a")
    alpha = _check_alpha(alpha, "alpha")
    return _like_input(np.where(np.isnan(a), a, np.where(a > 0, 1.0, alpha)), a)


def elu(z, alpha: float = 1.0):
    """Exponential linear unit (Clevert, Unterthiner & Hochreiter 2016).

    z for z > 0, alpha·(e^z - 1) otherwise: smooth, with values in
    (-alpha, inf). Computed with ``expm1`` (accurate near 0) on min(z, 0),
    so large z never overflows the exponential.
    """
    z = as_real_array(z)
    alpha = _check_alpha(alpha, "alpha")
    negative = alpha * np.expm1(np.minimum(z, 0))  # np.minimum propagates NaN
    return _like_input(np.where(z > 0, z, negative), z)


def elu_derivative(z, alpha: float = 1.0):
    """d ELU/dz: 1 where z > 0, else alpha·e^z (which tends to 0 as z -> -inf).

    At z = 0 we use alpha·e^0 = alpha, as PyTorch does. With the default
    alpha = 1 both sides give 1 there: ELU then has no kink at all.
    """
    z = as_real_array(z)
    alpha = _check_alpha(alpha, "alpha")
    negative = alpha * np.exp(np.minimum(z, 0))
    return _like_input(np.where(z > 0, 1.0, negative), z)


def elu_derivative_from_output(a, alpha: float = 1.0):
    """d ELU/dz written through the output a: 1 where a > 0, else a + alpha.

    For z <= 0, a = alpha·(e^z - 1), so alpha·e^z = a + alpha.
    """
    a = as_real_array(a, "a")
    alpha = _check_alpha(alpha, "alpha")
    _check_output_range(a, -alpha, np.inf, "elu")
    return _like_input(np.where(a > 0, 1.0, a + alpha), a)  # NaN + alpha = NaN


# W. J. Cody (1969), "Rational Chebyshev approximations for the error
# function", Math. Comp. 23, 631-637, with the coefficients of his SPECFUN
# routine CALERF (netlib, 1990): maximal relative error about 1e-16 to 1e-18
# per interval. Three intervals of x = |argument|:
# erf(x) = x·P(x²)/Q(x²) for x <= 0.46875; erfc(x) = e^(-x²)·P(x)/Q(x) for
# 0.46875 < x <= 4; erfc(x) = e^(-x²)/x·(1/sqrt(pi) - P(1/x²)/Q(1/x²)/x²) beyond.
_ERF_A = (
    3.16112374387056560e00,
    1.13864154151050156e02,
    3.77485237685302021e02,
    3.20937758913846947e03,
    1.85777706184603153e-1,
)
_ERF_B = (
    2.36012909523441209e01,
    2.44024637934444173e02,
    1.28261652607737228e03,
    2.84423683343917062e03,
)
_ERF_C = (
    5.64188496988670089e-1,
    8.88314979438837594e00,
    6.61191906371416295e01,
    2.98635138197400131e02,
    8.81952221241769090e02,
    1.71204761263407058e03,
    2.05107837782607147e03,
    1.23033935479799725e03,
    2.15311535474403846e-8,
)
_ERF_D = (
    1.57449261107098347e01,
    1.17693950891312499e02,
    5.37181101862009858e02,
    1.62138957456669019e03,
    3.29079923573345963e03,
    4.36261909014324716e03,
    3.43936767414372164e03,
    1.23033935480374942e03,
)
_ERF_P = (
    3.05326634961232344e-1,
    3.60344899949804439e-1,
    1.25781726111229246e-1,
    1.60837851487422766e-2,
    6.58749161529837803e-4,
    1.63153871373020978e-2,
)
_ERF_Q = (
    2.56852019228982242e00,
    1.87295284992346047e00,
    5.27905102951428412e-1,
    6.05183413124413191e-2,
    2.33520497626869185e-3,
)
_ONE_OVER_SQRT_PI = 5.6418958354775628695e-1
_SQRT_HALF = 0.70710678118654752440
_ONE_OVER_SQRT_2PI = 0.39894228040143267794


def _rational(x: np.ndarray, p, q, p_last, q_last, p_first) -> np.ndarray:
    """Cody's nested form (((p_first·x + p0)·x + p1)·x ...) / (((x + q0)·x + q1)·x ...).

    In place on two buffers: for arrays of a training step this halves the
    time of writing it with temporaries.
    """
    num = x * p_first
    den = x.copy()
    for p_i, q_i in zip(p, q, strict=True):
        num += p_i
        num *= x
        den += q_i
        den *= x
    num += p_last
    den += q_last
    num /= den
    return num


def _erf_small(x: np.ndarray) -> np.ndarray:
    """erf(x) for |x| <= 0.46875 (Cody's first interval), any sign."""
    s = x * x
    return x * _rational(s, _ERF_A[:3], _ERF_B[:3], _ERF_A[3], _ERF_B[3], _ERF_A[4])


def _erfc_scaled(y: np.ndarray) -> np.ndarray:
    """e^(y²)·erfc(y) for a 1-D float64 array of 0.46875 < y <= 28 (Cody's outer intervals)."""
    result = np.empty_like(y)
    mid = y <= 4.0  # NaN goes to the last interval and stays NaN
    result[mid] = _rational(y[mid], _ERF_C[:7], _ERF_D[:7], _ERF_C[7], _ERF_D[7], _ERF_C[8])
    y_big = y[~mid]
    if y_big.size:
        s = 1.0 / (y_big * y_big)
        ratio = _rational(s, _ERF_P[:4], _ERF_Q[:4], _ERF_P[4], _ERF_Q[4], _ERF_P[5])
        result[~mid] = (_ONE_OVER_SQRT_PI - s * ratio) / y_big
    return result


def _exp_minus_square(y: np.ndarray) -> np.ndarray:
    """e^(-y²) without the rounding error of y² itself (Cody's split of y)."""
    y16 = y * 16
    np.trunc(y16, out=y16)
    y16 /= 16
    rest = y - y16
    head = y16 * y16
    y16 += y
    rest *= y16  # (y - y16)(y + y16) = y² - y16², exactly enough
    np.negative(head, out=head)
    np.exp(head, out=head)
    np.negative(rest, out=rest)
    np.exp(rest, out=rest)
    head *= rest
    return head


def _normal_cdf_pdf(z64: np.ndarray):
    """Φ(z) and φ(z) for a float64 array, sharing one e^(-z²/2); flat arrays, no warnings.

    Φ(z) = erfc(-z/√2)/2 = e^(-z²/2)·[e^(y²) erfc(y)]/2 with y = |z|/√2 for
    z < 0 (and 1 minus that for z > 0), so the exponential that φ needs
    anyway also serves Φ outside Cody's first interval.
    """
    x = z64.ravel() * _SQRT_HALF
    y = np.abs(x)
    np.minimum(y, 28.0, out=y)  # e^(-784) underflows: erfc is 0 in float64 beyond y ≈ 27.2
    e = _exp_minus_square(y)  # e^(-x²) = e^(-z²/2); NaN stays NaN
    cdf = np.empty_like(x)
    centre = y <= 0.46875  # NaN compares False: it goes to the outer part
    cdf[centre] = 0.5 + 0.5 * _erf_small(x[centre])
    outer = ~centre
    half_tail = _erfc_scaled(y[outer])
    half_tail *= e[outer]
    half_tail *= 0.5
    cdf[outer] = np.where(x[outer] < 0, half_tail, 1.0 - half_tail)
    e *= _ONE_OVER_SQRT_2PI
    return cdf, e


def normal_cdf(z):
    """Φ(z), the standard normal cumulative distribution function, in [0, 1].

    Φ(z) = erfc(-z/√2)/2, with erfc from Cody's rational Chebyshev
    approximations (1969; see the comment above ``_ERF_A``): relative error
    about 1e-15 wherever Φ(z) is a normal float64 (z > -37.5), including the
    far left tail where 1 - Φ(-z) would round to 0. NumPy has no erf; this is
    a vectorised one (math.erf element by element is far too slow for
    training). Each element is evaluated in one of Cody's three intervals only.
    """
    z = as_real_array(z)
    cdf, _ = _normal_cdf_pdf(z.astype(np.float64))
    return _like_input(cdf.reshape(z.shape), z)


def gelu(z):
    """Gaussian error linear unit (Hendrycks & Gimpel 2016): z·Φ(z), exact.

    Φ is the standard normal CDF, computed to about 1e-15 by
    :func:`normal_cdf` (Cody's erfc), so this is the *exact* GELU of PyTorch's
    default ``torch.nn.GELU()`` (``approximate='none'``), not the tanh
    approximation 0.5·z·(1 + tanh(√(2/π)(z + 0.044715 z³))) of GPT-2 and
    ``approximate='tanh'``, which differs from it by up to about 5e-4.
    Smooth; its minimum is about -0.170 (at z ≈ -0.752), so the output does
    not determine z.
    """
    z = as_real_array(z)
    z64 = z.astype(np.float64)
    cdf, _ = _normal_cdf_pdf(z64)
    # Φ(-inf) = 0 exactly; -inf·0 would be NaN, and the limit of z·Φ(z) is 0.
    cdf *= np.maximum(z64, -40.0).ravel()
    return _like_input(cdf.reshape(z.shape), z)


def gelu_derivative(z):
    """d GELU/dz = Φ(z) + z·φ(z), with φ the standard normal density.

    Smooth everywhere (no convention needed); it dips to about -0.129 near
    z ≈ -1.41 and overshoots to about 1.129 near z ≈ 1.41 before tending to 1.
    """
    z = as_real_array(z)
    z64 = z.astype(np.float64)
    cdf, pdf = _normal_cdf_pdf(z64)
    pdf *= np.clip(z64, -40.0, 40.0).ravel()  # z·φ(z) is 0 in float64 beyond |z| ≈ 38.6
    cdf += pdf
    return _like_input(cdf.reshape(z.shape), z)


def silu(z):
    """Sigmoid linear unit, also called Swish: z·σ(z).

    Proposed as SiL by Elfwing, Uchibe & Doya (2018) and as Swish (with
    β = 1) by Ramachandran, Zoph & Le (2017). Smooth; its minimum is about
    -0.278 (at z ≈ -1.278), so the output does not determine z.
    """
    z = as_real_array(z)
    s = np.asarray(sigmoid(z))
    z_safe = np.where(np.isneginf(z), 0, z)  # σ(-inf) = 0 exactly; the limit of z·σ(z) is 0
    return _like_input(z_safe * s, z)


def silu_derivative(z):
    """d SiLU/dz = σ(z)·(1 + z·(1 - σ(z))) = σ(z) + z·σ(z)·σ(-z).

    Computed through the accurate σ(z)σ(-z) of :func:`sigmoid_derivative`.
    Smooth everywhere; it dips to about -0.100 near z ≈ -2.40 and overshoots
    to about 1.100 near z ≈ 2.40 before tending to 1.
    """
    z = as_real_array(z)
    z_safe = np.where(np.isinf(z), 0, z)  # the product term tends to 0 at ±inf
    return _like_input(np.asarray(sigmoid(z)) + z_safe * np.asarray(sigmoid_derivative(z)), z)


# --- the registry ----------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation function bundled with its derivative.

    Attributes:
        name: key in :data:`ACTIVATIONS`, e.g. ``"sigmoid"``.
        f: the activation, ``a = f(z)``.
        df: the derivative ``f'(z)`` with respect to z.
        df_from_output: the derivative written through ``a = f(z)``, or
            ``None`` where it cannot be (the output does not determine z).
        formula: LaTeX for f, for legends and titles.
        derivative_formula: LaTeX for f'.
    """

    name: str
    f: Callable
    df: Callable
    df_from_output: Callable | None
    formula: str
    derivative_formula: str

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        sigmoid,
        sigmoid_derivative,
        sigmoid_derivative_from_output,
        formula=r"\sigma(z) = \frac{1}{1 + e^{-z}}",
        derivative_formula=r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
    ),
    "tanh": Activation(
        "tanh",
        tanh,
        tanh_derivative,
        tanh_derivative_from_output,
        formula=r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
        derivative_formula=r"\tanh'(z) = 1 - \tanh^2(z)",
    ),
    "relu": Activation(
        "relu",
        relu,
        relu_derivative,
        relu_derivative_from_output,
        formula=r"\mathrm{ReLU}(z) = \max(0, z)",
        derivative_formula=r"\mathrm{ReLU}'(z) = 1 \text{ if } z > 0 \text{ else } 0",
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        leaky_relu,
        leaky_relu_derivative,
        leaky_relu_derivative_from_output,
        formula=r"\mathrm{LeakyReLU}(z) = \max(0.01\,z, z)",
        derivative_formula=r"\mathrm{LeakyReLU}'(z) = 1 \text{ if } z > 0 \text{ else } 0.01",
    ),
    "elu": Activation(
        "elu",
        elu,
        elu_derivative,
        elu_derivative_from_output,
        formula=r"\mathrm{ELU}(z) = z \text{ if } z > 0 \text{ else } e^{z} - 1",
        derivative_formula=r"\mathrm{ELU}'(z) = 1 \text{ if } z > 0 \text{ else } e^{z}",
    ),
    "gelu": Activation(
        "gelu",
        gelu,
        gelu_derivative,
        None,  # not monotonic: two z give the same output
        formula=r"\mathrm{GELU}(z) = z\,\Phi(z)",
        derivative_formula=r"\mathrm{GELU}'(z) = \Phi(z) + z\,\varphi(z)",
    ),
    "silu": Activation(
        "silu",
        silu,
        silu_derivative,
        None,  # not monotonic: two z give the same output
        formula=r"\mathrm{SiLU}(z) = z\,\sigma(z)",
        derivative_formula=r"\mathrm{SiLU}'(z) = \sigma(z)\,(1 + z\,(1 - \sigma(z)))",
    ),
}


def get_activation(activation) -> Activation:
    """Look up an activation by name (or pass an :class:`Activation` through).

    Raises ``ValueError`` naming the known activations for an unknown name.
    """
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(
            f"activation must be a name such as 'sigmoid' or an Activation, "
            f"got {type(activation).__name__}"
        )
    try:
        return ACTIVATIONS[activation]
    except KeyError:
        known = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; known: {known}") from None
