"""Interactive demos (ipywidgets) built on helpers.plotting, each a
:class:`~helpers.widgets.base.Demo`: controls above one figure redrawn in place, and a
readout of the values it shows. One line in a notebook shows one: ``ActivationExplorer()``.
"""

from helpers.widgets.activations import ActivationExplorer
from helpers.widgets.base import Demo
from helpers.widgets.chain import ChainRuleCalculator
from helpers.widgets.dead_relu import DeadReluExplorer
from helpers.widgets.depth import DepthExplorer
from helpers.widgets.lab import TrainingLab
from helpers.widgets.quiz import Question
from helpers.widgets.squashing import SigmoidTanhComparison
from helpers.widgets.unit import ActivationUnitDemo

__all__ = [
    "ActivationExplorer",
    "ActivationUnitDemo",
    "ChainRuleCalculator",
    "DeadReluExplorer",
    "Demo",
    "DepthExplorer",
    "Question",
    "SigmoidTanhComparison",
    "TrainingLab",
]
