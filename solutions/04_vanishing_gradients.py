"""Solutions to the exercises of notebooks/04_vanishing_gradients.ipynb."""

import math

import numpy as np

# Exercise 1 (on paper): the notes' network with ReLU units, f'(z) = 1 for z > 0, 0 for z < 0.
#   z11 = 2.5·1 + (−1)·0.5 = 2      o11 = 2      f'(z11) = 1
#   z21 = 1.5·2 = 3                 o21 = 3      f'(z21) = 1
#   z22 = −2·2 = −4                 o22 = 0      f'(z22) = 0   (this unit passes nothing back)
#   z31 = 1·3 + 3·0 = 3             o31 = 3      f'(z31) = 1
#   ∂L/∂o31 = o31 − y = 2
#   path 1: f'(z31)·w'''11 × f'(z21)·w''11 × f'(z11)·x1 = 1 × 1.5 × 1 = 1.5
#   path 2: f'(z31)·w'''21 × f'(z22)·w''12 × f'(z11)·x1 = 3 × 0 × 1 = 0
#   ∂L/∂w'11 = 2 × (1.5 + 0) = 3
relu_gradient = 3.0

# Exercise 2: float32 numbers near 100 are np.spacing(np.float32(100)) = 7.63e-6 apart;
# w - step rounds to the nearest float32, so any step up to half the spacing is lost (exactly
# half is a tie, which rounds to the even neighbour, 100 itself): the answer is just above
# half the spacing, 3.81e-6.
smallest_gradient = float(np.spacing(np.float32(100.0))) / 2  # 3.81e-6, the boundary

# Exercise 3: the factor per layer is (weight size) × (slope size) = sqrt(1/3) × 0.25 ≈ 0.144;
# from layer 20 back to layer 1 there are 19 steps. The run measures about 9e-17.
predicted_ratio = (math.sqrt(1 / 3) * 0.25) ** 19  # 1.07e-16
