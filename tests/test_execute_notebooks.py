"""tools/execute_notebooks.py (issue 16): a student's notebook is never lost or churned.

Only notebooks inside notebooks/ are rewritten unless --anywhere; what is
overwritten is backed up first; re-executing an unchanged notebook gives the
same file (no timestamps, the same widget ids).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))  # execute_notebooks imports slides from beside it
TOOL = ROOT / "tools" / "execute_notebooks.py"
spec = importlib.util.spec_from_file_location("execute_notebooks", TOOL)
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


def tiny_notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A tiny notebook"),
        nbformat.v4.new_code_cell(
            "# A widget, whose model id is saved\nimport ipywidgets\nipywidgets.IntSlider(value=3)"
        ),
        nbformat.v4.new_code_cell("# A number\n6 * 7"),
    ]
    nbformat.write(notebook, path)
    return path


def test_refuses_notebooks_outside_the_notebooks_folder(tmp_path, capsys):
    outside = tiny_notebook(tmp_path / "elsewhere.ipynb")
    before = outside.read_bytes()
    assert tool.main([str(outside)]) == 2
    err = capsys.readouterr().err
    assert "outside" in err and "--anywhere" in err
    assert outside.read_bytes() == before
    assert tool.check_path(outside, anywhere=True) == outside.resolve()


@pytest.mark.parametrize("name", ["missing.ipynb", "notes.txt"])
def test_refuses_what_is_not_a_notebook(tmp_path, name, capsys):
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text("hello")
    assert tool.main(["--anywhere", str(path)]) == 2
    assert "notebook" in capsys.readouterr().err


def test_backup_keeps_every_different_version_once(tmp_path):
    notebook = tmp_path / "02_sigmoid.ipynb"
    notebook.write_text("version 1")
    first = tool.backup(notebook)
    assert first.parent == tmp_path / ".backup" and first.read_text() == "version 1"
    assert first.name.startswith("02_sigmoid.") and first.suffix == ".ipynb"
    assert tool.backup(notebook) is None  # unchanged: no second copy
    notebook.write_text("version 2")
    second = tool.backup(notebook)
    assert second != first and second.read_text() == "version 2"
    assert sorted(p.read_text() for p in (tmp_path / ".backup").iterdir()) == [
        "version 1",
        "version 2",
    ]


def test_re_executing_an_unchanged_notebook_changes_nothing(tmp_path):
    notebook = tiny_notebook(tmp_path / "01_tiny.ipynb")
    original = notebook.read_bytes()
    assert tool.main(["--anywhere", str(notebook)]) == 0
    first = notebook.read_bytes()
    assert tool.main(["--anywhere", str(notebook)]) == 0
    assert notebook.read_bytes() == first  # same ids, no timestamps: no diff at all
    saved = nbformat.reads(first.decode(), as_version=4)
    assert all("execution" not in cell.metadata for cell in saved.cells)
    state = saved.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert state  # the widget's state is saved, under a stable id
    backups = sorted((tmp_path / ".backup").glob("01_tiny.*.ipynb"))
    # One backup: the second run wrote nothing, so it had nothing to back up.
    assert [b.read_bytes() for b in backups] == [original]
