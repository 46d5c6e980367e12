"""Checks for notebook 05, ReLU."""

from __future__ import annotations

import numpy as np

from helpers.activations import relu_derivative
from helpers.checks.common import Wrong, check_exercise, expect_close

__all__ = ["check_dead_fraction", "check_relu_derivative"]


def _as_floats(got, what: str) -> np.ndarray:
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be a number or an array of numbers, got {got!r}.") from None


def check_relu_derivative(relu_derivative_answer) -> None:
    """Exercise 1: ReLU's derivative with the frameworks' convention, 0 at z = 0."""

    def test():
        z = np.array([-3.0, -0.5, -1e-300, -0.0, 0.0, 1e-300, 0.5, 3.0])
        expected = relu_derivative(z)
        got = _as_floats(relu_derivative_answer(z.copy()), "Your derivative")
        if got.shape != z.shape:
            raise Wrong(
                f"For an array z of shape {z.shape} your function returned shape {got.shape}: "
                "compute the derivative element by element (e.g. with a comparison z > 0)."
            )
        if np.isclose(got[-1], 3.0) and np.isclose(got[-2], 0.5):
            raise Wrong("That is ReLU itself, max(0, z); the derivative is its slope: 0 or 1.")
        if np.any(got[:2] < 0):
            raise Wrong(
                f"For z = {z[0]:g} you return {got[0]:g}: left of 0 ReLU is flat (a = 0), "
                "so its slope is 0, not negative (np.sign gives -1 there)."
            )
        if np.isclose(got[4], 1.0) or np.isclose(got[3], 1.0):
            raise Wrong(
                "At z = 0 you return 1. The derivative is undefined there mathematically; "
                "PyTorch, TensorFlow and JAX all use 0 at z = 0: use z > 0, not z >= 0."
            )
        expect_close(
            "Your derivative", got, expected, where="z = " + ", ".join(f"{v:g}" for v in z)
        )
        grid = np.linspace(-2, 2, 12).reshape(3, 4)
        expect_close(
            "Your derivative",
            relu_derivative_answer(grid.copy()),
            relu_derivative(grid),
            where="a 3 x 4 array of z",
        )
        return "0 for z <= 0, 1 for z > 0: one comparison, no exp."

    check_exercise("Exercise 1 (ReLU's derivative)", test)


def check_dead_fraction(dead_fraction) -> None:
    """Exercise 2: the fraction of a layer's units that output 0 for every sample."""

    def test():
        # 3 samples (rows) x 4 units (columns): units 0 and 2 are dead.
        a = np.array(
            [
                [0.0, 1.0, 0.0, 0.0],
                [0.0, 2.0, 0.0, 3.0],
                [0.0, 0.0, 0.0, 0.0],
            ]
        )
        got = _as_floats(dead_fraction(a.copy()), "dead_fraction(a)")
        if got.shape != ():
            raise Wrong(
                f"dead_fraction(a) should be one number for the whole layer, got shape "
                f"{got.shape}: after finding the dead units (one True/False per column), "
                "take their mean."
            )
        value = float(got)
        if np.isclose(value, 2.0):
            raise Wrong("You returned the number of dead units (2); return the fraction, 2/4.")
        if np.isclose(value, np.mean(a == 0)):
            raise Wrong(
                f"You returned {value:g}, the fraction of outputs that are 0. A unit is dead "
                "only when its whole column is 0: zero for every sample."
            )
        if np.isclose(value, 1 / 3):
            raise Wrong(
                "You looked along the rows: each row is one sample, each column one unit. "
                "Use axis=0 to ask, for each unit, whether all its samples are 0."
            )
        expect_close("dead_fraction(a)", value, 0.5, where="a 3 x 4 layer with 2 dead units")
        tiny = np.array([[0.0, 1e-12], [0.0, 0.0]])  # the second unit is alive, barely
        expect_close("dead_fraction(a)", dead_fraction(tiny), 0.5, where="a unit with output 1e-12")
        alive = np.abs(np.random.default_rng(0).standard_normal((5, 8)))
        expect_close("dead_fraction(a)", dead_fraction(alive), 0.0, where="a layer with no zeros")
        return "A unit is dead when its output is 0 for every sample."

    check_exercise("Exercise 2 (the dead fraction of a layer)", test)
