"""Checks for notebook 01, the activation unit."""

import numpy as np

from helpers.checks.common import Wrong, exercise, expect_close

__all__ = ["check_collapse_linear_stack", "check_weighted_sum"]


@exercise("Exercise 1 (weighted sum)")
def check_weighted_sum(weighted_sum):
    """Exercise 1: ``weighted_sum(w, x)`` returns z = Σ_i w_i x_i, one number."""
    rng = np.random.default_rng(1)
    cases = {
        "the notebook's example": ([0.8, -0.4, 0.6, 0.5], [1.0, 0.5, 0.9, 0.6]),
        "w = x = 0": (np.zeros(4), np.zeros(4)),
        "four random inputs": (rng.normal(size=4), rng.normal(size=4)),
        "seven random inputs": (rng.normal(size=7), rng.normal(size=7)),
    }
    for where, (w, x) in cases.items():
        w, x = np.array(w), np.array(x)
        z = weighted_sum(w.copy(), x.copy())
        if np.ndim(z) != 0:
            raise Wrong(
                f"For {where} your function returned an array of shape {np.shape(z)}, "
                "but z is a single number: did you forget to add the products up?"
            )
        if len(w) == 7 and np.isclose(float(z), float(w[:4] @ x[:4])):
            raise Wrong("It works for four inputs but not for seven: loop over range(len(w)).")
        expect_close("z", z, float(w @ x), where=where)
    return "z = w·x, the same as np.dot(w, x) and w @ x."


@exercise("Exercise 2 (collapse a linear stack)")
def check_collapse_linear_stack(collapse_linear_stack):
    """Exercise 2: ``collapse_linear_stack([W1, W2, W3])`` returns the one matrix W3 @ W2 @ W1."""
    rng = np.random.default_rng(2)
    w1, w2, w3 = (rng.normal(size=shape) for shape in ((5, 4), (3, 5), (2, 3)))
    try:
        w = collapse_linear_stack([w1.copy(), w2.copy(), w3.copy()])
    except ValueError as error:
        raise Wrong(
            f"The matrices do not fit together in that order (NumPy said: {error}). The "
            "input meets W1 first, so the stack computes W3 @ (W2 @ (W1 @ x)): multiply "
            "the last layer's matrix on the left."
        ) from None
    x = rng.normal(size=4)
    if np.shape(w) != (2, 4):
        raise Wrong(
            f"The matrix should map 4 inputs to 2 outputs, shape (2, 4), not {np.shape(w)}."
        )
    expect_close("W @ x", np.asarray(w) @ x, w3 @ (w2 @ (w1 @ x)), where="a random x")
    expect_close("Your matrix", w, w3 @ w2 @ w1)
    return "Three linear layers are one linear layer in disguise."
