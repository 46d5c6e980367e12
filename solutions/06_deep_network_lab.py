"""Solutions to the exercises of notebooks/06_deep_network_lab.ipynb."""

import numpy as np

from helpers.activations import get_activation


# Exercise 1: through the activation first (element by element, at z), then
# back through the weights: z_above = a_below @ W, so dL/da_below = dL/dz_above @ W.T.
def backprop_through_layer(grad_a, z, W, activation):
    act = get_activation(activation)
    return (grad_a * act.df(z)) @ W.T


# Exercise 2: He et al. (2015): normal, mean 0, variance 2 / n_in.
def he_init(n_in, n_out, rng):
    return rng.normal(0.0, np.sqrt(2 / n_in), size=(n_in, n_out))
