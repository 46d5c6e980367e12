"""Solutions to the exercises of notebooks/01_the_activation_unit.ipynb."""

import numpy as np


# Exercise 1: the weighted sum with a loop.
def weighted_sum(w, x):
    z = 0.0
    for i in range(len(w)):
        z += w[i] * x[i]
    return z


# Exercise 2: a stack of linear layers is one matrix.
def collapse_linear_stack(matrices):
    # The input meets matrices[0] first, so it ends up rightmost in the product.
    w = np.eye(matrices[0].shape[1])
    for matrix in matrices:
        w = matrix @ w
    return w
