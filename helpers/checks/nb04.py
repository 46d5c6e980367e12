"""Checks for notebook 04, the vanishing-gradient problem: numbers typed into the notebook."""

import math

import numpy as np

from helpers.chain import example_network, two_path_gradient
from helpers.checks.common import Wrong, exercise, name_slip
from helpers.mlp import gradient_profile

__all__ = ["check_predicted_ratio", "check_relu_gradient", "check_smallest_visible_gradient"]

# Exercise 1: what each typical slip gives for dL/dw'11, and why it is a slip.
_RELU_SLIPS = {
    -9.0: "you let path 2 through. z22 = w''12 · o11 = −2 × 2 = −4 is negative, so the ReLU's "
    "slope f'(z22) is 0 and the whole of path 2 is 0.",
    1.5: "that is path 1 alone, without ∂L/∂o31. Both paths end at o31, and their sum is "
    "multiplied by ∂L/∂o31 = o31 − y.",
    2.0: "you multiplied the slopes but not the weights. Each local derivative is f'(z)·w: on "
    "path 1 that is 1·1 × 1·1.5 × 1·x1.",
    6.0: "∂L/∂o31 came out as 4? With L = ½(o31 − y)² the ½ cancels the 2: ∂L/∂o31 = o31 − y = 2.",
    4.5: "∂L/∂o31 is o31 − y = 3 − 1 = 2, not o31 itself.",
    -3.0: "check the sign: o31 = 3 is above the target y = 1, so ∂L/∂o31 = +2.",
    -4.5: "that is path 1 + path 2 with path 2 let through (1.5 − 6), and without ∂L/∂o31. "
    "z22 = −4 < 0, so path 2 is 0; the sum is then multiplied by ∂L/∂o31 = o31 − y = 2.",
}


@exercise("Exercise 1 (dL/dw'11 for ReLU units, by hand)", typed=True)
def check_relu_gradient(got):
    """Exercise 1: dL/dw'11 of the notes' network with ReLU units, worked out on paper."""
    if math.isclose(got, two_path_gradient(*example_network(), "relu").value, rel_tol=1e-6):
        return (
            "Path 1 gives 1·1 × 1·1.5 × 1·1 = 1.5 and ∂L/∂o31 = o31 − y = 3 − 1 = 2. "
            "Path 2 gives exactly 0: z22 = −2 × 2 = −4 < 0, so o22 passes no gradient."
        )
    name_slip(got, [(v, f"{got:g} is not it: {why}") for v, why in _RELU_SLIPS.items()])
    raise Wrong(
        f"{got:g} is not it. Start from z11 = 2.5 × 1 + (−1) × 0.5 = 2; then o11, z21, z22, "
        "o21, o22, z31 and o31 in turn, noting which z are negative."
    )


def _lost(w_old: float, gradient: float) -> bool:  # w_old - gradient rounds back in float32
    return bool(np.float32(w_old) - np.float32(gradient) == np.float32(w_old))


@exercise("Exercise 2 (the smallest step float32 sees)", typed=True)
def check_smallest_visible_gradient(got, w_old: float = 100.0):
    """Exercise 2: the smallest gradient that still changes w_old = 100 in float32 (eta = 1)."""
    spacing, at_2_5 = (float(np.spacing(np.float32(w))) for w in (w_old, 2.5))
    eps_w = w_old * float(np.finfo(np.float32).eps)
    if got <= 0:
        raise Wrong("A gradient that moves the weight down is positive here; try again.")
    if _lost(w_old, got * 0.9) and not _lost(w_old, got * 1.1):
        return (
            f"float32 numbers near {w_old:g} are {spacing:.3g} apart; rounding to the nearest "
            f"keeps any step up to half of that, {spacing / 2:.3g} (a tie rounds back), so "
            "any gradient just above changes the weight. Near 2.5 it was 1.2e-7: the larger "
            "the weight, the coarser float32 gets."
        )
    elsewhere = (
        f"{got:.3g} belongs to w = 2.5 (float32's spacing there is {at_2_5:.3g}). Near "
        f"{w_old:g} float32 numbers are further apart: use the spacing at {w_old:g}."
    )
    epsilon = (
        f"{got:.3g} comes from {w_old:g} × float32's machine epsilon, which only estimates "
        f"the spacing: np.spacing(np.float32({w_old:g})) = {spacing:.3g}, a power of two."
    )
    name_slip(got, [
        (spacing, f"{got:.3g} is the whole spacing of float32 numbers near {w_old:g}. float32 "
         "rounds to the *nearest* number: a step of more than half the spacing counts."),
        (at_2_5, elsewhere), (at_2_5 / 2, elsewhere), (eps_w, epsilon), (eps_w / 2, epsilon),
    ], rtol=0.05, atol=0)  # fmt: skip
    if got < 1e-10:
        raise Wrong(f"{got:.3g} is far too small for float32 (is it float64's spacing?).")
    if _lost(w_old, got * 1.1):
        raise Wrong(f"A gradient of {got:.3g} (or 10 % more) is still lost in float32.")
    raise Wrong(f"{got:.3g} changes the weight, but so does 10 % less: look for the smallest.")


@exercise("Exercise 3 (predict, then check against the run)", typed=True)
def check_predicted_ratio(got):
    """Exercise 3: first/last for 20 sigmoid hidden layers, predicted, then measured."""
    # The notebook's run: 20 sigmoid layers of 32 units, standard initialisation.
    norm = gradient_profile(20, "sigmoid", init="standard", n_samples=32).backprop_norm
    measured, steps = float(norm[0] / norm[-1]), 19
    if got <= 0:
        raise Wrong("A ratio of two gradient sizes is positive.")
    if measured / 3 <= got <= measured * 3:
        return (
            f"The run measures {measured:.2g} (your prediction {got:.2g}): {steps} steps "
            f"of about {measured ** (1 / steps):.3f} each, the weights' size 0.58 times "
            "sigmoid's slope 0.25 near z = 0."
        )
    if any(math.isclose(got, 0.25**n, rel_tol=0.3) for n in range(steps - 2, steps + 3)):
        raise Wrong(
            f"{got:.2g} is 0.25 per layer, sigmoid's peak slope, as if the weights had "
            "combined size 1. The weights multiply in too: here their combined size is "
            "about 0.58 (section 6), so each step multiplies by about 0.58 × 0.25."
        )
    counted = round(math.log(got) / math.log(0.141))  # factors of about 0.141, as measured
    hints = {
        20: "20 steps; from layer 20 back to layer 1 there are 19",
        21: "21 factors, the notes' count from the loss back to a weight; from layer 20 "
        "back to layer 1 there are 19 steps",
        18: "18 steps; from layer 20 back to layer 1 there are 19",
    }
    if counted in hints:
        raise Wrong(f"The factor per layer looks right, but you counted {hints[counted]}.")
    raise Wrong(
        f"The run measures {measured:.2g}; your {got:.2g} is much "
        f"{'larger' if got > measured else 'smaller'}. Predict the factor per layer (weight "
        "size × slope size), then raise it to the number of steps between layer 20 and 1."
    )
