"""The deep-network lab widget (notebook 06), driven as a notebook would."""

import asyncio
import random
import warnings

import numpy as np
import pytest

from helpers import ACTIVATIONS
from helpers.datasets import DATASETS
from helpers.mlp import INITS
from helpers.widgets.depth import NORMS
from helpers.widgets.lab import CACHED_RUNS, ETAS, FRAMES_PER_RUN, TrainingLab, format_loss

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def small_lab(**kwargs):
    settings = {"depth": 3, "width": 8, "steps": 50, "n_samples": 60, **kwargs}
    return TrainingLab(**settings)


def test_lab_trains_draws_and_reads_out():
    lab = small_lab(activation="sigmoid")
    assert bytes(lab.image.value).startswith(PNG_SIGNATURE)
    assert "<b>3-layer sigmoid</b>" in lab.readout.value
    assert "no skip connections, no normalisation" in lab.readout.value
    assert "loss 0." in lab.readout.value and "saturated: " in lab.readout.value
    before = bytes(lab.image.value)
    lab.controls["activation"].value = "relu"
    assert lab.image.value != before
    readout = lab.readout.value
    assert "<b>3-layer relu</b>" in readout and "dead units" in readout
    assert "zero outputs" in readout and "<b>finished</b>" in readout


def test_every_control_changes_the_run():
    lab = small_lab()
    changes = {
        "dataset": "circles",
        "depth": 4,
        "width": 12,
        "activation": "tanh",
        "init": "he",
        "skip": True,
        "norm": "batch",
        "eta": 1.0,
        "steps": 100,
    }
    assert set(changes) == set(lab.controls)
    for name, value in changes.items():
        before = (bytes(lab.image.value), lab.readout.value)
        lab.controls[name].value = value
        assert bytes(lab.image.value) != before[0], name
        assert lab.readout.value != before[1], name
    run = lab.run()
    settings = (run.depth, run.layer_sizes[1], run.activation, run.eta, run.steps)
    assert settings == (4, 12, "tanh", 1.0, 100)
    assert (run.skip, run.norm) == (True, "batch")
    assert "<b>4-layer tanh</b>, width 12, skip connections, batch norm" in lab.readout.value


@pytest.mark.parametrize(("skip", "norm"), [(True, "none"), (False, "batch"), (True, "layer")])
def test_options_reach_the_training_and_the_readout(skip, norm):
    """The run the lab shows is helpers.mlp.fit's with the same options, loss for loss."""
    from helpers.datasets import make_dataset
    from helpers.mlp import fit

    lab = small_lab(activation="tanh", skip=skip, norm=norm)
    X, y = make_dataset("moons", 60, 0.1, 0)
    reference = fit(
        X,
        y,
        depth=3,
        width=8,
        activation="tanh",
        init="standard",
        eta=0.3,
        steps=50,
        seed=0,
        skip=skip,
        norm=norm,
    )
    np.testing.assert_array_equal(lab.run().history.loss, reference.history.loss)
    said = ("skip connections" if skip else "no skip connections") + f", {NORMS[norm]}"
    assert said in lab.readout.value
    plain = small_lab(activation="tanh")
    assert not np.array_equal(plain.run().history.loss, reference.history.loss)


def test_returning_to_a_setting_uses_the_cache():
    lab = small_lab(activation="sigmoid")
    first = bytes(lab.image.value)
    lab.controls["activation"].value = "relu"
    assert len(lab._runs) == 2
    lab.controls["activation"].value = "sigmoid"
    assert len(lab._runs) == 2  # not trained again
    assert bytes(lab.image.value) == first


def test_the_cache_keeps_the_newest_runs_only():
    # A student moving sliders for a whole lab session must not grow the kernel without
    # bound: beyond CACHED_RUNS settings the oldest run and picture are dropped.
    lab = small_lab(steps=50, n_samples=30)
    first = lab.settings()
    settings = [(d, w) for d in range(1, 21) for w in (4, 8, 12)][: CACHED_RUNS + 5]
    for depth, width in settings:
        lab.controls["depth"].value, lab.controls["width"].value = depth, width
    assert len(lab._runs) == len(lab._pictures) == CACHED_RUNS
    assert len(lab._renderer._backgrounds) == 4  # one per layout seen, 3.3 MB each
    assert first not in lab._runs and lab.settings() in lab._pictures
    lab.controls["depth"].value, lab.controls["width"].value = 3, 8  # dropped: trained again
    assert lab.settings() == first and first in lab._pictures
    assert "<b>finished</b>" in lab.readout.value and len(lab._runs) == CACHED_RUNS


def test_divergence_is_reported_not_raised():
    lab = small_lab(activation="relu", init="he", eta=3.0, depth=8, width=32)
    assert lab.run().diverged_at is not None, "this setting is meant to diverge"
    assert "<b>diverged at step" in lab.readout.value
    lab.controls["eta"].value = 0.01  # the same network with a small eta trains
    assert lab.run().diverged_at is None
    assert "diverged" not in lab.readout.value and "<b>finished</b>" in lab.readout.value


def test_an_error_is_shown_in_the_lab_and_raised_then_cleared():
    """The lab shows errors through Demo.showing_errors, like every demo."""
    lab = small_lab()

    def broken(settings):
        raise ZeroDivisionError("boom")

    working, lab._new_trainer = lab._new_trainer, broken
    with pytest.raises(ZeroDivisionError):
        lab.controls["depth"].value = 4
    assert "ZeroDivisionError: boom" in lab.error.value and 'role="alert"' in lab.error.value
    lab._new_trainer = working
    lab.controls["depth"].value = 5
    assert lab.error.value == "" and "<b>5-layer" in lab.readout.value


def test_controls_offer_every_activation_init_and_option():
    lab = small_lab()
    assert list(lab.controls["activation"].options) == list(ACTIVATIONS)
    assert list(lab.controls["init"].options) == list(INITS)
    assert tuple(lab.controls["eta"].options) == ETAS
    assert [value for _, value in lab.controls["skip"].options] == [False, True]
    assert [value for _, value in lab.controls["norm"].options] == ["none", "batch", "layer"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "softsign"}, "unknown activation"),
        ({"dataset": "iris"}, "unknown dataset"),
        ({"init": "glorot"}, "unknown init"),
        ({"eta": 0.5}, "eta must be one of"),
        ({"norm": "group"}, "norm must be one of 'none', 'batch', 'layer'"),
        ({"depth": 100}, r"depth must be an integer in 1\.\.20 in steps of 1, got 100"),
        ({"depth": 2.0}, r"depth must be an integer in 1\.\.20 in steps of 1, got 2\.0"),
        ({"steps": 10**9}, r"steps must be an integer in 50\.\.500 in steps of 50"),
        ({"width": 6}, r"width must be an integer in 4\.\.64 in steps of 4"),
    ],
)
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        small_lab(**kwargs)


def test_constructor_refuses_instead_of_clamping():
    """TrainingLab(depth=100, steps=10**9) used to clamp silently to 20 and 500 (issue 16)."""
    with pytest.raises(ValueError, match="depth must be an integer in 1..20"):
        TrainingLab(depth=100, steps=10**9)


def test_a_diverged_run_reads_out_short_numbers_without_warnings():
    """Issue 16: the loss was printed with 79 digits and np.percentile warned."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lab = small_lab(activation="relu", init="he", eta=3.0, depth=10, width=64, steps=100)
    run = lab.run()
    assert run.diverged_at is not None, "this setting is meant to diverge"
    readout = lab.readout.value
    assert "diverged at step" in readout
    digits = max(len(token) for token in readout.replace("&rarr;", " ").split())
    assert digits < 30, readout


def test_format_loss():
    assert format_loss(0.69314) == "0.693"
    assert format_loss(3.2e76) == "3.2e+76"
    assert format_loss(float("inf")) == "inf"


def test_random_uncached_settings_leave_the_picture_as_a_fresh_lab_draws_it():
    """Issue 16: the colour bar shrank at every new setting (cax.clear() kept its locator).

    Drive one lab through many settings it has not seen, then compare its picture
    with that of a new lab made at the final settings: pixel-identical (same PNG bytes).
    """
    rng = random.Random(3)
    lab = small_lab()
    choices = {
        "dataset": list(DATASETS),
        "depth": [1, 2, 3, 4, 5, 7],
        "width": [4, 8, 12],
        "activation": list(ACTIVATIONS),
        "init": list(INITS),
        "skip": [False, True],
        "norm": ["none", "batch", "layer"],
        "eta": list(ETAS),
        "steps": [50, 100],
    }
    for _ in range(16):
        name = rng.choice(list(choices))
        lab.controls[name].value = rng.choice(choices[name])
    final = {name: lab.value(name) for name in lab.controls}
    assert len(lab._runs) > 8  # most of them were new
    fresh = small_lab(**final)
    assert bytes(lab.image.value) == bytes(fresh.image.value)
    assert lab.readout.value == fresh.readout.value


def _run(coroutine):
    return asyncio.run(coroutine)


async def wait(lab) -> None:
    """Until the lab's run in progress (if any) has ended; an error in it is raised."""
    task = lab._task
    if task is not None:
        try:
            await task
        except asyncio.CancelledError:
            if task is lab._task:  # cancelled, yet no newer run replaced it
                raise


@pytest.mark.parametrize("options", [{}, {"skip": True, "norm": "layer"}])
def test_live_run_animates_and_ends_as_the_synchronous_one(options):
    async def scenario():
        lab = small_lab(activation="sigmoid", steps=100, **options)
        images = []
        lab.image.observe(lambda change: images.append(bytes(change.new)), names="value")
        lab.controls["activation"].value = "tanh"  # a new setting: a live run
        assert lab._task is not None and not lab._task.done()
        assert len(images) == 1 and lab.image.format == "jpeg"  # step 0 drawn at once
        await wait(lab)
        return lab, images

    lab, images = _run(scenario())
    assert len(images) >= FRAMES_PER_RUN  # a frame per chunk, not one picture
    assert lab.image.format == "png" and "<b>finished</b>" in lab.readout.value
    fresh = small_lab(activation="tanh", steps=100, **options)
    assert bytes(lab.image.value) == bytes(fresh.image.value)
    np.testing.assert_array_equal(lab.run().history.loss, fresh.run().history.loss)


def test_a_control_moved_mid_run_cancels_the_old_run():
    async def scenario():
        lab = small_lab(steps=200)
        lab.controls["activation"].value = "relu"
        for _ in range(3):
            await asyncio.sleep(0)
        old_task, old_trainer = lab._task, lab._trainer
        assert 0 < old_trainer.done < 200
        lab.controls["depth"].value = 4  # mid-run
        assert old_task.cancelling() or old_task.cancelled()
        await wait(lab)
        await asyncio.sleep(0)
        return lab, old_task, old_trainer

    lab, old_task, old_trainer = _run(scenario())
    assert old_task.cancelled()
    assert old_trainer.done < 200  # the old run stopped where it was
    assert lab.run().depth == 4 and lab._trainer.finished
    assert "<b>4-layer relu</b>" in lab.readout.value


def test_pause_step_and_resume():
    async def scenario():
        lab = small_lab(steps=200)
        lab.controls["activation"].value = "tanh"
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        lab.pause.value = True
        for _ in range(3):
            await asyncio.sleep(0)
        trainer = lab._trainer
        paused_at = trainer.done
        for _ in range(5):
            await asyncio.sleep(0)
        assert trainer.done == paused_at, "paused: no training"
        assert "<b>paused</b>" in lab.readout.value and lab.pause.description == "resume"
        frames = lab.frames
        lab.step_button.click()
        assert trainer.done == paused_at + lab._chunk(trainer)
        assert lab.frames == frames + 1 and f"step {trainer.done} of 200" in lab.readout.value
        lab.pause.value = False
        await wait(lab)
        return lab, trainer

    lab, trainer = _run(scenario())
    assert trainer.finished and "<b>finished</b>" in lab.readout.value


def test_restart_trains_the_setting_again():
    lab = small_lab()
    first = bytes(lab.image.value)
    runs = lab._runs.copy()
    lab.restart.click()
    assert bytes(lab.image.value) == first  # deterministic: the same run again
    assert lab._runs[lab.settings()] is not runs[lab.settings()]
