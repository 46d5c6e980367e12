"""Notebook 07: the exercise checks accept the solutions and name typical mistakes."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.checks import nb07
from helpers.mlp import backward, forward, init_params, layer_sizes_for

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


def solution():
    path = SOLUTIONS / "07_beyond_relu.py"
    spec = importlib.util.spec_from_file_location("solution_07", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


S07 = solution()


def untouched(*args):
    raise NotImplementedError


def df(activation):
    return get_activation(activation).df


# Exercise 1: typical wrong answers.
def no_skip(grad_a, z, W, activation):
    return (grad_a * df(activation)(z)) @ W.T


def no_derivative(grad_a, z, W, activation):
    return grad_a + grad_a @ W.T


def no_transpose(grad_a, z, W, activation):
    return grad_a + (grad_a * df(activation)(z)) @ W


def derivative_at_a(grad_a, z, W, activation):
    act = get_activation(activation)
    return grad_a + (grad_a * act.df(act.f(z))) @ W.T


# Exercise 2: typical wrong answers.
def over_units(z, gamma, beta):
    mean, var = z.mean(axis=1, keepdims=True), z.var(axis=1, keepdims=True)
    return gamma * (z - mean) / np.sqrt(var + 1e-5) + beta


def by_variance(z, gamma, beta):
    return gamma * (z - z.mean(axis=0)) / (z.var(axis=0) + 1e-5) + beta


def no_gamma_beta(z, gamma, beta):
    return (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + 1e-5)


def no_centring(z, gamma, beta):
    return gamma * z / np.sqrt(z.var(axis=0) + 1e-5) + beta


CASES = [
    (
        nb07.check_residual_backward,
        S07.residual_backward,
        [
            (no_skip, "left out the skip"),
            (no_derivative, "left out f'(z)"),
            (no_transpose, "W.T"),
            (derivative_at_a, "f'(a)"),
            (lambda g, z, W, a: "oops", "array of numbers"),
            (lambda g, z, W, a: None, "returned None"),
        ],
    ),
    (
        nb07.check_batch_normalise,
        S07.batch_normalise,
        [
            (over_units, "layer normalisation"),
            (by_variance, "square root"),
            (no_gamma_beta, "gamma and beta"),
            (no_centring, "subtract each unit's mean"),
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


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_residual_backward_is_what_helpers_mlp_computes(activation):
    """The solution, applied layer by layer, gives helpers.mlp's dL/da with skip=True."""
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(12, 3)), rng.integers(0, 2, size=12)
    params = init_params(layer_sizes_for(3, depth=5, width=6), "xavier", rng=1)
    cache = forward(params, X, activation, skip=True)
    _, _, da = backward(params, cache, y, activation, skip=True)
    for k in range(4, 0, -1):  # hidden layer k + 1 (a residual layer) down to layer k
        got = S07.residual_backward(da[k], cache.zs[k], params[k][0], activation)
        assert np.allclose(got, da[k - 1], rtol=1e-10, atol=1e-14)


def test_batch_normalise_is_what_helpers_mlp_feeds_to_f():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(20, 3))
    params = init_params(layer_sizes_for(3, depth=2, width=4), "xavier", rng=1, norm="batch")
    cache = forward(params, X, "tanh", norm="batch")
    W, b, gamma, beta = params[0][:4]
    assert np.allclose(S07.batch_normalise(X @ W + b, gamma, beta), cache.f_inputs[0])


def test_figures_pass_the_figure_checks_in_both_styles():
    """07's figures (drawn in its cells; tools/figure_catalogue.py covers 00-05) pass the checks.

    The notebook's code runs once in reading style (about 20 s: its experiments); then
    each figure cell is drawn again in lecture style from the same results.
    """
    import sys

    import matplotlib as mpl
    import matplotlib.pyplot as plt
    import nbformat

    from helpers.plotting import use_style

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "tests"))
    from figure_checks import figure_problems

    saved = mpl.rcParams.copy()
    cells = nbformat.read(root / "notebooks" / "07_beyond_relu.ipynb", as_version=4).cells
    code = [c.source for c in cells if c.cell_type == "code" and "Question(" not in c.source]
    drawing = [source for source in code if "plt.show()" in source]
    namespace, problems = {}, []
    try:
        for lecture in (False, True):
            for source in code if not lecture else drawing:
                source = source.replace("use_style()", f"use_style(lecture={lecture})")
                exec(source.replace("plt.show()", "shown = plt.gcf()"), namespace)
                if "plt.show()" in source:
                    found = figure_problems(namespace["shown"], lecture=lecture)
                    problems += [f"{source.splitlines()[0]} ({lecture=}): {p}" for p in found]
                    plt.close("all")
            use_style(lecture=True)
    finally:
        use_style(lecture=False)
        mpl.rcParams.update(saved)
        plt.close("all")
    assert len(drawing) == 4
    assert not problems, "\n".join(problems)
