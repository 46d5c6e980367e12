"""Solutions to the exercises of notebooks/05_relu.ipynb."""

import numpy as np


# Exercise 1: the gradient along one path of ReLU units: the product of f'(z_k)·w_k.
def path_gradient(z, w):
    slope = (np.asarray(z) > 0).astype(float)  # z > 0, not z >= 0: 0 at the kink, as frameworks do
    return np.prod(slope * np.asarray(w))


# Exercise 2: the sweep shows the RMS of z level at c ≈ 2; He et al. (2015) derive exactly 2/n.
def level_variance(n):
    return 2 / n


# Exercise 3: the share of units that output 0 for every sample (rows = samples, columns = units).
def dead_fraction(a):
    dead = np.all(a == 0, axis=0)  # one True/False per unit (column)
    return dead.mean()
