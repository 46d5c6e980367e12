"""The vocabulary in helpers.definitions, against independent computations."""

import math

import numpy as np
import pytest

from helpers.definitions import (
    SATURATION_FRACTION,
    dead_units,
    gradient_regime,
    saturated_from_output,
)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize(
    ("activation", "output", "slope_over_peak"),
    [
        ("sigmoid", _sigmoid(3.6), _sigmoid(3.6) * (1 - _sigmoid(3.6)) / 0.25),
        ("sigmoid", _sigmoid(3.7), _sigmoid(3.7) * (1 - _sigmoid(3.7)) / 0.25),
        ("tanh", math.tanh(1.8), 1 / math.cosh(1.8) ** 2),
        ("tanh", math.tanh(1.85), 1 / math.cosh(1.85) ** 2),
    ],
)
def test_saturated_means_slope_below_a_tenth_of_the_peak(activation, output, slope_over_peak):
    # The slope is computed from z (math.cosh, the logistic), not from the output.
    assert bool(saturated_from_output(activation, output)) == (
        slope_over_peak < SATURATION_FRACTION
    )


def test_saturation_edges_match_the_prose():
    # The module docstring (and the notebooks) state |z| > 3.64 for sigmoid, > 1.82 for tanh.
    assert not saturated_from_output("sigmoid", _sigmoid(3.63))
    assert saturated_from_output("sigmoid", _sigmoid(3.65))
    assert not saturated_from_output("tanh", math.tanh(1.81))
    assert saturated_from_output("tanh", math.tanh(1.83))
    assert not saturated_from_output("relu", np.array([0.0, 5.0])).any()


def test_dead_means_zero_for_every_sample():
    a = np.array([[0.0, 0.0, 1.0], [0.0, 2.0, 0.0]])
    assert dead_units(a).tolist() == [True, False, False]
    with pytest.raises(ValueError, match="2-D"):
        dead_units(np.zeros(3))


@pytest.mark.parametrize(
    ("ratio", "regime"),
    [
        (0.0, "vanishing"),
        (0.099, "vanishing"),
        (0.1, "level"),
        (10.0, "level"),
        (10.01, "exploding"),
    ],
)
def test_gradient_regime(ratio, regime):
    assert gradient_regime(ratio) == regime


def test_gradient_regime_refuses_nan():
    with pytest.raises(ValueError, match="finite"):
        gradient_regime(float("nan"))
