"""Notebook 06: the exercise checks accept the solutions and name typical mistakes."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.checks import nb06

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


def no_derivative(grad_a, z, W, activation):
    return grad_a @ W.T


def derivative_at_a(grad_a, z, W, activation):
    act = get_activation(activation)
    return (grad_a * act.df(act.f(z))) @ W.T


def no_transpose(grad_a, z, W, activation):
    return (grad_a * get_activation(activation).df(z)) @ W


def xavier(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))


def lecun(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(1 / n_in), size=(n_in, n_out))


def variance_as_scale(n_in, n_out, rng):
    return rng.normal(0, 2 / n_in, size=(n_in, n_out))


def unseeded(n_in, n_out, rng):
    return np.random.default_rng().normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))


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
        nb06.check_he_init,
        S06.he_init,
        [
            (xavier, "Xavier"),
            (lecun, "LeCun"),
            (variance_as_scale, "variance of W"),
            (unseeded, "same seed"),
            (lambda n_in, n_out, rng: np.zeros((n_out, n_in)), "shape"),
        ],
    ),
]


@pytest.mark.parametrize(("check", "answer", "wrongs"), CASES)
def test_check_accepts_solution_and_names_mistakes(capsys, check, answer, wrongs):
    assert check(answer) is True
    assert "correct!" in capsys.readouterr().out
    assert check(untouched) is False
    assert "Not attempted yet" in capsys.readouterr().out
    for wrong, words in wrongs:
        assert check(wrong) is False, words
        out = capsys.readouterr().out
        assert "not yet." in out and words in out, (words, out)
        assert "Traceback" not in out
