"""Solutions to the exercises of notebooks/05_relu.ipynb."""

import numpy as np


# Exercise 1: ReLU's derivative, with 0 at z = 0 as PyTorch, TensorFlow and JAX do.
def relu_derivative(z):
    z = np.asarray(z, dtype=float)
    return (z > 0).astype(float)  # z > 0, not z >= 0: the convention at the kink


# Exercise 2: the fraction of units that output 0 for every sample (rows = samples).
def dead_fraction(a):
    dead = np.all(a == 0, axis=0)  # one True/False per unit (column)
    return dead.mean()
