"""The figure style: lecture mode on and off again leaves no trace."""

import matplotlib as mpl

from helpers.plotting import is_lecture_mode, use_style


def test_switching_back_from_lecture_mode_restores_every_setting():
    use_style(lecture=False)
    reading = {key: mpl.rcParams[key] for key in mpl.rcParams}
    use_style(lecture=True)
    assert is_lecture_mode() and mpl.rcParams["font.size"] > reading["font.size"]
    use_style(lecture=False)
    changed = {key for key in reading if mpl.rcParams[key] != reading[key]}
    assert not changed and not is_lecture_mode()


def test_environment_variable_switches_lecture_mode(monkeypatch):
    monkeypatch.setenv("LESSONS_LECTURE", "1")
    use_style()
    assert is_lecture_mode()
    monkeypatch.setenv("LESSONS_LECTURE", "0")
    use_style()
    assert not is_lecture_mode()


def test_derivative_jumps_are_drawn_as_gaps():
    import numpy as np

    from helpers.plotting.activations import derivative_for_plot

    z = np.linspace(-1, 1, 201)  # includes 0, where ReLU' jumps from 0 to 1
    df = derivative_for_plot("relu", z)
    assert np.isnan(df).sum() == 1 and set(df[~np.isnan(df)]) == {0.0, 1.0}
    assert not np.isnan(derivative_for_plot("sigmoid", z)).any()  # smooth: untouched
