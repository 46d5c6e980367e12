"""helpers.chain: the notes' two-path formula = a generic backward pass = finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers.activations import ACTIVATIONS, get_activation
from helpers.chain import (
    EXAMPLE_FACTORS,
    backward,
    example_network,
    finite_difference,
    forward,
    random_weights,
    spacing,
    two_path_gradient,
    update_is_lost,
    weight_names,
)

reals = st.floats(-2.5, 2.5, allow_nan=False, allow_infinity=False)


def _network(data, n_inputs):
    weights = {name: data.draw(reals, label=name) for name in weight_names(n_inputs)}
    x = [data.draw(reals, label=f"x{i}") for i in range(1, n_inputs + 1)]
    y = data.draw(st.floats(-1, 1), label="y")
    return weights, x, y


def _away_from_kinks(weights, x, y, activation, name="w'11", h=1e-3):
    """No unit's z changes sign when the weight moves by h either way.

    A finite difference straddling ReLU's kink at z = 0 measures neither slope.
    (Units fed only by a dead ReLU have z exactly 0 throughout: that is fine.)
    """
    signs = [
        np.sign(
            list(forward(dict(weights, **{name: weights[name] + d}), x, y, activation).z.values())
        )
        for d in (-h, 0.0, h)
    ]
    return np.array_equal(signs[0], signs[1]) and np.array_equal(signs[1], signs[2])


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@settings(max_examples=60, deadline=None)
@given(data=st.data(), n_inputs=st.integers(1, 3))
def test_two_path_formula_equals_backprop_equals_finite_differences(activation, data, n_inputs):
    weights, x, y = _network(data, n_inputs)
    assume(_away_from_kinks(weights, x, y, activation))
    formula = two_path_gradient(weights, x, y, activation).value
    grads, _ = backward(weights, x, y, activation)
    numeric = finite_difference(weights, x, y, activation)
    assert math.isclose(formula, grads["w'11"], rel_tol=1e-9, abs_tol=1e-15)
    assert math.isclose(formula, numeric, rel_tol=1e-5, abs_tol=1e-8)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("seed", range(5))
def test_generic_backward_matches_finite_differences_for_every_weight(activation, seed):
    rng = np.random.default_rng(seed)
    weights = random_weights(3, rng)
    x, y = rng.normal(size=3), float(rng.uniform())
    grads, grad_o = backward(weights, x, y, activation)
    assert set(grads) == set(weight_names(3))
    for name in weight_names(3):
        assert _away_from_kinks(weights, x, y, activation, name), "pick another seed"
        numeric = finite_difference(weights, x, y, activation, name=name)
        assert math.isclose(grads[name], numeric, rel_tol=1e-5, abs_tol=1e-8), name
    assert grad_o["o31"] == pytest.approx(forward(weights, x, y, activation).o["o31"] - y)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_every_factor_is_a_slope_times_a_weight(activation):
    weights, x, y = example_network()
    result = two_path_gradient(weights, x, y, activation)
    z = forward(weights, x, y, activation).z
    act = get_activation(activation)
    first, second = result.paths
    assert [f.name for f in first.factors] == ["∂o31/∂o21", "∂o21/∂o11", "∂o11/∂w'11"]
    assert [f.name for f in second.factors] == ["∂o31/∂o22", "∂o22/∂o11", "∂o11/∂w'11"]
    assert [f.times_name for f in first.factors] == ["w'''11", "w''11", "x1"]
    assert [f.times_name for f in second.factors] == ["w'''21", "w''12", "x1"]
    for path, units in zip(
        result.paths, (("o31", "o21", "o11"), ("o31", "o22", "o11")), strict=True
    ):
        for factor, unit in zip(path.factors, units, strict=True):
            assert factor.value == factor.df * factor.times
            assert factor.df == pytest.approx(float(act.df(z[unit])))
        assert path.product == pytest.approx(math.prod(f.value for f in path.factors))
    assert result.value == pytest.approx(result.dL_do31 * (first.product + second.product))


def test_the_example_network_gives_the_printed_numbers():
    weights, x, y = example_network()
    assert weights["w'11"] == 2.5
    result = two_path_gradient(weights, x, y, "sigmoid")
    assert result.value == pytest.approx(0.0020856097922372, rel=1e-12)
    assert backward(weights, x, y)[0]["w'11"] == pytest.approx(result.value, rel=1e-12)


def test_the_worked_example_numbers():
    assert math.prod(EXAMPLE_FACTORS) == 0.0010000000000000002  # one rounding step above 0.001
    assert update_is_lost(2.5, 1, 1e-10) and not update_is_lost(2.5, 1, 1e-3)
    assert not update_is_lost(2.5, 1, 1e-10, "float64")
    assert update_is_lost(np.float32(2.5), 1, 1e-10)  # numbers of either dtype are taken
    assert spacing(2.5) == 2.0**-22 and spacing(-2.5) == 2.0**-22  # float32: 23 bits after 2^1
    assert spacing(2.5, "float64") == 2.0**-51


@settings(max_examples=200, deadline=None)
@given(
    w=st.floats(-1e6, 1e6).filter(lambda v: abs(v) > 1e-30),
    eta=st.floats(1e-4, 10),
    gradient=st.floats(-1.0, 1.0).filter(lambda v: v != 0),
)
def test_an_update_is_lost_only_below_about_half_the_spacing(w, eta, gradient):
    step = abs(np.float32(eta) * np.float32(gradient))
    assume(step != 0)
    half = spacing(w, "float32") / 2
    lost = update_is_lost(w, eta, gradient, "float32")
    if step > 1.01 * half:
        assert not lost
    if step < 0.24 * half:  # below a power of two, the spacing underneath is half as wide
        assert lost


def test_bad_input_gets_a_sentence():
    weights, x, y = example_network()
    with pytest.raises(ValueError, match="missing w'''21"):
        forward({k: v for k, v in weights.items() if k != "w'''21"}, x, y)
    with pytest.raises(ValueError, match="unexpected w'31"):
        forward(dict(weights, **{"w'31": 1.0}), x, y)
    with pytest.raises(TypeError, match="weight w'11 must be a real number"):
        forward(dict(weights, **{"w'11": "2.5"}), x, y)
    with pytest.raises(ValueError, match="finite"):
        forward(weights, [np.nan, 1.0], y)
    with pytest.raises(TypeError, match="dict"):
        forward([1, 2], x, y)
    with pytest.raises(ValueError, match="unknown activation"):
        two_path_gradient(weights, x, y, "softsign")
    with pytest.raises(ValueError, match="float64' or 'float32"):
        update_is_lost(2.5, 1, 1e-3, "float16")
    with pytest.raises(TypeError, match="gradient must be a real number"):
        update_is_lost(2.5, 1, "1e-3")
    with pytest.raises(ValueError, match="no weight called"):
        finite_difference(weights, x, y, name="w'99")
