"""Checks for notebook 05, ReLU."""

import math

import numpy as np

from helpers.checks.common import Wrong, as_number, exercise, expect_close, name_slip
from helpers.mlp import signal_profile

__all__ = ["check_dead_fraction", "check_level_variance", "check_path_gradient"]


@exercise("Exercise 1 (the gradient along one path)")
def check_path_gradient(path_gradient):
    """Exercise 1: the product of the factors f'(z_k)·w_k along one path of ReLU units."""
    w = np.array([0.5, 2.0, -1.5, 1.2])
    weights_only = float(np.prod(w))
    for z, where, slips in (
        ([0.7, 2.0, 0.1, 1.5], "an active path (every z > 0)", [
            (float(np.sum(w)), "You returned the sum of the weights. The chain rule "
             "multiplies the factors of a path, one per layer: use a product (np.prod)."),
            (0.7 * 2.0 * 0.1 * 1.5 * weights_only, "You multiplied in z itself (ReLU's "
             "output). The chain rule needs ReLU's slope f'(z), which is 1 for every z > 0."),
            (1.0, "You returned 1: every z > 0 here, so each f'(z) is 1, but each factor is "
             "f'(z)·w. ReLU makes the slope 1; the weights still multiply in."),
        ]),
        ([0.7, -0.3, 0.1, 1.5], "a path with one unit at z = -0.3", [
            (weights_only, "With z = -0.3 at the second unit you still return the product "
             "of the weights. That unit outputs 0 and its slope f'(z) is 0: it passes "
             "nothing back, so the whole path contributes 0."),
            (-weights_only, "For z = -0.3 your slope is -1 (np.sign?). Left of 0 ReLU is "
             "flat, so its slope there is 0, not -1."),
        ]),
        ([0.7, 0.0, 0.1, 1.5], "a path with one unit at z = 0", [
            (weights_only, "At z = 0 you use slope 1. ReLU's derivative is undefined there; "
             "PyTorch, TensorFlow and JAX use 0 at z = 0: test z > 0, not z >= 0."),
        ]),
    ):  # fmt: skip
        got = as_number(path_gradient(np.array(z), w.copy()), "path_gradient(z, w)")
        name_slip(got, slips)
        expect_close("path_gradient(z, w)", got, weights_only if min(z) > 0 else 0.0, where=where)
    got = path_gradient(np.full(10, 3.0), np.full(10, 0.5))
    expect_close("path_gradient(z, w)", got, 2.0**-10, where="10 active units with weights 0.5")
    return (
        "On an active path ReLU's slopes are all 1 and only the weights remain "
        "(ten weights of 0.5 still give 0.5^10 ≈ 0.001); one unit with z <= 0 cuts the path."
    )


@exercise("Exercise 2 (the variance that keeps the signal level)")
def check_level_variance(level_variance):
    """Exercise 2: the weight variance, for n inputs per unit, that keeps ReLU's z level."""
    values = {n: as_number(level_variance(n), f"level_variance({n})") for n in (64, 256, 1024)}
    for n, v in values.items():
        if not math.isfinite(v) or v <= 0:
            raise Wrong(f"level_variance({n}) is {v:g}; a variance is a positive number.")
    c = {n: v * n for n, v in values.items()}  # the variance as c/n
    if max(c.values()) > 1.5 * min(c.values()):
        if all(math.isclose(v, math.sqrt(2 / n), rel_tol=0.1) for n, v in values.items()):
            raise Wrong("You returned sqrt(2/n), the weights' standard deviation; square it.")
        if max(values.values()) < 1.5 * min(values.values()):
            maybe = (
                " It may be right for n = 256, but"
                if 1.8 <= c[256] <= 2.2
                else f" For n = 256 that is c = {c[256]:.3g}, nowhere near level. And"
            )
            raise Wrong(
                f"Your variance is {values[256]:.3g} for every n.{maybe} a unit with n inputs "
                "adds up n terms w·a, so the variance of z grows with n: run the sweep with "
                "rms_of_z(c, n=64) too and write the variance as c/n."
            )
        raise Wrong(
            "Your variance times n changes with n ("
            + ", ".join(f"n = {n}: {cn:.3g}" for n, cn in c.items())
            + "). z sums n terms w·a, so Var(z) = n·Var(w)·E[a²]: the right variance is "
            "some number c divided by n."
        )
    c256 = c[256]  # the notebook's sweep: 30 ReLU layers of 256 units
    # He's scheme draws variance 2/n; scaling every weight by s multiplies the variance by s².
    scale = math.sqrt(c256 / 2)
    with np.errstate(over="ignore", invalid="ignore"):  # a far too large variance overflows
        rms = signal_profile(30, "relu", width=256, init="he", weight_scale=scale, seed=0)
    start, end = rms[0], rms[29]  # hidden layers 1 and 30 (rms[30] is the output unit)
    growth = f"the RMS of z goes from {start:.3g} at layer 1 to {end:.3g} at layer 30 (n = 256)"
    if math.isclose(c256, 2.0, rel_tol=0.01):
        return (
            f"Var(w) = {c256:.3g}/n: {growth}, level up to this one network's noise. "
            "Theory says exactly 2/n (He et al. 2015); the next cell shows why."
        )
    if 1.8 <= c256 <= 2.2:  # close enough for a noisy sweep; say what 29 layers make of it
        return (
            f"Var(w) = {c256:.3g}/n, close enough for one noisy network: {growth}. Theory "
            "says exactly 2/n (He et al. 2015; the next cell shows why): each layer "
            f"multiplies the RMS by sqrt(c/2), so over 29 layers c = {c256:.3g} gives "
            f"({c256:.3g}/2)^14.5 = {(c256 / 2) ** 14.5:.2g} times the level line."
        )
    why = "Too small." if c256 < 1.8 else "Too large."
    if math.isclose(c256, 1.0, rel_tol=0.1):
        why = (
            "1/n keeps z level for units that pass z on unchanged (linear ones, or tanh "
            "near 0); ReLU sets the negative half of z to 0, which halves the signal's "
            "power at every layer."
        )
    elif math.isclose(c256, 1 / 3, rel_tol=0.1):
        why = "1/(3n) is the variance of the standard initialisation: far too small for ReLU."
    raise Wrong(
        f"With Var(w) = {c256:.3g}/n {growth}. {why} Sweep c on both sides of "
        "your value and look for the line that stays flat."
    )


@exercise("Exercise 3 (the dead fraction of a layer)")
def check_dead_fraction(dead_fraction):
    """Exercise 3: the share of a layer's units that are dead (output 0 for every sample)."""
    a = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 2.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0]])
    got = dead_fraction(a.copy())
    if np.ndim(got) != 0:
        raise Wrong(
            f"dead_fraction(a) should be one number for the whole layer, got shape "
            f"{np.shape(got)}: find the dead units (one True/False per column), then the mean."
        )
    got = as_number(got, "dead_fraction(a)")
    name_slip(got, [
        (2.0, "You returned the number of dead units (2); return the fraction, 2/4."),
        (float(np.mean(a == 0)), f"You returned {got:g}, the zero fraction: the share of "
         "outputs that are 0. A unit is dead only when its whole column is 0."),
        (1.0, "You counted the units that are 0 for at least one sample (np.any?). A unit is "
         "dead only when it is 0 for every sample (np.all)."),
        (50.0, "You returned a percentage (50); return the fraction, 0.5."),
        (1 / 3, "You looked along the rows: each row is one sample, each column one unit. "
         "Use axis=0 to ask, for each unit, whether all its samples are 0."),
    ])  # fmt: skip
    expect_close("dead_fraction(a)", got, 0.5, where="a 3 x 4 layer with 2 dead units")
    tiny = np.array([[0.0, 1e-12], [0.0, 0.0]])  # the second unit is alive, barely
    if np.isclose(as_number(dead_fraction(tiny), "dead_fraction(a)"), 1.0):
        raise Wrong(
            "A unit whose output is 1e-12 for one sample counts as dead in your answer. "
            "It is alive: it passes gradient for that sample. Dead means exactly 0 "
            "(a == 0), not close to 0."
        )
    expect_close("dead_fraction(a)", dead_fraction(tiny), 0.5, where="a unit with output 1e-12")
    alive = np.abs(np.random.default_rng(0).standard_normal((5, 8)))
    expect_close("dead_fraction(a)", dead_fraction(alive), 0.0, where="a layer with no zeros")
    return "A unit is dead when its output is 0 for every sample: its whole column."
