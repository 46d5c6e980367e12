"""Solutions to the exercises of notebooks/03_tanh.ipynb."""

import numpy as np

from helpers.activations import sigmoid, tanh_derivative


# Exercise 1: tanh' derived on paper with the quotient rule, written with a = tanh(z).
# u = e^z - e^-z, v = e^z + e^-z, u' = v, v' = u:
# tanh' = (u'v - uv') / v² = (v² - u²) / v² = 1 - (u/v)² = 1 - a².
def tanh_derivative_from_output(a):
    return 1 - a**2


# Exercise 2: the first z > 0 where tanh' is below `fraction` of its peak tanh'(0) = 1.
def first_z_below(fraction):
    z = np.linspace(0, 10, 100_001)  # steps of 0.0001
    below = tanh_derivative(z) < fraction * tanh_derivative(0.0)
    return z[np.argmax(below)]  # argmax finds the first True


# Exercise 3: tanh(z) = A·σ(B·z) + C. The limits -1 and 1 give C = -1 and A = 2 (σ goes
# from 0 to 1); the slope at 0, A·B·σ'(0) = A·B/4 = tanh'(0) = 1, gives B = 2.
def tanh_from_sigmoid(z):
    return 2 * sigmoid(2 * z) - 1
