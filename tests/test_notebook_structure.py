"""Every notebook: navigation lines, heading order, committed executed, no errors."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
INDEX = "00_start_here.ipynb"
LICENCE = "Code: MIT licence; prose and figures: CC BY 4.0 (see LICENSE and LICENSE-CONTENT)."


def load(path):
    return json.loads(path.read_text())


def source(cell) -> str:
    return "".join(cell["source"])


def expected_navigation(position: int) -> str:
    """`< [Previous](…) | [Index](00_start_here.ipynb) | [Next](…) >`, ends trimmed."""
    parts = []
    if position > 0:
        parts.append(f"< [Previous]({NOTEBOOKS[position - 1].name})")
    parts.append(f"[Index]({INDEX})")
    if position < len(NOTEBOOKS) - 1:
        parts.append(f"[Next]({NOTEBOOKS[position + 1].name}) >")
    return " | ".join(parts)


def test_there_is_an_index_notebook():
    assert NOTEBOOKS and NOTEBOOKS[0].name == INDEX


@pytest.mark.parametrize("position", range(len(NOTEBOOKS)), ids=[p.name for p in NOTEBOOKS])
def test_navigation_line_at_top_and_bottom(position):
    cells = load(NOTEBOOKS[position])["cells"]
    want = expected_navigation(position)
    first_lines = source(cells[0]).strip().splitlines()
    last_lines = [line for line in source(cells[-1]).strip().splitlines() if line.strip()]
    if last_lines and last_lines[-1] == LICENCE:  # the footer ends with the licence line
        last_lines = last_lines[:-1]
    assert cells[0]["cell_type"] == "markdown" and first_lines[0] == want, (
        f"the first line of the first cell should be:\n{want}"
    )
    assert cells[-1]["cell_type"] == "markdown" and last_lines[-1] == want, (
        f"the last line of the last cell should be:\n{want}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_headings_in_order(path):
    """One title, then no level skipped: JupyterLab's table of contents is the outline."""
    levels = []
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = re.sub(r"```.*?```", "", source(cell), flags=re.S)
        text = re.sub(r"<details>.*?</details>", "", text, flags=re.S)
        levels += [len(m) for m in re.findall(r"^(#{1,6}) ", text, flags=re.M)]
    assert levels and levels[0] == 1 and levels.count(1) == 1, f"{path.name}: one # title first"
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{path.name}: heading level jumps from {before} to {after}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_executed_top_to_bottom_without_errors(path):
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code" and source(c).strip()]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name}: re-execute it with `python3 run.py execute notebooks/{path.name}`"
    )
    for cell in code:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"{path.name}: stored error\n{source(cell)}"
            if output.get("name") == "stderr":
                pytest.fail(f"{path.name}: stored stderr (a warning?): {''.join(output['text'])}")


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=[p.name for p in NOTEBOOKS[1:]])
def test_lesson_skeleton(path):
    text = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    for heading in ("What you'll learn", "Summary", "Further reading"):
        assert heading in text, f"{path.name} has no '{heading}' section"
    assert "<details>" in text, f"{path.name} has no Think! answer hidden in <details>"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_figure_has_a_caption(path):
    """A static figure is followed by a markdown cell starting `*Figure:* ` (its alt text).

    Widgets (Demo) carry their own caption, so a cell whose output is a widget is exempt.
    """
    cells = load(path)["cells"]
    for position, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        data = [output.get("data", {}) for output in cell["outputs"]]
        if not any("image/png" in d for d in data):
            continue
        if any("application/vnd.jupyter.widget-view+json" in d for d in data):
            continue
        after = cells[position + 1] if position + 1 < len(cells) else None
        caption = source(after).lstrip() if after and after["cell_type"] == "markdown" else ""
        assert re.match(r"\*Figure:\* \S", caption), (
            f"{path.name}: the figure drawn by the code cell\n{source(cell).strip()[:200]}\n"
            "needs a caption: the next cell should be markdown starting `*Figure:* ` followed "
            "by what the figure shows (it doubles as alt text)"
        )
