"""Where a derivative is *significant* and where the unit is *saturated* (NumPy only).

The notes call sigmoid' "only significant between -4 and 4" and give tanh'
"some reasonable value" between -3 and 3. With the course's definition
(:mod:`helpers.definitions`: at least ``SATURATION_FRACTION`` of the peak f'(0))
that is |z| <= 3.64 and |z| <= 1.82. (At ±4 sigmoid' is 7 % of its peak; at ±3 tanh' 1 %.)
"""

from __future__ import annotations

import math

import numpy as np

from helpers.activations import get_activation
from helpers.definitions import SATURATION_FRACTION


def significant_half_width(
    activation, fraction: float = SATURATION_FRACTION, z_max: float = 100.0
) -> float:
    """The z > 0 at which f'(z) falls to ``fraction`` of its peak f'(0), to about 1e-12.

    For a bell-shaped f' (sigmoid's, tanh's), f'(z) >= fraction * f'(0) exactly
    when |z| <= this: with the default fraction, where f' is significant.
    ``ValueError`` for a fraction outside (0, 1) or an f' that does not peak at
    0 and fall below that level by ``z_max`` (ReLU's, for instance).
    """
    act = get_activation(activation)
    if not isinstance(fraction, (int, float, np.floating)) or not 0 < fraction < 1:
        raise ValueError(f"fraction must be a number strictly between 0 and 1, got {fraction!r}")
    probe = np.linspace(-z_max, z_max, 4001)
    slopes = act.df(probe)
    peak = float(act.df(0.0))
    if not math.isclose(peak, float(slopes.max()), rel_tol=1e-12) or peak <= 0:
        raise ValueError(f"{act.name}'s derivative does not peak at z = 0")
    level = fraction * peak
    if float(act.df(z_max)) >= level:
        raise ValueError(f"{act.name}'(z) stays above {fraction:g} of its peak up to z = {z_max:g}")
    low, high = 0.0, float(z_max)  # df(low) >= level > df(high)
    while high - low > 1e-12:
        middle = 0.5 * (low + high)
        if act.df(middle) >= level:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)
