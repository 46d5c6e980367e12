"""Interactive demos (ipywidgets) built on helpers.plotting.

Each demo is a :class:`~helpers.widgets.base.Demo`: labelled controls above one
persistent figure that is redrawn in place, and a text readout of the values
the figure shows. Show one with a single line in a notebook::

    ActivationExplorer()
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
