"""The Demo pattern and the activation explorer, driven as a notebook would."""

import matplotlib.pyplot as plt
import numpy as np
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


# --- the depth explorer's skip-connection and normalisation controls (issue 14) ------


def test_depth_explorer_options_change_the_network_the_picture_and_what_it_says():
    from helpers.mlp import gradient_profile
    from helpers.widgets import DepthExplorer

    explorer = DepthExplorer(activation="sigmoid", depth=30)
    assert explorer.options_note.get_text() == "network: no skip connections, no normalisation"
    assert "0.25<sup>29</sup>" in explorer.readout.value  # the notes' chain: plain networks only
    steps = [
        ("skip", True, "skip connections, no normalisation"),
        ("norm", "batch", "skip connections, batch norm"),
        ("skip", False, "no skip connections, batch norm"),
        ("norm", "layer", "no skip connections, layer norm"),
    ]
    for name, value, said in steps:
        before = (bytes(explorer.image.value), explorer.readout.value)
        explorer.controls[name].value = value
        assert bytes(explorer.image.value) != before[0], said
        assert explorer.readout.value != before[1], said
        assert f"weights × 1.00, {said}: gradient at layer 1" in explorer.readout.value
        assert explorer.options_note.get_text() == f"network: {said}"
        assert "0.25<sup>" not in explorer.readout.value
        (shown,) = explorer.current_profiles()
        skip, norm = explorer.value("skip"), explorer.value("norm")
        reference = gradient_profile(
            30, "sigmoid", width=32, n_samples=32, seed=0, init="standard", skip=skip, norm=norm
        )
        np.testing.assert_array_equal(shown.backprop_norm, reference.backprop_norm)


def test_depth_explorer_skip_connections_stop_the_sigmoid_gradient_vanishing():
    from helpers.definitions import gradient_regime
    from helpers.widgets import DepthExplorer

    def regime(explorer):
        (profile,) = explorer.current_profiles()
        return gradient_regime(profile.backprop_norm[0] / profile.backprop_norm[-1])

    explorer = DepthExplorer(activation="sigmoid", depth=30)
    assert regime(explorer) == "vanishing"
    explorer.controls["skip"].value = True
    assert regime(explorer) != "vanishing"


def test_depth_explorer_with_options_shows_the_same_picture_for_the_same_state():
    from helpers.widgets import DepthExplorer

    explorer = DepthExplorer(activation="tanh", depth=12, skip=True, norm="batch")
    first = (bytes(explorer.image.value), explorer.readout.value)
    explorer.controls["norm"].value = "none"
    explorer.controls["skip"].value = False
    explorer.controls["depth"].value = 35
    explorer.controls["skip"].value = True
    explorer.controls["norm"].value = "batch"
    explorer.controls["depth"].value = 12
    assert (bytes(explorer.image.value), explorer.readout.value) == first
    fresh = DepthExplorer(activation="tanh", depth=12, skip=True, norm="batch")
    assert bytes(fresh.image.value) == first[0]


def test_depth_explorer_refuses_an_unknown_norm():
    from helpers.widgets import DepthExplorer

    with pytest.raises(ValueError, match="norm must be one of 'none', 'batch', 'layer'"):
        DepthExplorer(norm="group")
