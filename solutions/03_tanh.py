"""Solutions to the exercises of notebooks/03_tanh.ipynb."""

import numpy as np

from helpers.activations import sigmoid, tanh_derivative


# Exercise 1: the derivative from the forward pass's output a = tanh(z).
def tanh_derivative_from_output(a):
    return 1 - a**2


# Exercise 2: the first z > 0 where tanh' is below `fraction` of its peak tanh'(0) = 1.
def first_z_below(fraction):
    z = np.linspace(0, 10, 100_001)  # steps of 0.0001
    below = tanh_derivative(z) < fraction * tanh_derivative(0.0)
    return z[np.argmax(below)]  # argmax finds the first True


# Exercise 3: tanh through the sigmoid.
def tanh_from_sigmoid(z):
    return 2 * sigmoid(2 * z) - 1
