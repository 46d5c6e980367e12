"""The deep-network lab widget (notebook 06), driven as a notebook would."""

import pytest

from helpers import ACTIVATIONS
from helpers.mlp import INITS
from helpers.widgets.lab import ETAS, TrainingLab

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def small_lab(**kwargs):
    settings = {"depth": 3, "width": 8, "steps": 50, "n_samples": 60, **kwargs}
    return TrainingLab(**settings)


def test_lab_trains_draws_and_reads_out():
    lab = small_lab(activation="sigmoid")
    assert bytes(lab.image.value).startswith(PNG_SIGNATURE)
    assert "<b>3-layer sigmoid</b>" in lab.readout.value
    assert "loss 0." in lab.readout.value and "saturated" in lab.readout.value
    before = bytes(lab.image.value)
    lab.controls["activation"].value = "relu"
    assert lab.image.value != before
    assert "<b>3-layer relu</b>" in lab.readout.value and "dead" in lab.readout.value


def test_every_control_changes_the_run():
    lab = small_lab()
    changes = {
        "dataset": "circles",
        "depth": 4,
        "width": 12,
        "activation": "tanh",
        "init": "he",
        "eta": 1.0,
        "steps": 100,
    }
    for name, value in changes.items():
        before = bytes(lab.image.value)
        lab.controls[name].value = value
        assert lab.image.value != before, name
    run = lab.run()
    assert (run.depth, run.layer_sizes[1], run.activation, run.eta, run.steps) == (
        4,
        12,
        "tanh",
        1.0,
        100,
    )


def test_returning_to_a_setting_uses_the_cache():
    lab = small_lab(activation="sigmoid")
    first = bytes(lab.image.value)
    lab.controls["activation"].value = "relu"
    assert len(lab._runs) == 2
    lab.controls["activation"].value = "sigmoid"
    assert len(lab._runs) == 2  # not trained again
    assert bytes(lab.image.value) == first


def test_divergence_is_reported_not_raised():
    lab = small_lab(activation="relu", init="he", eta=3.0, depth=8, width=32)
    run = lab.run()
    if run.diverged_at is not None:
        assert "diverged" in lab.readout.value
    assert lab.error.value == ""


def test_controls_offer_every_activation_and_init():
    lab = small_lab()
    assert list(lab.controls["activation"].options) == list(ACTIVATIONS)
    assert list(lab.controls["init"].options) == list(INITS)
    assert tuple(lab.controls["eta"].options) == ETAS


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "softsign"}, "unknown activation"),
        ({"dataset": "iris"}, "unknown dataset"),
        ({"init": "glorot"}, "unknown init"),
        ({"eta": 0.5}, "eta must be one of"),
    ],
)
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        small_lab(**kwargs)
