"""The activation maths: derivatives, identities, extremes, dtypes and bad input.

Every activation registered in helpers.ACTIVATIONS goes through the generic
tests, so one added later is held to the same standard.
"""

import decimal
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import ACTIVATIONS, get_activation
from helpers.activations import (
    sigmoid,
    sigmoid_derivative,
    sigmoid_derivative_from_output,
    tanh,
    tanh_derivative,
    tanh_derivative_from_output,
)

NAMES = list(ACTIVATIONS)
every_float = st.floats(allow_nan=False, allow_infinity=True, width=64)
finite_float = st.floats(allow_nan=False, allow_infinity=False, width=64)
moderate = st.floats(min_value=-30, max_value=30, allow_nan=False)


def central_difference(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


# --- derivatives against finite differences --------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_difference(name):
    act = ACTIVATIONS[name]
    # Keep away from kinks (ReLU at 0), where the derivative has a jump.
    z = np.concatenate([np.linspace(-8, -0.01, 200), np.linspace(0.01, 8, 200)])
    np.testing.assert_allclose(act.df(z), central_difference(act.f, z), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
@given(z=moderate.filter(lambda v: abs(v) > 1e-3))
def test_derivative_matches_central_difference_anywhere(name, z):
    act = ACTIVATIONS[name]
    assert act.df(z) == pytest.approx(central_difference(act.f, z), rel=1e-4, abs=1e-7)


@pytest.mark.parametrize("name", [n for n in NAMES if ACTIVATIONS[n].df_from_output])
@given(z=moderate)
def test_derivative_from_output_agrees_with_derivative(name, z):
    act = ACTIVATIONS[name]
    assert act.df_from_output(act.f(z)) == pytest.approx(act.df(z), rel=1e-9, abs=1e-12)


# --- identities from the notes ----------------------------------------------


@given(z=moderate)
def test_sigmoid_derivative_is_sigma_times_one_minus_sigma(z):
    s = sigmoid(z)
    assert sigmoid_derivative(z) == pytest.approx(s * (1 - s), rel=1e-9, abs=1e-15)


@given(z=finite_float)
def test_sigmoid_derivative_is_sigma_z_times_sigma_minus_z(z):
    # The accurate form of σ(1-σ), valid for every float.
    assert sigmoid_derivative(z) == pytest.approx(sigmoid(z) * sigmoid(-z), rel=1e-12, abs=0)


@given(z=moderate)
def test_tanh_derivative_is_one_minus_tanh_squared(z):
    assert tanh_derivative(z) == pytest.approx(1 - tanh(z) ** 2, rel=1e-9, abs=1e-15)


@given(z=st.floats(min_value=-300, max_value=300))
def test_tanh_is_a_rescaled_sigmoid(z):
    assert tanh(z) == pytest.approx(2 * sigmoid(2 * z) - 1, rel=1e-12, abs=1e-15)


@given(z=every_float)
def test_sigmoid_is_symmetric(z):
    assert sigmoid(-z) == pytest.approx(1 - sigmoid(z), rel=1e-12, abs=1e-15)


# --- maxima, ranges, limits ---------------------------------------------------


def test_derivative_maxima():
    z = np.linspace(-10, 10, 20001)
    assert sigmoid_derivative(0.0) == 0.25
    assert tanh_derivative(0.0) == 1.0
    assert z[np.argmax(sigmoid_derivative(z))] == 0.0
    assert z[np.argmax(tanh_derivative(z))] == 0.0
    # (That no value exceeds the peak is not tested here: a clamp in the code makes it
    # true by construction. tests/test_references.py checks the values near 0 against
    # an independent reference instead.)


def test_taught_values():
    # The numbers the notebooks teach (ERRATA).
    assert sigmoid_derivative(4.0) == pytest.approx(0.017663, abs=5e-7)
    assert sigmoid_derivative(-4.0) / 0.25 == pytest.approx(0.0707, abs=5e-5)
    assert tanh_derivative(3.0) == pytest.approx(0.009866, abs=5e-7)


@given(z=every_float)
def test_sigmoid_range(z):
    s = sigmoid(z)
    assert 0.0 <= s <= 1.0
    assert 0.0 <= sigmoid_derivative(z)
    assert 0.0 <= tanh_derivative(z) <= 1.0
    assert -1.0 <= tanh(z) <= 1.0


def test_sigmoid_never_reaches_zero_or_one_in_moderate_range():
    z = np.linspace(-30, 30, 1001)
    assert np.all((sigmoid(z) > 0) & (sigmoid(z) < 1))


@pytest.mark.parametrize(
    "name, at_minus_inf, at_plus_inf, slope_minus, slope_plus",
    [
        ("sigmoid", 0.0, 1.0, 0.0, 0.0),
        ("tanh", -1.0, 1.0, 0.0, 0.0),
        ("relu", 0.0, np.inf, 0.0, 1.0),
        ("leaky_relu", -np.inf, np.inf, 0.01, 1.0),
        ("elu", -1.0, np.inf, 0.0, 1.0),
        ("gelu", 0.0, np.inf, 0.0, 1.0),
        ("silu", 0.0, np.inf, 0.0, 1.0),
    ],
)
def test_limits_at_infinity(name, at_minus_inf, at_plus_inf, slope_minus, slope_plus):
    act = ACTIVATIONS[name]
    assert act.f(-np.inf) == at_minus_inf
    assert act.f(np.inf) == at_plus_inf
    assert act.df(-np.inf) == slope_minus
    assert act.df(np.inf) == slope_plus


@pytest.mark.parametrize("name", NAMES)
def test_no_warnings_nan_or_overflow_over_the_float_range(name):
    act = ACTIVATIONS[name]
    info = np.finfo(np.float64)
    z = np.concatenate(
        [
            [
                info.min,
                -1e300,
                -1000.0,
                -745.0,
                -37.0,
                -1e-300,
                0.0,
                1e-300,
                37.0,
                745.0,
                1000.0,
                1e300,
                info.max,
                -np.inf,
                np.inf,
            ],
            np.geomspace(1e-10, 1e308, 200),
            -np.geomspace(1e-10, 1e308, 200),
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Underflow to 0 is the right answer far out in the tails; anything else is a bug.
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            values = [act.f(z), act.df(z)]
            if act.df_from_output is not None:
                values.append(act.df_from_output(act.f(z)))
    for value in values:
        assert not np.any(np.isnan(value))


# Accuracy for large |z| against an independent reference: tests/test_references.py.


@pytest.mark.parametrize("z", [40.0, 100.0, 700.0, -40.0, -100.0, -700.0])
def test_derivatives_accurate_where_s_times_one_minus_s_fails(z):
    # For |z| large, σ'(z) ≈ e^-|z| and tanh'(z) ≈ 4 e^-2|z|, both far from 0 in float64,
    # while s*(1-s) and 1 - t**2 round to exactly 0.
    assert sigmoid_derivative(z) == pytest.approx(np.exp(-abs(z)), rel=1e-12)
    if abs(z) < 350:
        assert tanh_derivative(z) == pytest.approx(4 * np.exp(-2 * abs(z)), rel=1e-12)
    s = sigmoid(abs(z))
    assert s * (1 - s) == 0.0  # the naive form really does fail here


# --- the ReLU convention -------------------------------------------------------


def test_relu_derivative_at_zero_is_zero():
    relu = get_activation("relu")
    assert relu.df(0.0) == 0.0
    assert relu.df(-0.0) == 0.0
    assert relu.df_from_output(0.0) == 0.0


# --- shapes and dtypes ---------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@given(z=arrays(np.float64, st.tuples(st.integers(0, 3), st.integers(1, 4)), elements=every_float))
def test_vectorised_elementwise(name, z):
    act = ACTIVATIONS[name]
    out = act.f(z)
    assert isinstance(out, np.ndarray) and out.shape == z.shape and out.dtype == np.float64
    expected = np.array([act.f(float(v)) for v in z.ravel()]).reshape(z.shape)
    np.testing.assert_array_equal(out, expected)
    assert act.df(z).shape == z.shape


@pytest.mark.parametrize("name", NAMES)
def test_scalar_in_scalar_out(name):
    act = ACTIVATIONS[name]
    for z in (0.5, 2, np.float64(0.5), np.array(0.5)):
        for fn in (act.f, act.df):
            out = fn(z)
            assert np.ndim(out) == 0 and not isinstance(out, np.ndarray)
            assert isinstance(out, float | np.floating)


@pytest.mark.parametrize("name", NAMES)
def test_float32_stays_float32(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-100, 100, 11, dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act.f(z).dtype == np.float32
        assert act.df(z).dtype == np.float32
        assert act.f(np.float32(1.0)).dtype == np.float32


@pytest.mark.parametrize("name", NAMES)
def test_integers_lists_and_booleans_become_float64(name):
    act = ACTIVATIONS[name]
    assert act.f([1, 2, 3]).dtype == np.float64
    assert act.f(np.arange(3)).dtype == np.float64
    assert act.df([[True, False]]).dtype == np.float64
    np.testing.assert_array_equal(act.f([1, 2, 3]), act.f(np.array([1.0, 2.0, 3.0])))


@pytest.mark.parametrize("name", NAMES)
def test_nan_propagates(name):
    act = ACTIVATIONS[name]
    out = act.f(np.array([np.nan, 0.0]))
    assert np.isnan(out[0]) and not np.isnan(out[1])
    assert np.isnan(act.df(np.nan))
    if act.df_from_output is not None:
        assert np.isnan(act.df_from_output(np.nan))


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", ["1.0", None, object(), [1, "a"], 1 + 2j, b"1", {"z": 1}])
def test_non_numeric_input_raises_type_error(name, bad):
    act = ACTIVATIONS[name]
    for fn in (act.f, act.df):
        with pytest.raises(TypeError, match="real number"):
            fn(bad)


def test_ragged_list_raises_type_error():
    with pytest.raises(TypeError, match="real number"):
        sigmoid([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize(
    "fn, bad",
    [
        (sigmoid_derivative_from_output, 1.5),
        (sigmoid_derivative_from_output, -0.1),
        (tanh_derivative_from_output, 2.0),
    ],
)
def test_derivative_from_output_refuses_values_no_output_could_have(fn, bad):
    with pytest.raises(ValueError, match="pass the activation's output"):
        fn(bad)


def test_unknown_activation_names_the_known_ones():
    with pytest.raises(ValueError, match="'sigmoid'"):
        get_activation("sigmoidd")
    with pytest.raises(TypeError):
        get_activation(3)


# --- after ReLU: leaky ReLU, ELU, GELU, SiLU (notebook 05) -------------------------


def test_the_activations_after_relu_are_registered():
    for name in ("leaky_relu", "elu", "gelu", "silu"):
        assert get_activation(name).name == name
    # Outputs that do not determine z (the curve dips, then rises) get no _from_output form.
    assert ACTIVATIONS["gelu"].df_from_output is None
    assert ACTIVATIONS["silu"].df_from_output is None


def test_conventions_at_zero():
    # The kinks: leaky ReLU takes its left slope there (as PyTorch and TensorFlow do).
    leaky, elu = get_activation("leaky_relu"), get_activation("elu")
    assert leaky.df(0.0) == 0.01 and leaky.df(-0.0) == 0.01 and leaky.df_from_output(0.0) == 0.01
    # ELU with alpha = 1 has no kink: both sides have slope 1 at 0.
    assert elu.df(0.0) == 1.0 and elu.df(-1e-12) == pytest.approx(1.0) and elu.df(1e-12) == 1.0
    assert elu.df_from_output(0.0) == 1.0
    for name in ("gelu", "silu"):
        assert get_activation(name).f(0.0) == 0.0
        assert get_activation(name).df(0.0) == 0.5


def test_taught_values_after_relu():
    leaky, elu = get_activation("leaky_relu"), get_activation("elu")
    gelu, silu = get_activation("gelu"), get_activation("silu")
    np.testing.assert_array_equal(leaky.f([-2.0, 3.0]), [-0.02, 3.0])
    np.testing.assert_array_equal(leaky.df([-2.0, 3.0]), [0.01, 1.0])
    assert elu.f(-1.0) == pytest.approx(np.exp(-1) - 1, rel=1e-15)
    assert elu.df(-1.0) == pytest.approx(np.exp(-1), rel=1e-15)
    assert elu.f(-40.0) == -1.0  # e^-40 - 1 rounds to -1: the floor -alpha is reached in float64
    assert gelu.f(1.0) == pytest.approx(0.8413447460685429, rel=1e-15)  # Φ(1)
    assert silu.f(1.0) == pytest.approx(1 / (1 + np.exp(-1)), rel=1e-15)
    # Minima and derivative overshoots (the curves dip below 0 for negative z).
    z = np.linspace(-5, 5, 100001)
    assert gelu.f(z).min() == pytest.approx(-0.16997, abs=1e-5)
    assert silu.f(z).min() == pytest.approx(-0.27846, abs=1e-5)
    assert gelu.df(np.sqrt(2)) == pytest.approx(1.128904, abs=1e-6)  # GELU'' = φ(z)(2 - z²)
    assert gelu.df(-np.sqrt(2)) == pytest.approx(-0.128904, abs=1e-6)
    assert silu.df(z).max() == pytest.approx(1.09984, abs=1e-5)


def _erfc_decimal(x: float) -> float:
    """erfc(x) of the float x, from erf's Taylor series in ``decimal``.

    The series' terms grow to about e^(x²) before 1 - erf leaves about e^(-x²), so
    30 digits plus twice x²/ln 10 keep it exact in float64. An independent reference:
    no code or library the helpers use.
    """
    digits = 30 + int(2 * x * x / math.log(10))
    with decimal.localcontext() as context:
        context.prec = digits
        d = decimal.Decimal(x)  # the exact binary value of x
        term = total = d
        n, tiny = 0, decimal.Decimal(10) ** -digits
        while abs(term) > tiny:  # erf(x) = 2/√π · Σ (-1)^n x^(2n+1) / (n! (2n+1))
            n += 1
            term = -term * d * d / n
            total += term / (2 * n + 1)
        return float(1 - 2 * total / _PI.sqrt())


def _pi_decimal(digits: int) -> decimal.Decimal:
    """π by Machin's formula, 16·atan(1/5) - 4·atan(1/239), to ``digits`` digits."""
    with decimal.localcontext() as context:
        context.prec = digits + 10

        def atan_inverse(k):
            power = total = decimal.Decimal(1) / k
            n, sign = 1, -1
            while power > decimal.Decimal(10) ** -(digits + 5):
                power /= k * k
                n += 2
                total += sign * power / n
                sign = -sign
            return total

        return 16 * atan_inverse(5) - 4 * atan_inverse(239)


_PI = _pi_decimal(400)


def test_normal_cdf_and_gelu_are_exact_against_a_decimal_reference():
    """Φ(z) = erfc(-z/√2)/2 to about 1 ulp, both tails, against a high-precision series."""
    from helpers.activations import normal_cdf

    z = np.concatenate([np.linspace(-37, 8, 181), np.geomspace(1e-12, 8, 20)])
    z = np.concatenate([z, -z[z > 0]])
    x = z * -0.70710678118654752440  # z/√2 rounds once in float64, in the helpers too
    reference = np.array([0.5 * _erfc_decimal(v) for v in x])
    np.testing.assert_allclose(normal_cdf(z), reference, rtol=1e-15, atol=0)
    np.testing.assert_allclose(get_activation("gelu").f(z), z * reference, rtol=1e-15, atol=0)
    assert np.all(np.abs(normal_cdf(z) + normal_cdf(-z) - 1) <= 2.3e-16)
    # Not the tanh approximation (GPT-2, approximate='tanh'): that differs by up to ~5e-4.
    grid = np.linspace(-6, 6, 12001)
    tanh_form = 0.5 * grid * (1 + np.tanh(np.sqrt(2 / np.pi) * (grid + 0.044715 * grid**3)))
    assert 4e-4 < np.abs(tanh_form - get_activation("gelu").f(grid)).max() < 5e-4


def test_kinks_are_where_the_derivative_jumps():
    """Each activation's ``kinks`` are exactly where f' jumps on a fine grid, no more."""
    z = np.linspace(-6, 6, 12001)
    for act in ACTIVATIONS.values():
        jumps_at = z[1:][np.abs(np.diff(act.df(z))) > 0.01]
        assert len(jumps_at) == len(act.kinks), act.name
        assert all(abs(j - k) < 0.002 for j, k in zip(jumps_at, act.kinks, strict=True)), act.name
    assert ACTIVATIONS["relu"].kinks == (0.0,) and ACTIVATIONS["tanh"].kinks == ()


@given(z=finite_float)
def test_silu_is_z_times_sigmoid(z):
    assert get_activation("silu").f(z) == pytest.approx(z * sigmoid(z), rel=1e-15, abs=1e-300)


def test_elu_derivative_from_output_refuses_values_below_minus_alpha():
    with pytest.raises(ValueError, match="pass the activation's output"):
        get_activation("elu").df_from_output(-1.5)


@pytest.mark.parametrize("bad", [-0.1, np.inf, np.nan])
def test_alpha_must_be_a_finite_non_negative_number(bad):
    from helpers.activations import elu, leaky_relu

    with pytest.raises(ValueError, match="alpha"):
        leaky_relu(1.0, alpha=bad)
    with pytest.raises(ValueError, match="alpha"):
        elu(1.0, alpha=bad)
    with pytest.raises(TypeError, match="alpha"):
        leaky_relu(1.0, alpha="0.1")


def test_derivative_for_plot_breaks_at_kinks_only():
    """A coarse grid keeps tanh''s peak (1 at 0 against 0.42 at 1); ReLU' still breaks at 0."""
    from helpers.plotting.activations import derivative_for_plot

    coarse = np.linspace(-6, 6, 13)  # steps of 1: tanh' goes 0.42 -> 1 -> 0.42
    tanh_df = derivative_for_plot("tanh", coarse)
    assert not np.isnan(tanh_df).any() and tanh_df[6] == 1.0
    for z in (coarse, np.linspace(-6, 6, 12)):  # with and without a grid point at 0
        relu_df = derivative_for_plot("relu", z)
        gap = np.flatnonzero(np.isnan(relu_df))
        assert len(gap) == 1 and z[gap[0] - 1] <= 0 < z[gap[0]]
        assert set(relu_df[~np.isnan(relu_df)]) == {0.0, 1.0}
