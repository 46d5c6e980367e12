"""The activations against references that share no code or formula with them.

The references are computed with Python's ``decimal`` module at 400 significant
digits, from the definitions (σ(z) = 1 / (1 + e^-z), tanh z = (e^z - e^-z) /
(e^z + e^-z), and the derivatives σ' = e^-z / (1 + e^-z)², tanh' = 4 / (e^z +
e^-z)²), so an error in the implementation's own algebra (its stable branches,
its clamps, its expm1 tricks) cannot hide in the reference.
"""

from decimal import Decimal, getcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.activations import sigmoid, sigmoid_derivative, tanh, tanh_derivative

# 400 digits: e^z - e^-z keeps its leading digits even for z near the smallest float.
getcontext().prec = 400

# Relative error allowed: a few units in the last place of float64.
ULPS = 4 * np.finfo(float).eps


def _exp(z: float) -> Decimal:
    return Decimal(z).exp()


def ref_sigmoid(z: float) -> float:
    return float(1 / (1 + _exp(-z)))


def ref_sigmoid_derivative(z: float) -> float:
    e = _exp(-z)
    return float(e / (1 + e) ** 2)


def ref_tanh(z: float) -> float:
    plus, minus = _exp(z), _exp(-z)
    return float((plus - minus) / (plus + minus))


def ref_tanh_derivative(z: float) -> float:
    return float(4 / (_exp(z) + _exp(-z)) ** 2)


PAIRS = [
    (sigmoid, ref_sigmoid),
    (sigmoid_derivative, ref_sigmoid_derivative),
    (tanh, ref_tanh),
    (tanh_derivative, ref_tanh_derivative),
]
TAUGHT = [
    0.0,
    1e-9,
    -1e-9,
    0.5,
    1.0,
    -1.0,
    1.66,
    2.0,
    3.0,
    3.64,
    4.0,
    -4.0,
    6.0,
    10.0,
    36.0,
    -36.0,
    40.0,
    100.0,
    -100.0,
    700.0,
    -700.0,
]


@pytest.mark.parametrize(("implementation", "reference"), PAIRS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("z", TAUGHT)
def test_against_decimal_at_the_taught_and_extreme_points(implementation, reference, z):
    expected = reference(z)
    assert implementation(z) == pytest.approx(expected, rel=ULPS, abs=1e-300)


@settings(max_examples=300)
@given(z=st.floats(min_value=-700, max_value=700, allow_nan=False))
def test_against_decimal_anywhere(z):
    for implementation, reference in PAIRS:
        assert implementation(z) == pytest.approx(reference(z), rel=ULPS, abs=1e-300), (
            implementation.__name__
        )


def test_sigmoid_derivative_peak_is_a_quarter_to_the_last_bit():
    # Near z = 0 the stable formula e/(1+e)² can round above 0.25; the value must
    # stay within an ulp of the true one, which is below 0.25 for every z ≠ 0.
    z = np.concatenate([np.geomspace(1e-12, 1e-3, 200), -np.geomspace(1e-12, 1e-3, 200)])
    expected = np.array([ref_sigmoid_derivative(float(v)) for v in z])
    np.testing.assert_allclose(sigmoid_derivative(z), expected, rtol=2 * np.finfo(float).eps)
    assert sigmoid_derivative(0.0) == 0.25 == ref_sigmoid_derivative(0.0)


def test_the_notes_numbers():
    # ERRATA: σ'(±4) = 0.01766 (7 % of the peak), tanh'(±3) = 0.00987 (1 % of its peak).
    assert f"{ref_sigmoid_derivative(4.0):.5f}" == f"{sigmoid_derivative(4.0):.5f}" == "0.01766"
    assert f"{ref_tanh_derivative(3.0):.5f}" == f"{tanh_derivative(3.0):.5f}" == "0.00987"
