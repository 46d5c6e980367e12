"""Notebook 06: the exercise checks accept the solutions and name typical mistakes."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.checks import nb06
from helpers.mlp import signal_profile

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


def solution():
    path = SOLUTIONS / "06_deep_network_lab.py"
    spec = importlib.util.spec_from_file_location("solution_06", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


S06 = solution()


def untouched(*args):
    raise NotImplementedError


# Exercise 1: typical wrong answers.
def no_derivative(grad_a, z, W, activation):
    return grad_a @ W.T


def derivative_at_a(grad_a, z, W, activation):
    act = get_activation(activation)
    return (grad_a * act.df(act.f(z))) @ W.T


def no_transpose(grad_a, z, W, activation):
    return (grad_a * get_activation(activation).df(z)) @ W


# Exercise 2: typical wrong answers.
def one_halving_too_many(v, layer):
    return np.sqrt(v * (v / 2) ** layer)


def variance_not_rms(v, layer):
    return v * (v / 2) ** (layer - 1)


def no_halving(v, layer):
    return np.sqrt(v**layer)


def ignores_v(v, layer):
    return np.sqrt(0.5 ** (layer - 1))


def wrong_first_layer(v, layer):
    return 1.0 if layer == 1 else np.sqrt(v * (v / 2) ** (layer - 1))


CASES = [
    (
        nb06.check_backprop_through_layer,
        S06.backprop_through_layer,
        [
            (no_derivative, "left out f'(z)"),
            (derivative_at_a, "f'(a) instead of f'(z)"),
            (no_transpose, "shape"),
            (lambda g, z, W, a: "oops", "array of numbers"),
        ],
    ),
    (
        nb06.check_predicted_rms,
        S06.predicted_rms,
        [
            (one_halving_too_many, "29 halvings, not 30"),
            (variance_not_rms, "square root"),
            (no_halving, "without ReLU"),
            (ignores_v, "right for v = 1 only"),
            (wrong_first_layer, "has variance v"),
            (lambda v, layer: "oops", "one number"),
        ],
    ),
]


@pytest.mark.parametrize(("check", "answer", "wrongs"), CASES)
def test_check_accepts_solution_and_names_mistakes(capsys, check, answer, wrongs):
    assert check(answer) is None  # checks print their verdict; a cell shows no stray value
    assert "correct!" in capsys.readouterr().out
    assert check(untouched) is None
    assert "Not attempted yet" in capsys.readouterr().out
    for wrong, words in wrongs:
        assert check(wrong) is None
        out = capsys.readouterr().out
        assert "not yet." in out and words in out, (words, out)
        assert "Traceback" not in out


def test_predicted_rms_matches_wide_relu_networks():
    """The solution's prediction is what ReLU networks measure (an independent check).

    One narrow network drifts (its per-layer factors are random), so the mean square over
    20 networks is compared: the argument predicts the variance, an average over weights.
    """
    for init, v in (("xavier", 1.0), ("he", 2.0)):
        runs = [
            signal_profile(10, "relu", width=256, n_samples=256, init=init, seed=s)
            for s in range(20)
        ]
        measured = np.sqrt(np.mean(np.square(runs), axis=0))
        for layer in (1, 5, 10):
            assert measured[layer - 1] == pytest.approx(S06.predicted_rms(v, layer), rel=0.1)


def test_success_message_states_the_two_numbers(capsys):
    nb06.check_predicted_rms(S06.predicted_rms)
    out = capsys.readouterr().out
    assert "2^-14.5 = 4.3e-05" in out and "sqrt 2 = 1.41" in out
