"""Checks for notebook 07: residual connections and batch normalisation."""

import numpy as np

from helpers.activations import get_activation
from helpers.checks.common import as_array, exercise, expect_close, name_slip

__all__ = ["check_batch_normalise", "check_residual_backward"]

EPS = 1e-5  # batch norm's epsilon, as in helpers.mlp.NORM_EPS and the notebook


@exercise("Exercise 1 (back-propagate through a residual layer)")
def check_residual_backward(residual_backward):
    """Exercise 1: ``residual_backward(grad_a, z, W, activation)``, dL/da of the layer below."""
    rng = np.random.default_rng(7)
    for activation in ("sigmoid", "tanh", "relu"):
        f, df = get_activation(activation).f, get_activation(activation).df
        g, z, W = rng.normal(size=(5, 6)), rng.normal(size=(5, 6)), rng.normal(size=(6, 6))
        want, name = g + (g * df(z)) @ W.T, "dL/da of the layer below"
        got = residual_backward(g.copy(), z.copy(), W.copy(), activation)
        got = as_array(got, f"{name} at {activation}")
        you = f"For {activation} you"
        name_slip(got, [
            ((g * df(z)) @ W.T, f"{you} left out the skip: add grad_a itself (the identity's 1)."),
            (g + g @ W.T, f"{you} left out f'(z): the layer's term goes through f first."),
            (g + (g * df(z)) @ W, f"{you} multiplied by W instead of W.T (W maps below to above)."),
            (g + (g * df(f(z))) @ W.T, f"{you} used f'(a): the derivative is taken at z."),
        ], want, rtol=1e-5, atol=1e-8)  # fmt: skip
        expect_close(name, got, want, where=activation)
    return "The skip adds grad_a unchanged: that is the identity in every factor."


def _batch_normalise(z, gamma, beta, axis=0):
    mean, var = z.mean(axis=axis, keepdims=True), z.var(axis=axis, keepdims=True)
    return gamma * (z - mean) / np.sqrt(var + EPS) + beta


@exercise("Exercise 2 (batch-normalise a layer's weighted sums)")
def check_batch_normalise(batch_normalise):
    """Exercise 2: ``batch_normalise(z, gamma, beta)``, per unit over the batch."""
    rng = np.random.default_rng(7)
    z = rng.normal(2.0, 3.0, size=(8, 5))
    gamma, beta = rng.uniform(0.5, 2.0, size=5), rng.normal(size=5)
    got = as_array(batch_normalise(z.copy(), gamma.copy(), beta.copy()), "u")
    mean, var = z.mean(axis=0), z.var(axis=0)
    name_slip(got, [
        (_batch_normalise(z, gamma, beta, axis=1), "You normalised each sample over the units "
         "(that is layer normalisation); batch norm takes each unit over the samples, axis=0."),
        (gamma * (z - mean) / (var + EPS) + beta, "You divided by the variance; divide by its "
         "square root, the standard deviation."),
        (_batch_normalise(z, 1.0, 0.0), "You left out gamma and beta: u = gamma * z_hat + beta."),
        (gamma * z / np.sqrt(var + EPS) + beta, "You did not subtract each unit's mean."),
    ], rtol=1e-5, atol=1e-8)  # fmt: skip
    expect_close("u", got, _batch_normalise(z, gamma, beta))
    return "Each column of z_hat now has mean 0 and variance 1, whatever the weights' scale."
