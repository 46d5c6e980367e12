"""Activation functions and their derivatives, stable over the whole float range.

Each activation is an :class:`Activation` with three functions:

* ``f(z)``: the activation itself, ``a = f(z)``;
* ``df(z)``: its derivative with respect to ``z``;
* ``df_from_output(a)``: the same derivative written through the output ``a``
  (``a * (1 - a)`` for sigmoid, ``1 - a**2`` for tanh), the form the lecture
  notes point out: the forward pass's output is reused in the backward pass.

All of them take a number, a list or a NumPy array of any shape. A scalar in
gives a scalar out; float32 in gives float32 out; integers, booleans and lists
are computed in float64; NaN propagates; anything that is not a real number
raises ``TypeError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "as_real_array",
    "get_activation",
    "relu",
    "relu_derivative",
    "relu_derivative_from_output",
    "sigmoid",
    "sigmoid_derivative",
    "sigmoid_derivative_from_output",
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
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged lists and the like
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, "
            f"got {type(value).__name__} that NumPy cannot read as one ({error})"
        ) from None
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
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
    return _like_input(e / (1 + e) ** 2, z)


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
