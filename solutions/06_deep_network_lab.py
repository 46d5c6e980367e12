"""Solutions to the exercises of notebooks/06_deep_network_lab.ipynb."""

import numpy as np

from helpers.activations import get_activation


# Exercise 1: through the activation first (element by element, at z), then
# back through the weights: z_above = a_below @ W, so dL/da_below = dL/dz_above @ W.T.
def backprop_through_layer(grad_a, z, W, activation):
    act = get_activation(activation)
    return (grad_a * act.df(z)) @ W.T


# Exercise 2: layer 1's z is a weighted sum of inputs of mean square 1, so its
# variance is n * (v / n) * 1 = v. Every later layer takes ReLU outputs, whose mean
# square is half the variance of the z below: variance x v / 2 per layer. The RMS
# is the square root: sqrt(v * (v / 2) ** (layer - 1)); v = 2 (He) keeps sqrt 2.
def predicted_rms(v, layer):
    return np.sqrt(v * (v / 2) ** (layer - 1))
