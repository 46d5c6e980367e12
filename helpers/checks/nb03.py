"""Checks for notebook 03, tanh."""

from __future__ import annotations

import numpy as np

from helpers.activations import sigmoid, tanh
from helpers.calculus import significant_half_width
from helpers.checks.common import Wrong, check_exercise, expect_close

__all__ = [
    "check_tanh_derivative_from_output",
    "check_tanh_from_sigmoid",
    "check_where_tanh_derivative_falls",
]


def check_tanh_derivative_from_output(tanh_derivative_from_output) -> None:
    """Exercise 1: d tanh/dz from the output a = tanh(z) alone: 1 - a²."""

    def test():
        z = np.linspace(-4, 4, 33)
        a = tanh(z)
        got = tanh_derivative_from_output(a.copy())
        if np.shape(got) == a.shape and np.allclose(got, 1 - a**4):
            raise Wrong(
                "That is 1 - (tanh²(z))² = 1 - a⁴, the notes' typo. The derivative is "
                "1 - tanh²(z) = 1 - a²."
            )
        expect_close(
            "the derivative",
            tanh_derivative_from_output(np.array(0.0)),
            1.0,
            where="z = 0 (a = 0)",
        )
        expect_close("The derivative", got, 1 - a**2, where="33 points of z in [-4, 4]")
        return "tanh'(z) = 1 - a²: again no exp needed once you have a."

    check_exercise("Exercise 1 (tanh derivative from its output)", test)


def check_where_tanh_derivative_falls(first_z_below) -> None:
    """Exercise 2: ``first_z_below(fraction)``: the z > 0 where tanh' falls to fraction · peak."""

    def test():
        for fraction in (0.01, 0.5, 0.1):
            got = first_z_below(fraction)
            want = significant_half_width("tanh", fraction)
            if np.ndim(got) != 0:
                raise Wrong(
                    f"For fraction = {fraction:g} you returned something of shape "
                    f"{np.shape(got)}; return one number, the z where tanh' falls below."
                )
            got = float(got)
            if abs(got - significant_half_width("sigmoid", fraction)) < 0.02:
                raise Wrong(
                    f"For fraction = {fraction:g} you found {got:.3f}, which is where "
                    "sigmoid' falls that low: use tanh' (helpers' tanh_derivative)."
                )
            if abs(got - fraction) < 0.2 * fraction or got < 0:
                raise Wrong(
                    f"For fraction = {fraction:g} you returned {got:.4g}: return the z "
                    "(a position on the axis), not the derivative's value there."
                )
            expect_close(
                "the z where tanh' falls",
                got,
                want,
                where=f"fraction = {fraction:g}",
                rtol=0,
                atol=0.01,
            )
        return f"tanh' is below 1 % of its peak for |z| > {significant_half_width('tanh'):.3f}."

    check_exercise("Exercise 2 (where tanh' falls below 1 % of its peak)", test)


def check_tanh_from_sigmoid(tanh_from_sigmoid) -> None:
    """Exercise 3: ``tanh_from_sigmoid(z)`` computes 2σ(2z) - 1."""

    def test():
        z = np.linspace(-5, 5, 41)
        got = tanh_from_sigmoid(z.copy())
        if np.shape(got) == z.shape and np.allclose(got, 2 * sigmoid(z) - 1):
            raise Wrong(
                f"At z = 1 you get {2 * sigmoid(1.0) - 1:.4f} but tanh(1) = {tanh(1.0):.4f}: "
                "the sigmoid's argument is 2z, not z."
            )
        expect_close(
            "your tanh", got, tanh(z), where="41 points of z in [-5, 5]", rtol=0, atol=1e-12
        )
        return "tanh is a sigmoid stretched to (-1, 1) and squeezed to twice the steepness."

    check_exercise("Exercise 3 (tanh from sigmoid)", test)
