"""The README's table of notebooks gives each lecture path's minutes as its headings do."""

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
MINUTES = re.compile(r"^## .*\((\d+) min\)\s*$")


def heading_minutes(path: Path) -> int:
    total = 0
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            match = MINUTES.match(cell.source.strip().splitlines()[0])
            total += int(match.group(1)) if match else 0
    return total


def test_readme_times_are_the_notebooks_heading_times():
    rows = re.findall(
        r"^\| \[(\d\d) [^]]+\]\((notebooks/[^)]+)\) \|.*\| (\d+)? ?(?:min)? ?\|$",
        (ROOT / "README.md").read_text(),
        flags=re.M,
    )
    assert len(rows) == len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    for number, path, minutes in rows:
        if number == "00":
            continue  # the index: no lecture path
        assert int(minutes) == heading_minutes(ROOT / path), path
