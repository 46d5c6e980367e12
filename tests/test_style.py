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
