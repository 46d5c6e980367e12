"""Checks for notebook 07: residual connections and batch normalisation."""

from __future__ import annotations

import numpy as np

from helpers.activations import get_activation
from helpers.checks.common import Wrong, check_exercise, expect_close

__all__ = ["check_batch_normalise", "check_residual_backward"]

EPS = 1e-5  # batch norm's epsilon, as in helpers.mlp.NORM_EPS and the notebook


def _near(got, want) -> bool:
    try:
        return np.shape(got) == np.shape(want) and np.allclose(got, want)
    except (TypeError, ValueError):
        return False


def check_residual_backward(residual_backward) -> None:
    """Exercise 1: ``residual_backward(grad_a, z, W, activation)``, dL/da of the layer below."""

    def test():
        rng = np.random.default_rng(7)
        for activation in ("sigmoid", "tanh", "relu"):
            df = get_activation(activation).df
            g, z, W = rng.normal(size=(5, 6)), rng.normal(size=(5, 6)), rng.normal(size=(6, 6))
            want = g + (g * df(z)) @ W.T
            got = residual_backward(g.copy(), z.copy(), W.copy(), activation)
            slips = [
                ((g * df(z)) @ W.T, "left out the skip: add grad_a itself (the identity's 1)"),
                (g + g @ W.T, "left out f'(z): the layer's term goes through f first"),
                (g + (g * df(z)) @ W, "multiplied by W instead of W.T (W maps below to above)"),
            ]
            if activation != "relu":
                at_a = g + (g * df(get_activation(activation).f(z))) @ W.T
                slips.append((at_a, "used f'(a): the derivative is taken at z"))
            for slip, sentence in slips:
                if _near(got, slip):
                    raise Wrong(f"For {activation} you {sentence}.")
            expect_close("dL/da of the layer below", got, want, where=activation)
        return "The skip adds grad_a unchanged: that is the identity in every factor."

    check_exercise("Exercise 1 (back-propagate through a residual layer)", test)


def _batch_normalise(z, gamma, beta, axis=0):
    mean, var = z.mean(axis=axis, keepdims=True), z.var(axis=axis, keepdims=True)
    return gamma * (z - mean) / np.sqrt(var + EPS) + beta


def check_batch_normalise(batch_normalise) -> None:
    """Exercise 2: ``batch_normalise(z, gamma, beta)``, per unit over the batch."""

    def test():
        rng = np.random.default_rng(7)
        z = rng.normal(2.0, 3.0, size=(8, 5))
        gamma, beta = rng.uniform(0.5, 2.0, size=5), rng.normal(size=5)
        got = batch_normalise(z.copy(), gamma.copy(), beta.copy())
        mean, var = z.mean(axis=0), z.var(axis=0)
        slips = [
            (_batch_normalise(z, gamma, beta, axis=1), "normalised each sample over the units "
             "(that is layer normalisation); batch norm takes each unit over the samples, axis=0"),
            (gamma * (z - mean) / (var + EPS) + beta, "divided by the variance; divide by its "
             "square root, the standard deviation"),
            (_batch_normalise(z, 1.0, 0.0), "left out gamma and beta: u = gamma * z_hat + beta"),
            (gamma * z / np.sqrt(var + EPS) + beta, "did not subtract each unit's mean"),
        ]  # fmt: skip
        for slip, sentence in slips:
            if _near(got, slip):
                raise Wrong(f"You {sentence}.")
        expect_close("u", got, _batch_normalise(z, gamma, beta))
        return "Each column of z_hat now has mean 0 and variance 1, whatever the weights' scale."

    check_exercise("Exercise 2 (batch-normalise a layer's weighted sums)", test)
