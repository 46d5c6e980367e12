"""The Demo pattern and the activation explorer, driven as a notebook would."""

import matplotlib.pyplot as plt
import pytest

from helpers import ACTIVATIONS
from helpers.widgets import ActivationExplorer
from helpers.widgets.base import Demo

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_explorer_redraws_and_reads_out_on_every_control():
    explorer = ActivationExplorer(activation="sigmoid", z=0.0)
    assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)
    assert "f(z) = 0.5000" in explorer.readout.value
    assert "f'(z) = 0.2500" in explorer.readout.value
    before = bytes(explorer.image.value)
    explorer.controls["z"].value = 2.0
    assert explorer.image.value != before
    assert "z = 2.00" in explorer.readout.value
    for name in [n for n in ACTIVATIONS if n != "sigmoid"] + ["sigmoid"]:
        before = bytes(explorer.image.value)
        explorer.controls["activation"].value = name
        assert explorer.image.value != before
        assert f"<b>{name}</b>" in explorer.readout.value


def test_explorer_offers_every_registered_activation():
    assert list(ActivationExplorer().controls["activation"].options) == list(ACTIVATIONS)


def test_explorer_shows_the_same_picture_for_the_same_state():
    # The cached background must not leak one activation's view into another's.
    explorer = ActivationExplorer(activation="tanh", z=1.0)
    first = bytes(explorer.image.value)
    explorer.controls["activation"].value = "relu"
    explorer.controls["z"].value = -2.0
    explorer.controls["activation"].value = "tanh"
    explorer.controls["z"].value = 1.0
    assert bytes(explorer.image.value) == first


def test_demo_figures_are_not_registered_with_pyplot():
    open_before = plt.get_fignums()
    ActivationExplorer()
    assert plt.get_fignums() == open_before


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="unknown activation"):
        ActivationExplorer(activation="softsign")


class Broken(ActivationExplorer):
    def update(self):
        if self.value("z") > 3:
            raise ZeroDivisionError("boom")
        return super().update()


def test_callback_errors_are_shown_in_the_demo_and_raised():
    demo = Broken(z=0.0)
    with pytest.raises(ZeroDivisionError):
        demo.controls["z"].value = 4.0
    assert "ZeroDivisionError: boom" in demo.error.value
    demo.controls["z"].value = 1.0
    assert demo.error.value == ""


def test_demo_requires_update():
    from helpers.plotting import new_figure

    figure, _ = new_figure()
    with pytest.raises(NotImplementedError):
        Demo({}, figure, caption="nothing")
