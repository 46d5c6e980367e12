"""Solutions to the exercises of notebooks/02_sigmoid.ipynb."""

import numpy as np


# Exercise 1: σ' derived on paper, written with the forward pass's output a = σ(z).
# σ(z) = (1 + e^-z)^-1, so σ'(z) = e^-z / (1 + e^-z)^2
#      = 1/(1 + e^-z) · e^-z/(1 + e^-z) = σ(z) · (1 - σ(z)).
def sigmoid_derivative_from_output(a):
    return a * (1 - a)


# Exercise 2 (optional deep dive): a sigmoid with no overflow for any z.
def stable_sigmoid(z):
    z = np.asarray(z, dtype=float)
    q = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1 / (1 + q), q / (1 + q))
