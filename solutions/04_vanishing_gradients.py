"""Solutions to the exercises of notebooks/04_vanishing_gradients.ipynb."""

import math

import numpy as np


# Exercise 1: the notes' formula. Along a path the local derivatives multiply;
# the two paths add; the sum is multiplied by dL/do31.
def gradient_from_paths(dL_do31, path_1, path_2):
    return dL_do31 * (math.prod(path_1) + math.prod(path_2))


# Exercise 2: the first depth (hidden layers) whose best-case product of
# depth + 1 factors is below the threshold.
def first_depth_below(threshold, max_factor=0.25):
    depth = 0
    while max_factor ** (depth + 1) >= threshold:
        depth += 1
    return depth


# Exercise 3: do the update in float32 and see whether anything changed.
def float32_update_is_lost(w_old, eta, gradient):
    w = np.float32(w_old)
    step = np.float32(eta) * np.float32(gradient)
    return bool(step != 0 and w - step == w)
