"""Solutions to the exercises of notebooks/07_beyond_relu.ipynb."""

import numpy as np

from helpers.activations import get_activation


# Exercise 1: a = a_below + f(a_below @ W + b), so dL/da_below has two terms: the skip
# passes grad_a unchanged (the identity's 1), and the layer adds notebook 06's term,
# through f'(z) element by element, then back through the weights (W.T).
def residual_backward(grad_a, z, W, activation):
    act = get_activation(activation)
    return grad_a + (grad_a * act.df(z)) @ W.T


# Exercise 2: each unit (column) is centred and scaled over the batch (rows, axis 0),
# with the variance that divides by the number of samples, then scaled by gamma and
# shifted by beta (one number per unit, broadcast over the rows).
def batch_normalise(z, gamma, beta):
    mean = z.mean(axis=0)
    variance = z.var(axis=0)
    return gamma * (z - mean) / np.sqrt(variance + 1e-5) + beta
