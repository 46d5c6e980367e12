"""Checks for notebook 04, the vanishing-gradient problem."""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np

from helpers.chain import example_network, two_path_gradient
from helpers.checks.common import Wrong, check_exercise, expect_close

__all__ = [
    "check_first_depth_below",
    "check_float32_update_is_lost",
    "check_gradient_from_paths",
]


def _number(got, what: str) -> float:
    if isinstance(got, (str, bytes)):
        raise Wrong(f"{what} should be a number, got the text {got!r}.")
    if isinstance(got, bool) or np.ndim(got) != 0:
        raise Wrong(f"{what} should be one number, got {got!r}.")
    try:
        return float(got)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be a number, got {type(got).__name__} {got!r}.") from None


def check_gradient_from_paths(gradient_from_paths) -> bool:
    """Exercise 1: ``gradient_from_paths(dL_do31, path_1, path_2)``, the notes' two-path formula."""

    def test():
        weights, x, y = example_network()
        notes = two_path_gradient(weights, x, y, "sigmoid")
        cases = [
            (0.5, [0.2, 0.1, 0.05], [0.3, -0.2, 0.05], "the notes' factors"),
            (
                notes.dL_do31,
                [f.value for f in notes.paths[0].factors],
                [f.value for f in notes.paths[1].factors],
                "the notebook's network",
            ),
            (-1.5, [0.7, 0.4, 0.9], [0.6, 0.5, 0.9], "another set of factors"),
        ]
        for dL, path_1, path_2, where in cases:
            got = _number(gradient_from_paths(dL, list(path_1), list(path_2)), "dL/dw'11")
            p1, p2 = math.prod(path_1), math.prod(path_2)
            want = dL * (p1 + p2)
            if not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-15):
                if math.isclose(got, dL * p1 * p2, rel_tol=1e-9):
                    raise Wrong(
                        f"For {where} you multiplied the two paths' products together. The "
                        "paths are two separate routes from w'11 to L: their products add up."
                    )
                if math.isclose(got, p1 + p2, rel_tol=1e-9):
                    raise Wrong(
                        f"For {where} you left out ∂L/∂o31: both paths end at o31, and the "
                        "sum of the paths is multiplied by ∂L/∂o31 (the bracket in the notes)."
                    )
                if math.isclose(got, dL * (sum(path_1) + sum(path_2)), rel_tol=1e-9):
                    raise Wrong(
                        f"For {where} you added the factors along each path. Along one path "
                        "the chain rule multiplies the local derivatives; only the paths add."
                    )
                if math.isclose(got, dL * p1, rel_tol=1e-9) or math.isclose(
                    got, dL * p2, rel_tol=1e-9
                ):
                    raise Wrong(
                        f"For {where} you used only one of the two paths: w'11 reaches L "
                        "through o21 and through o22, and both count."
                    )
                expect_close("dL/dw'11", got, want, where=where, rtol=1e-9, atol=1e-15)
        return (
            f"For the notebook's network that is {notes.value:.6g}, the same number the "
            "generic backward pass gives."
        )

    return check_exercise("Exercise 1 (dL/dw'11 from the two paths)", test)


def _first_depth_below(threshold: float, max_factor: float) -> int:
    """Reference: smallest depth >= 0 with max_factor ** (depth + 1) < threshold."""
    depth = 0
    while max_factor ** (depth + 1) >= threshold:
        depth += 1
    return depth


def check_first_depth_below(first_depth_below) -> bool:
    """Exercise 2: ``first_depth_below(threshold, max_factor=0.25)``, hidden layers, not factors."""

    def test():
        # No case sits on a power of max_factor, where rounding would decide.
        cases = [(1e-6, 0.25), (1e-3, 0.25), (1e-12, 0.25), (0.01, 0.5), (3e-8, 0.9)]
        for threshold, max_factor in cases:
            if max_factor == 0.25:
                got = first_depth_below(threshold)
            else:
                got = first_depth_below(threshold, max_factor=max_factor)
            where = f"threshold = {threshold:g}, max_factor = {max_factor:g}"
            if isinstance(got, bool) or not isinstance(got, Integral | float | np.floating):
                raise Wrong(f"For {where} return a whole number of layers, got {got!r}.")
            if got != int(got):
                raise Wrong(
                    f"For {where} you returned {got}: depth is a whole number of hidden "
                    "layers (round up to the first depth where the product is below)."
                )
            got = int(got)
            want = _first_depth_below(threshold, max_factor)
            if got == want + 1:
                raise Wrong(
                    f"For {where} you returned {got}, the number of factors. The depth counts "
                    f"hidden layers, one fewer: {got} factors means {got - 1} hidden layers."
                )
            if got < want:
                raise Wrong(
                    f"For {where} you returned {got}, but with {got} hidden layers the best "
                    f"case is {max_factor:g}^{got + 1} = {max_factor ** (got + 1):.3g}, "
                    "not yet below the threshold."
                )
            if got > want:
                raise Wrong(
                    f"For {where} you returned {got}, but already {want} hidden layers give "
                    f"{max_factor:g}^{want + 1} = {max_factor ** (want + 1):.3g}, below the "
                    "threshold. Return the first such depth."
                )
        depth = _first_depth_below(1e-6, 0.25)
        return (
            f"With {depth} hidden layers ({depth + 1} factors) even a sigmoid chain's best case "
            f"passes back 0.25^{depth + 1} = {0.25 ** (depth + 1):.3g}, under a millionth."
        )

    return check_exercise("Exercise 2 (depth where the best case falls below 1e-6)", test)


def check_float32_update_is_lost(float32_update_is_lost) -> bool:
    """Exercise 3: ``float32_update_is_lost(w_old, eta, gradient)``: nothing changes in float32."""

    def test():
        cases = [
            # w_old, eta, gradient, lost?
            (2.5, 1.0, 1e-10, True),
            (2.5, 1.0, 1e-3, False),
            (1000.0, 0.1, 1e-4, True),  # step 1e-5; float32 spacing at 1000 is 6.1e-5
            (1000.0, 1.0, 1e-4, False),
            (2.5, 1.0, 2e-7, False),  # above half the spacing (1.2e-7): rounds to a new value
            (0.001, 1.0, 1e-10, False),  # small weights have fine spacing
        ]
        for w_old, eta, gradient, want in cases:
            got = float32_update_is_lost(w_old, eta, gradient)
            where = f"w_old = {w_old:g}, eta = {eta:g}, gradient = {gradient:g}"
            if not isinstance(got, bool | np.bool_):
                raise Wrong(f"For {where} return True or False, got {got!r}.")
            if bool(got) == want:
                continue
            if want:
                raise Wrong(
                    f"For {where} float32 cannot register the step, but you returned False. "
                    "Python floats are float64: do the subtraction on np.float32 values."
                )
            if (w_old, gradient) == (2.5, 2e-7):
                raise Wrong(
                    f"For {where} you returned True, but float32 rounds to the *nearest* "
                    "number: a step of more than half the spacing (here 1.2e-7) moves w to "
                    "the next float32 below. Compare np.float32(w_old) - step with w_old "
                    "instead of comparing the step with np.spacing."
                )
            raise Wrong(f"For {where} the weight does change in float32, but you returned True.")
        return "Near w = 2.5, float32 ignores any step below about 1.2e-7."

    return check_exercise("Exercise 3 (an update float32 cannot see)", test)
