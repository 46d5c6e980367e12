"""Every figure the notebooks and demos draw passes the figure checks, in both styles.

The figures come from tools/figure_catalogue.py (each drawn as its notebook
draws it, or the demo built as its notebook shows it); the checks from
tests/figure_checks.py: text at least 10 pt (reading) / 16 pt (lecture) as
displayed, no overlapping text, nothing outside the figure, no legend, text or
inset over data, every axis labelled, every colour scale with a colour bar,
lines told apart by more than colour, no two curves of one colour running
together, no log axis running far beyond its data. A failure names the figure,
the style and each problem.

Nothing is left out: notebook 06's training figures and its lab (at the states
a student sees, and at every control's extremes) are in the catalogue too.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from helpers.plotting import is_lecture_mode, use_style

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
from figure_catalogue import ENTRIES  # noqa: E402
from figure_checks import figure_problems  # noqa: E402

STYLES = {"reading": False, "lecture": True}


@pytest.fixture
def style():
    saved = mpl.rcParams.copy()
    yield
    use_style(lecture=False)
    mpl.rcParams.update(saved)
    plt.close("all")


@pytest.mark.parametrize("mode", list(STYLES))
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_figure_passes_the_checks(entry, mode, style):
    use_style(lecture=STYLES[mode])
    figure = entry.build()
    problems = figure_problems(figure, lecture=STYLES[mode])
    assert not problems, (
        f"figure {entry.name!r} (notebook {entry.notebook}), {mode} style:\n  "
        + "\n  ".join(problems)
    )


def extremes(control) -> list:
    """The values at the ends of a control's range (every option of a dropdown)."""
    if hasattr(control, "options"):
        return list(control._options_values)
    if type(control).__name__ == "FloatLogSlider":
        return [control.base**control.min, control.base**control.max]
    if hasattr(control, "min"):
        return [control.min, control.max]
    return [not control.value] if isinstance(control.value, bool) else []


DEMO = r"[A-Z]\w+(?:Demo|Explorer|Calculator|Comparison|Lab)"  # a demo class a notebook shows
DEMO_ENTRIES = [e for e in ENTRIES if any(re.fullmatch(DEMO, call) for call in e.calls)]


@pytest.mark.parametrize("mode", list(STYLES))
@pytest.mark.parametrize("entry", DEMO_ENTRIES, ids=[e.name for e in DEMO_ENTRIES])
def test_demo_figure_passes_the_checks_at_every_control_extreme(entry, mode, style):
    """Each control moved to each end of its range (others at the notebook's values)."""
    use_style(lecture=STYLES[mode])
    figure = entry.build()
    demo = figure.demo
    failures = []
    for name, control in demo.controls.items():
        if control.layout.display == "none" or getattr(control, "disabled", False):
            continue
        start = control.value
        for value in extremes(control):
            control.value = value
            for artist in figure.findobj(lambda a: a.get_animated()):
                artist.set_animated(False)  # as _demo does: check what the reader sees
            problems = figure_problems(figure, lecture=STYLES[mode])
            failures += [f"{name} = {value!r}: {problem}" for problem in problems]
        control.value = start
    assert not failures, f"demo {entry.name!r}, {mode} style:\n  " + "\n  ".join(failures)


def notebook_calls() -> dict[str, set[str]]:
    """Plotting helpers and demos each notebook calls."""
    found = {}
    for path in sorted((ROOT / "notebooks").glob("0[0-6]_*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        names = set(re.findall(r"\b(plot_\w+)\(", code))
        names |= set(re.findall(rf"^({DEMO})\(", code, re.M))
        found[path.name[:2]] = names
    return found


def test_every_figure_of_the_notebooks_is_in_the_catalogue():
    """A notebook that draws with a helper the catalogue never calls would go unchecked."""
    covered = {(nb, call) for e in ENTRIES for nb in e.notebook.split() for call in e.calls}
    missing = [
        f"notebook {nb}: {name}"
        for nb, names in notebook_calls().items()
        for name in sorted(names)
        if (nb, name) not in covered
    ]
    assert not missing, (
        "figures drawn in a notebook but not in tools/figure_catalogue.py: " + ", ".join(missing)
    )


def test_lecture_variable_gives_every_static_figure_lecture_sizes(style, monkeypatch):
    """LESSONS_LECTURE=1 wins over the notebooks' use_style(): figures at lecture size."""
    monkeypatch.setenv("LESSONS_LECTURE", "1")
    use_style()
    assert is_lecture_mode()
    figure, _ = plt.subplots()
    assert figure.get_size_inches()[0] >= 10 and mpl.rcParams["font.size"] >= 19
    use_style(lecture=False)  # an explicit reading call: the variable still wins
    assert is_lecture_mode()


def test_the_checks_catch_the_defects_of_issue_18(style):
    """Each defect the figure checks guard against, put back, is found."""
    import numpy as np
    from figure_checks import empty_log_range, hidden_lines, same_colour_lines_running_together

    use_style(lecture=False)
    z = np.linspace(-4, 4, 201)
    # 05: ReLU's derivative (0 for z < 0) drawn under the function's line.
    figure, ax = plt.subplots()
    ax.plot(z, (z > 0).astype(float), label="relu'(z)", color="k", linewidth=2)
    ax.plot(z, np.maximum(z, 0), label="relu(z)", linewidth=2, linestyle="-")
    ax.set(xlabel="z", ylabel="value")
    assert any("relu'(z)" in p and "hidden" in p for p in figure_problems(figure, lecture=False))
    # 02: sigma' dotted in sigma's colour merges with it for z < -2.
    figure, ax = plt.subplots()
    wide = np.linspace(-8, 8, 401)  # 02's range
    s = 1 / (1 + np.exp(-wide))
    ax.plot(wide, s, color="C0", label="σ")
    ax.plot(wide, s * (1 - s), color="C0", linestyle=":", label="σ'")
    figure.canvas.draw()  # the lines' places
    assert same_colour_lines_running_together(figure) and not hidden_lines(figure)
    # 04/05: a gradient profile on a log axis running 5 decades past its data; the depth
    # explorer's fixed 10^-50..10^10 axis with a depth-20 curve in one corner.
    for data, limits in (([1e-10, 1.0], (1e-11, 1e5)), ([1e-12, 1.0], (1e-50, 1e10))):
        figure, ax = plt.subplots()
        ax.semilogy([1, 2], data, label="profile")
        ax.set(ylim=limits, xlabel="layer", ylabel="gradient")
        figure.canvas.draw()
        assert any("decades beyond" in p for p in empty_log_range(figure))
    # 03's inset text at 8 pt, 04's label run through by the curve, 06's image without a bar.
    figure, ax = plt.subplots()
    ax.plot(z, 1 / (1 + np.exp(-z)), label="σ")
    ax.text(-1.5, 0.4, "float64 cannot change w = 2.5", fontsize=8)
    ax.set(xlabel="z", ylabel="value")
    problems = "\n".join(figure_problems(figure, lecture=False))
    assert "8.0 pt" in problems and "covers" in problems
    figure, ax = plt.subplots()
    ax.imshow([[0, 1], [1, 0]])
    ax.set(xlabel="step", ylabel="layer")
    assert "without a colour bar" in "\n".join(figure_problems(figure, lecture=False))
