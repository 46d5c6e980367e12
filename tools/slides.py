"""Give every cell of a notebook its slide type, from the notebook's structure.

``jupyter nbconvert --to slides`` (and RISE) read ``metadata.slideshow.slide_type``.
Rather than asking every author to set it by hand, it follows from the skeleton
every notebook shares (STYLE.md), so a deck has one idea per slide:

==========================================================  ===========
cell                                                        slide type
==========================================================  ===========
the first cell (navigation line and title)                  slide
markdown starting with ``## `` (a numbered section)         slide
markdown starting with ``### `` (demo, exercise, Think!)    subslide
markdown starting with ``*Figure:*`` (a figure's caption)   -  (with its figure)
other markdown after a figure or widget on the same slide   subslide (one picture per slide)
other markdown after ``FULL_SLIDE`` cells on one slide      subslide (a slide fits a screen)
a figure or widget (with the prose just before it) after    subslide (room for the picture)
  another picture or ``ROOM_FOR_PICTURE`` cells on a slide
a cell holding only the navigation line                     skip
the setup cell (first code cell)                            skip
a code cell longer than ``LONG_CODE`` lines                 subslide
any other cell                                              -  (continues the slide)
==========================================================  ===========

``tools/execute_notebooks.py`` applies this on every (re-)execution, so the
committed notebooks always carry it; ``tests/test_slides.py`` checks that.

Usage: python tools/slides.py [--check] notebooks/NN_name.ipynb ...
(``--check`` changes nothing and exits 1 if a notebook is not up to date.)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

LONG_CODE = 15  # lines; a longer code cell gets a sub-slide of its own
FULL_SLIDE = 5  # cells; after this many on a slide, the next prose starts a sub-slide
ROOM_FOR_PICTURE = 2  # cells; a figure or widget after more than this gets a sub-slide
NAVIGATION = re.compile(r"^(< )?(\[[^\]]+\]\([^)]+\))( \| \[[^\]]+\]\([^)]+\))*( >)?$")
PICTURES = ("image/png", "image/svg+xml", "application/vnd.jupyter.widget-view+json")


def _text(cell) -> str:
    source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
    return source.strip()


def _is_navigation_only(cell) -> bool:
    lines = _text(cell).splitlines()
    return cell.cell_type == "markdown" and len(lines) == 1 and bool(NAVIGATION.match(lines[0]))


def _shows_picture(cell) -> bool:
    return cell.cell_type == "code" and any(
        mime in output.get("data", {}) for output in cell.get("outputs", []) for mime in PICTURES
    )


def slide_types(notebook) -> list[str]:
    """The slide type of each cell of ``notebook`` (an nbformat NotebookNode)."""
    types = []
    seen_code = False
    picture_on_slide = False
    on_slide = 0  # cells shown on the current (sub-)slide
    cells = notebook.cells
    for index, cell in enumerate(cells):
        text = _text(cell)
        following = cells[index + 1] if index + 1 < len(cells) else None
        # A figure (or widget) needs most of a screen: it starts a sub-slide, with the
        # prose that introduces it, when the slide already holds a picture or is filling.
        crowded = picture_on_slide or on_slide > ROOM_FOR_PICTURE
        if index == 0:
            kind = "slide"
        elif cell.cell_type == "markdown":
            if _is_navigation_only(cell):
                kind = "skip"
            elif text.startswith("## "):
                kind = "slide"
            elif text.startswith("### "):
                kind = "subslide"
            elif text.startswith("*Figure:*"):
                kind = "-"
            elif picture_on_slide or on_slide >= FULL_SLIDE:
                kind = "subslide"
            elif following is not None and _shows_picture(following) and crowded:
                kind = "subslide"  # introduces the picture below: they go together
            else:
                kind = "-"
        elif cell.cell_type == "code":
            if not seen_code:
                kind = "skip"
                seen_code = True
            elif len(text.splitlines()) > LONG_CODE:
                kind = "subslide"
            elif _shows_picture(cell) and crowded:
                kind = "subslide"
            else:
                kind = "-"
        else:  # raw cells
            kind = "skip"
        if kind in ("slide", "subslide"):
            picture_on_slide = False
            on_slide = 0
        if kind != "skip":
            on_slide += 1
        if kind != "skip" and _shows_picture(cell):
            picture_on_slide = True
        types.append(kind)
    return types


def assign_slides(notebook) -> int:
    """Set ``metadata.slideshow.slide_type`` on every cell; return how many changed."""
    changed = 0
    for cell, kind in zip(notebook.cells, slide_types(notebook), strict=True):
        slideshow = cell.metadata.setdefault("slideshow", {})
        if slideshow.get("slide_type") != kind:
            slideshow["slide_type"] = kind
            changed += 1
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name in (a for a in argv if a != "--check"):
        path = Path(name)
        notebook = nbformat.read(path, as_version=4)
        changed = assign_slides(notebook)
        if changed and check:
            stale.append(f"{path}: {changed} cells without their slide type")
        elif changed:
            nbformat.write(notebook, path)
            print(f"{path}: slide types set on {changed} cells")
    if stale:
        print("\n".join(stale) + "\nRun `python3 run.py execute` on them (it sets slide types).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
