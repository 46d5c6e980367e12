"""Readable by everyone and from the back row: labels, readouts, colours, lecture sizes.

Every demo (each ``Demo`` subclass in ``helpers.widgets``, found by import, so
new demos are covered without editing this file) is built with its defaults,
in reading and in lecture mode, and checked for what issue 8 asks: a visible
label on every control, a text readout and a caption, curves told apart by more
than colour, and projector sizes in lecture mode. Keyboard use is checked in
the browser (tests/browser/test_presenting.py).
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import sys
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.text import Text

import helpers.widgets
from helpers.plotting import is_lecture_mode, use_style
from helpers.plotting.style import LECTURE_MAX_INCHES, PALETTE
from helpers.widgets.base import Demo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figure_checks import lines_differing_only_by_colour  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def demo_classes() -> list[type[Demo]]:
    found = []
    for module_info in pkgutil.iter_modules(helpers.widgets.__path__):
        module = importlib.import_module(f"helpers.widgets.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Demo) and cls is not Demo and cls.__module__ == module.__name__:
                found.append(cls)
    return found


DEMOS = demo_classes()


_BUILT: dict = {}


def built(cls, lecture: bool) -> Demo:
    """One instance of ``cls`` per mode, shared by the tests (TrainingLab takes seconds)."""
    if (cls, lecture) not in _BUILT:
        saved = mpl.rcParams.copy()
        use_style(lecture=lecture)
        try:
            _BUILT[cls, lecture] = cls()
        finally:
            use_style(lecture=False)
            mpl.rcParams.update(saved)
    return _BUILT[cls, lecture]


@pytest.fixture
def style():
    """Set a style for one test, then put the reading style back."""
    saved = mpl.rcParams.copy()
    yield use_style
    use_style(lecture=False)
    mpl.rcParams.update(saved)


def test_every_demo_is_found():
    assert "ActivationExplorer" in {cls.__name__ for cls in DEMOS}


@pytest.mark.parametrize("cls", DEMOS, ids=[cls.__name__ for cls in DEMOS])
def test_demo_has_labels_readout_and_caption(cls):
    demo = built(cls, lecture=False)
    assert demo.controls, f"{cls.__name__} has no controls"
    for name, control in demo.controls.items():
        assert control.description.strip(), f"{cls.__name__}: control {name!r} has no visible label"
    text = re.sub(r"<[^>]+>|&nbsp;", " ", demo.readout.value).strip()
    assert text, f"{cls.__name__}: the readout is empty after construction"
    assert len(demo.caption.split()) >= 5, f"{cls.__name__}: caption {demo.caption!r} says little"


def other_value(control):
    """A value of ``control`` next to its current one (a step, or another option)."""
    if hasattr(control, "options"):
        values = list(control._options_values)  # the values behind the option labels
        position = values.index(control.value)
        return values[position + 1] if position + 1 < len(values) else values[position - 1]
    if hasattr(control, "min") and hasattr(control, "step"):
        step = control.step
        if type(control).__name__ == "FloatLogSlider":
            up = control.value * control.base**step
            down = control.value / control.base**step
            return up if up <= control.base**control.max else down
        return control.value + step if control.value + step <= control.max else control.value - step
    if isinstance(control.value, bool):
        return not control.value
    raise AssertionError(f"teach other_value about {type(control).__name__}")


@pytest.mark.parametrize("cls", DEMOS, ids=[cls.__name__ for cls in DEMOS])
def test_demo_readout_follows_every_control(cls):
    """The readout states what the figure shows: it changes with every control."""
    demo = cls()
    for name, control in demo.controls.items():
        if control.layout.display == "none" or getattr(control, "disabled", False):
            continue  # hidden (e.g. factors beyond the chosen number) or inactive
        before = demo.readout.value
        start = control.value
        control.value = other_value(control)
        assert demo.readout.value != before, (
            f"{cls.__name__}: moving {name!r} from {start!r} to {control.value!r} leaves the "
            "readout unchanged; name that value in the readout, so the picture is not the "
            "only place it shows"
        )
        control.value = start


@pytest.mark.parametrize("cls", DEMOS, ids=[cls.__name__ for cls in DEMOS])
def test_demo_curves_differ_by_more_than_colour(cls):
    """Labelled curves in one axes differ in line style or marker, or carry a direct label.

    The rule lives in tests/figure_checks.py (``lines_differing_only_by_colour``),
    which tests/test_figures.py applies to every figure of the notebooks too.
    """
    demo = built(cls, lecture=False)
    problems = lines_differing_only_by_colour(demo.figure)
    assert not problems, f"{cls.__name__}:\n" + "\n".join(problems)


@pytest.mark.parametrize("cls", DEMOS, ids=[cls.__name__ for cls in DEMOS])
def test_lecture_mode_enlarges_demo_text_and_controls(cls):
    reading = built(cls, lecture=False)
    reading_sizes = [t.get_fontsize() for t in reading.figure.findobj(Text) if t.get_text()]
    lecture = built(cls, lecture=True)
    assert "lesson-lecture" in lecture._dom_classes and "lesson-lecture" not in reading._dom_classes
    lecture_sizes = [t.get_fontsize() for t in lecture.figure.findobj(Text) if t.get_text()]
    assert min(lecture_sizes) >= 12, f"{cls.__name__}: text of {min(lecture_sizes):.1f} pt"
    assert min(lecture_sizes) > min(reading_sizes)
    # On a slide a figure is shown at most LECTURE_MAX_INCHES, a larger one scaled down to fit:
    # the lecture figure is at least as large on the slide as the reading one would be.
    reading_inches = reading.figure.get_size_inches()
    on_slide = reading_inches * min(1.0, *(np.array(LECTURE_MAX_INCHES) / reading_inches))
    assert (lecture.figure.get_size_inches() >= on_slide - 1e-9).all()


def test_one_call_or_one_variable_switches_lecture_sizes(style, monkeypatch):
    style(lecture=False)
    reading = dict(mpl.rcParams)
    monkeypatch.setenv("LESSONS_LECTURE", "1")
    style()  # what every notebook's setup cell calls
    assert is_lecture_mode()
    for key in ("font.size", "axes.labelsize", "xtick.labelsize", "legend.fontsize"):
        assert mpl.rcParams[key] >= 16, key
    assert mpl.rcParams["lines.linewidth"] > reading["lines.linewidth"]
    assert mpl.rcParams["figure.figsize"][0] > reading["figure.figsize"][0]
    monkeypatch.setenv("LESSONS_LECTURE", "0")
    style()
    assert not is_lecture_mode()


def code_cells(path):
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_setup_cell_uses_the_shared_style(path):
    """``use_style()`` with no argument: the palette, and LESSONS_LECTURE=1 works."""
    setup = next((c for c in code_cells(path) if "import" in c), "")
    assert re.search(r"^use_style\(\)", setup, flags=re.M), (
        f"{path.name}: the setup cell should call use_style() (no argument, so that "
        "LESSONS_LECTURE=1 switches on lecture sizes)"
    )


# Colours a figure may name: the palette, greys, black and white.
ALLOWED_COLOURS = {v.lower() for v in PALETTE.values()} | {"white", "black", "none", "w", "k"}
# Colour maps readable with the common colour-vision deficiencies.
ALLOWED_CMAPS = {"viridis", "cividis", "magma", "inferno", "plasma", "puor", "greys", "gray"}
COLOUR_ARG = re.compile(
    r"\b(?:color|c|facecolor|edgecolor|markerfacecolor|markeredgecolor|colors)\s*=\s*"
    r"[\"']([^\"']+)[\"']"
)
CMAP_ARG = re.compile(r"\bcmap\s*=\s*[\"']([^\"']+)[\"']")
FORMAT_WITH_COLOUR = re.compile(r"\.plot\([^\n]*?[\"']([rgbcmy](?:--|-\.|[-.:osv^x+*D])+)[\"']")


def allowed_colour(value: str) -> bool:
    value = value.lower()
    return value in ALLOWED_COLOURS or bool(re.fullmatch(r"0?\.\d+|0|1(\.0)?", value))


def sources():
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        yield path.relative_to(ROOT), path.read_text()
    for path in NOTEBOOKS:
        yield path.relative_to(ROOT), "\n".join(code_cells(path))


@pytest.mark.parametrize("where, text", list(sources()), ids=lambda v: str(v)[:40])
def test_no_colours_outside_the_palette(where, text):
    bad = [v for v in COLOUR_ARG.findall(text) if not allowed_colour(v)]
    bad += [
        f"cmap={v}"
        for v in CMAP_ARG.findall(text)
        if v.lower().removesuffix("_r") not in ALLOWED_CMAPS
    ]
    bad += [f"format {v!r}" for v in FORMAT_WITH_COLOUR.findall(text)]
    assert not bad, (
        f"{where}: colours outside the colour-blind-safe palette: {bad}; use "
        "helpers.plotting.style (PALETTE, activation_style, series_styles) or a grey"
    )
