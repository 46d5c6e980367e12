"""Checks for notebook 01, the activation unit."""

from __future__ import annotations

import numpy as np

from helpers.checks.common import Wrong, check_exercise, expect_close

__all__ = ["check_collapse_linear_stack", "check_weighted_sum"]

# The notebook's four-input example.
EXAMPLE_W = np.array([0.8, -0.4, 0.6, 0.5])
EXAMPLE_X = np.array([1.0, 0.5, 0.9, 0.6])


def check_weighted_sum(weighted_sum) -> None:
    """Exercise 1: ``weighted_sum(w, x)`` returns z = Σ_i w_i x_i, one number."""

    def test():
        rng = np.random.default_rng(1)
        cases = [
            ("the notebook's example", EXAMPLE_W, EXAMPLE_X),
            ("w = x = 0", np.zeros(4), np.zeros(4)),
            ("four random inputs", rng.normal(size=4), rng.normal(size=4)),
            ("seven random inputs", rng.normal(size=7), rng.normal(size=7)),
        ]
        for where, w, x in cases:
            z = weighted_sum(w.copy(), x.copy())
            if np.ndim(z) != 0:
                raise Wrong(
                    f"For {where} your function returned an array of shape {np.shape(z)}, "
                    "but z is a single number: did you forget to add the products up?"
                )
            if len(w) == 7 and np.isclose(float(z), float(w[:4] @ x[:4])):
                raise Wrong(
                    "It works for four inputs but not for seven: loop over range(len(w)), "
                    "not range(4)."
                )
            expect_close("z", z, float(w @ x), where=where, rtol=1e-9)
        return "z = w·x, the same as np.dot(w, x) and w @ x."

    check_exercise("Exercise 1 (weighted sum)", test)


def check_collapse_linear_stack(collapse_linear_stack) -> None:
    """Exercise 2: ``collapse_linear_stack([W1, W2, W3])`` returns the one matrix W3 @ W2 @ W1."""

    def test():
        rng = np.random.default_rng(2)
        matrices = [rng.normal(size=shape) for shape in ((5, 4), (3, 5), (2, 3))]
        try:
            w = collapse_linear_stack([m.copy() for m in matrices])
        except ValueError as error:
            if "matmul" in str(error) or "shapes" in str(error) or "align" in str(error):
                raise Wrong(
                    "The matrices do not fit together in that order "
                    f"(NumPy said: {error}). The input meets W1 first, so the stack "
                    "computes W3 @ (W2 @ (W1 @ x)): multiply the last layer's matrix on the left."
                ) from None
            raise
        want = matrices[2] @ matrices[1] @ matrices[0]
        if np.shape(w) != want.shape:
            raise Wrong(
                f"The single matrix should map 4 inputs to 2 outputs, shape {want.shape}; "
                f"yours has shape {np.shape(w)}."
            )
        expect_close("Your matrix", w, want, rtol=1e-9)
        x = rng.normal(size=4)
        layered = matrices[2] @ (matrices[1] @ (matrices[0] @ x))
        expect_close("W @ x", np.asarray(w) @ x, layered, where="a random x", rtol=1e-9)
        return "Three linear layers are one linear layer in disguise."

    check_exercise("Exercise 2 (collapse a linear stack)", test)
