"""Checks for notebook 05, ReLU."""

from __future__ import annotations

import math

import numpy as np

from helpers.checks.common import Wrong, check_exercise, expect_close
from helpers.definitions import dead_units
from helpers.mlp import signal_profile

__all__ = ["check_dead_fraction", "check_level_variance", "check_path_gradient"]


def _as_floats(got, what: str) -> np.ndarray:
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be a number or an array of numbers, got {got!r}.") from None


def _as_number(got, what: str) -> float:
    value = _as_floats(got, what)
    if value.shape != ():
        raise Wrong(f"{what} should be one number, got an array of shape {value.shape}.")
    return float(value)


# --- Exercise 1: the gradient along one path of ReLU units ----------------------------------


def check_path_gradient(path_gradient) -> None:
    """Exercise 1: the product of the factors f'(z_k)·w_k along one path of ReLU units."""

    def test():
        z = np.array([0.7, 2.0, 0.1, 1.5])
        w = np.array([0.5, 2.0, -1.5, 1.2])
        got = _as_number(path_gradient(z.copy(), w.copy()), "path_gradient(z, w)")
        if math.isclose(got, float(np.sum(w)), abs_tol=1e-9):
            raise Wrong(
                f"You returned {got:g}, the sum of the weights. The chain rule multiplies "
                "the factors of a path, one per layer: use a product (np.prod)."
            )
        if math.isclose(got, float(np.prod(z * w)), abs_tol=1e-9):
            raise Wrong(
                "You multiplied in z itself (ReLU's output, a = z when z > 0). The chain rule "
                "needs ReLU's slope f'(z), which is 1 for every z > 0, whatever its size."
            )
        if math.isclose(got, 1.0, abs_tol=1e-9):
            raise Wrong(
                "You returned 1: every unit on this path has z > 0, so each f'(z) is 1, but "
                "each factor is f'(z)·w. ReLU makes the slope 1; the weights still multiply in."
            )
        expect_close("path_gradient(z, w)", got, np.prod(w), where="an active path (every z > 0)")

        z_cut = np.array([0.7, -0.3, 0.1, 1.5])
        got = _as_number(path_gradient(z_cut.copy(), w.copy()), "path_gradient(z, w)")
        if math.isclose(got, float(np.prod(w)), abs_tol=1e-9):
            raise Wrong(
                "With z = -0.3 at the second unit you still return the product of the weights. "
                "That unit outputs 0 and its slope f'(z) is 0: it passes nothing back, so the "
                "whole path contributes 0."
            )
        if math.isclose(got, float(np.prod(np.sign(z_cut) * w)), abs_tol=1e-9):
            raise Wrong(
                "For z = -0.3 your slope is -1 (np.sign?). Left of 0 ReLU is flat, so its "
                "slope there is 0, not -1."
            )
        expect_close("path_gradient(z, w)", got, 0.0, where="a path with one unit at z = -0.3")

        z_kink = np.array([0.7, 0.0, 0.1, 1.5])
        got = _as_number(path_gradient(z_kink.copy(), w.copy()), "path_gradient(z, w)")
        if math.isclose(got, float(np.prod(w)), abs_tol=1e-9):
            raise Wrong(
                "At z = 0 you use slope 1. ReLU's derivative is undefined there mathematically; "
                "PyTorch, TensorFlow and JAX all use 0 at z = 0: test z > 0, not z >= 0."
            )
        expect_close("path_gradient(z, w)", got, 0.0, where="a path with one unit at z = 0")

        deep = np.full(10, 0.5)
        expect_close(
            "path_gradient(z, w)",
            path_gradient(np.full(10, 3.0), deep.copy()),
            0.5**10,
            where="10 active units with weights 0.5",
        )
        return (
            "On an active path ReLU's slopes are all 1 and only the weights remain "
            "(ten weights of 0.5 still give 0.5^10 ≈ 0.001); one unit with z <= 0 cuts the path."
        )

    check_exercise("Exercise 1 (the gradient along one path)", test)


# --- Exercise 2: the discovery sweep --------------------------------------------------------

LEVEL_DEPTH = 30  # the sweep's depth: the RMS of z at layer 30 against layer 1 (as in 05)
_WIDTHS = (64, 256, 1024)


def _rms_ratio(variance: float, n: int) -> tuple[float, float]:
    """RMS of z at layer 1 and at layer LEVEL_DEPTH of a ReLU network with Var(w) = variance."""
    # He's scheme draws variance 2/n; scaling every weight by s multiplies the variance by s².
    scale = math.sqrt(variance * n / 2)
    with np.errstate(over="ignore", invalid="ignore"):  # a far too large variance overflows
        rms = signal_profile(LEVEL_DEPTH, "relu", width=n, init="he", weight_scale=scale, seed=0)
    return float(rms[0]), float(rms[LEVEL_DEPTH - 1])


def check_level_variance(level_variance) -> None:
    """Exercise 2: the weight variance, for n inputs per unit, that keeps ReLU's z level."""

    def test():
        values = {}
        for n in _WIDTHS:
            answer = level_variance(n)
            if isinstance(answer, bool):
                raise Wrong(f"level_variance({n}) should be a variance (a number), not {answer}.")
            got = _as_number(answer, f"level_variance({n})")
            if not math.isfinite(got) or got <= 0:
                raise Wrong(f"level_variance({n}) is {got:g}; a variance is a positive number.")
            values[n] = got
        c = {n: v * n for n, v in values.items()}  # the variance as c/n
        if max(c.values()) > 1.5 * min(c.values()):
            if all(math.isclose(v, math.sqrt(2 / n), rel_tol=0.1) for n, v in values.items()):
                raise Wrong(
                    "You returned sqrt(2/n): that is the weights' standard deviation. "
                    "The variance is its square."
                )
            if max(values.values()) < 1.5 * min(values.values()):
                n = 256
                maybe = (
                    f" It may be right for n = {n}, but"
                    if 1.8 <= c[n] <= 2.2
                    else f" For n = {n} that is c = {c[n]:.3g}, nowhere near level. And"
                )
                raise Wrong(
                    f"Your variance is {values[n]:.3g} for every n.{maybe} a unit with n inputs "
                    "adds up n terms w·a, so the variance of z grows with n: run the sweep with "
                    "rms_of_z(c, n=64) too and write the variance as c/n."
                )
            raise Wrong(
                "Your variance times n changes with n ("
                + ", ".join(f"n = {n}: {c[n]:.3g}" for n in _WIDTHS)
                + "). z sums n terms w·a, so Var(z) = n·Var(w)·E[a²]: the right variance is "
                "some number c divided by n."
            )
        n = 256
        start, end = _rms_ratio(values[n], n)
        growth = f"the RMS of z goes from {start:.3g} at layer 1 to {end:.3g} at layer 30"
        c256 = c[n]
        if 1.8 <= c256 <= 2.2:
            if math.isclose(c256, 2.0, rel_tol=0.01):
                return (
                    f"Var(w) = {c256:.3g}/n: {growth} (n = {n}), level up to this one "
                    "network's noise. Theory says exactly 2/n (He et al. 2015); the next cell "
                    "shows why."
                )
            # Close enough for a noisy sweep, but say what 29 layers make of the difference.
            return (
                f"Var(w) = {c256:.3g}/n, close enough for one noisy network: {growth} "
                f"(n = {n}). Theory says exactly 2/n (He et al. 2015; the next cell shows "
                f"why): each layer multiplies the RMS by sqrt(c/2), so over 29 layers "
                f"c = {c256:.3g} gives ({c256:.3g}/2)^14.5 = {(c256 / 2) ** 14.5:.2g} "
                "times the level line."
            )
        if math.isclose(c256, 1.0, rel_tol=0.1):
            why = (
                "1/n keeps z level for units that pass z on unchanged (linear ones, or tanh "
                "near 0); ReLU sets the negative half of z to 0, which halves the signal's "
                "power at every layer."
            )
        elif math.isclose(c256, 1 / 3, rel_tol=0.1):
            why = "1/(3n) is the variance of the standard initialisation: far too small for ReLU."
        else:
            why = "Too small." if c256 < 1.8 else "Too large."
        raise Wrong(
            f"With Var(w) = {c256:.3g}/n {growth} (n = {n}). {why} Sweep c on both sides of "
            "your value and look for the line that stays flat."
        )

    check_exercise("Exercise 2 (the variance that keeps the signal level)", test)


# --- Exercise 3: the dead fraction of a layer -----------------------------------------------


def check_dead_fraction(dead_fraction) -> None:
    """Exercise 3: the share of a layer's units that are dead (output 0 for every sample)."""

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
                f"You returned {value:g}, the zero fraction: the share of outputs that are 0. "
                "A unit is dead only when its whole column is 0: zero for every sample."
            )
        if np.isclose(value, 1.0) and np.all(np.any(a == 0, axis=0)):
            raise Wrong(
                "You counted the units that are 0 for at least one sample (np.any?). A unit is "
                "dead only when it is 0 for every sample (np.all)."
            )
        if np.isclose(value, 50.0):
            raise Wrong("You returned a percentage (50); return the fraction, 0.5.")
        if np.isclose(value, 1 / 3):
            raise Wrong(
                "You looked along the rows: each row is one sample, each column one unit. "
                "Use axis=0 to ask, for each unit, whether all its samples are 0."
            )
        expected = float(dead_units(a).mean())
        expect_close("dead_fraction(a)", value, expected, where="a 3 x 4 layer with 2 dead units")
        tiny = np.array([[0.0, 1e-12], [0.0, 0.0]])  # the second unit is alive, barely
        got_tiny = _as_floats(dead_fraction(tiny), "dead_fraction(a)")
        if got_tiny.shape == () and np.isclose(float(got_tiny), 1.0):
            raise Wrong(
                "A unit whose output is 1e-12 for one sample counts as dead in your answer. "
                "It is alive: it passes gradient for that sample. Dead means exactly 0 "
                "(a == 0), not close to 0."
            )
        expect_close("dead_fraction(a)", got_tiny, 0.5, where="a unit with output 1e-12")
        alive = np.abs(np.random.default_rng(0).standard_normal((5, 8)))
        expect_close("dead_fraction(a)", dead_fraction(alive), 0.0, where="a layer with no zeros")
        return "A unit is dead when its output is 0 for every sample: its whole column."

    check_exercise("Exercise 3 (the dead fraction of a layer)", test)
