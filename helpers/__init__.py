"""Helpers for the activation-functions notebooks.

One job per module:

* ``helpers.activations``: the maths (NumPy only): activations and derivatives;
* ``helpers.plotting``: figures (matplotlib only) in one consistent style;
* ``helpers.widgets``: interactive demos (ipywidgets) built on the plotting;
* ``helpers.checks``: exercise checks that turn a wrong answer into a sentence.

Importing the package has no side effects: no style is set, nothing is drawn.
"""

from helpers.activations import ACTIVATIONS, Activation, get_activation

__all__ = ["ACTIVATIONS", "Activation", "get_activation"]
