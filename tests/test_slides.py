"""Slide structure: every notebook carries slide types that follow its structure."""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from slides import assign_slides, slide_types  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_cell_carries_its_slide_type(path):
    notebook = nbformat.read(path, as_version=4)
    want = slide_types(notebook)
    have = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in notebook.cells]
    wrong = [
        f"cell {i + 1} ({''.join(c.source).strip()[:40]!r}): {h!r}, expected {w!r}"
        for i, (c, h, w) in enumerate(zip(notebook.cells, have, want, strict=True))
        if h != w
    ]
    assert not wrong, (
        f"{path.name}: slide types missing or stale; `python3 run.py execute "
        f"notebooks/{path.name}` sets them (tools/slides.py):\n" + "\n".join(wrong)
    )
    assert want[0] == "slide"


def markdown(text):
    return nbformat.v4.new_markdown_cell(text)


def code(text, picture=False):
    cell = nbformat.v4.new_code_cell(text)
    if picture:
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})]
    return cell


NAV = "< [Previous](01_a.ipynb) | [Index](00_start_here.ipynb) | [Next](03_c.ipynb) >"


def test_slide_types_follow_the_skeleton():
    cells = [
        markdown(f"{NAV}\n\n# Do something"),  # slide
        markdown("## What you'll learn\n- this"),  # slide
        code("from helpers.plotting import use_style\nuse_style()"),  # setup: skip
        markdown("## 1. A section\nProse."),  # slide
        code("x = 1\nx"),  # -
        code("fig, ax = plt.subplots()\nplot(ax=ax);", picture=True),  # -
        markdown("*Figure:* What it shows."),  # - (with its figure)
        markdown("More prose about it."),  # subslide: the figure filled the slide
        code("plot_again();", picture=True),  # -
        code("plot_a_third();", picture=True),  # subslide: second picture
        markdown("### Interactive demo"),  # subslide
        code("a = 1"),  # -
        markdown("Prose."),  # -
        code("b = 2"),  # -
        markdown("Prose."),  # - (fifth cell on this sub-slide)
        markdown("More prose."),  # subslide: the sub-slide is full
        code("\n".join(f"line_{n} = {n}" for n in range(20))),  # subslide: long
        markdown(f"## Further reading\n- a book\n\n{NAV}"),  # slide
        markdown(NAV),  # skip
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    assert slide_types(notebook) == [
        "slide", "slide", "skip", "slide", "-", "-", "-", "subslide", "-",
        "subslide", "subslide", "-", "-", "-", "-", "subslide", "subslide", "slide", "skip",
    ]  # fmt: skip
    assert assign_slides(notebook) == len(cells)
    assert assign_slides(notebook) == 0  # idempotent
    assert notebook.cells[2].metadata["slideshow"] == {"slide_type": "skip"}
