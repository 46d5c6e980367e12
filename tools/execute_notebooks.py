"""Re-execute notebooks in place, each in a fresh kernel, top to bottom.

Usage: python tools/execute_notebooks.py [--anywhere] [--no-backup] notebooks/NN_name.ipynb ...
(``python3 run.py execute`` calls this with every notebook.)

Widget state is saved with the outputs, so the committed notebooks show their
widgets in static renderers that support it (nbconvert HTML, nbviewer). Every
cell's slide type is set from the notebook's structure (tools/slides.py).

A student's work is protected:

* only notebooks inside the project's ``notebooks/`` folder are rewritten,
  unless ``--anywhere`` is given;
* before a notebook is overwritten, the file as it was is copied to
  ``notebooks/.backup/NN_name.<YYYYmmdd-HHMMSS>.ipynb`` (git ignores the folder;
  nothing is written or copied when the result equals the file, no copy is
  made when the file equals the newest backup; ``--no-backup`` skips it).

Re-executing an unchanged notebook changes little: no execution timestamps
are recorded (``record_timing=False``) and widget model ids are drawn from a
seeded generator in the kernel, so the same notebook gets the same ids.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from slides import assign_slides  # tools/slides.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BACKUP_FOLDER = ".backup"

# Run silently in the kernel before the first cell: ipywidgets' model ids come
# from comm's uuid.uuid4(); drawing them from a seeded generator makes them the
# same on every run (they only need to be unique within one kernel).
DETERMINISTIC_IDS = """(lambda uuid, ids: setattr(uuid, "uuid4", lambda: uuid.UUID(
    int=ids.getrandbits(128), version=4)))(__import__("uuid"), __import__("random").Random(0))"""
# (one expression: it leaves no name behind in the notebook's namespace)


class Refused(Exception):
    """A notebook this tool will not rewrite (one line for the user)."""


class StableIdClient(NotebookClient):
    """A NotebookClient whose kernel hands out the same widget ids on every run."""

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        msg_id = kc.execute(DETERMINISTIC_IDS, silent=True, store_history=False)
        reply = await self.async_wait_for_reply(msg_id)
        if reply is None or reply["content"]["status"] != "ok":
            raise RuntimeError(f"could not make widget ids deterministic: {reply}")
        return kc


def check_path(path: Path, anywhere: bool = False) -> Path:
    """The notebook's resolved path, or Refused saying why not."""
    path = path.resolve()
    if path.suffix != ".ipynb":
        raise Refused(f"{path} is not a notebook (.ipynb)")
    if not path.is_file():
        raise Refused(f"no such notebook: {path}")
    if not anywhere and not path.is_relative_to(NOTEBOOKS):
        raise Refused(
            f"{path} is outside {NOTEBOOKS}; executing rewrites it in place, so only the "
            "course's notebooks are executed unless --anywhere is given"
        )
    return path


def backup(path: Path) -> Path | None:
    """Copy the notebook to <its folder>/.backup/<stem>.<time>.ipynb; return the copy.

    Nothing is written when the newest backup of this notebook has the same bytes.
    """
    folder = path.parent / BACKUP_FOLDER
    content = path.read_bytes()
    earlier = sorted(folder.glob(f"{path.stem}.*.ipynb"))
    if earlier and earlier[-1].read_bytes() == content:
        return None
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}.{stamp}.ipynb"
    counter = 1
    while target.exists():  # two backups within one second
        target = folder / f"{path.stem}.{stamp}-{counter}.ipynb"
        counter += 1
    shutil.copy2(path, target)
    return target


def execute(path: Path, keep_backup: bool = True) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = StableIdClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        store_widget_state=True,
        record_timing=False,  # no per-cell timestamps: they change on every run
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    for cell in notebook.cells:  # timestamps an earlier run recorded
        cell.metadata.pop("execution", None)
    assign_slides(notebook)  # slide types follow the structure (tools/slides.py)
    text = nbformat.writes(notebook)
    text += "" if text.endswith("\n") else "\n"  # as nbformat.write saves it
    if text.encode() == path.read_bytes():
        print(f"executed {shown(path)} in {time.perf_counter() - start:.1f} s; unchanged")
        return
    saved = backup(path) if keep_backup else None
    path.write_text(text, encoding="utf-8")
    note = f"; the previous version is in {shown(saved)}" if saved else ""
    print(f"executed {shown(path)} in {time.perf_counter() - start:.1f} s{note}", flush=True)


def shown(path: Path) -> str:
    """The path relative to the current folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(args: list[str]) -> int:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    options = {a for a in args if a.startswith("--")}
    unknown = options - {"--anywhere", "--no-backup"}
    if unknown:
        print(f"execute_notebooks: unknown option {sorted(unknown)[0]}", file=sys.stderr)
        return 2
    try:
        paths = [
            check_path(Path(a), "--anywhere" in options) for a in args if not a.startswith("--")
        ]
    except Refused as refused:
        print(f"execute_notebooks: {refused}", file=sys.stderr)
        return 2
    for path in paths:
        execute(path, keep_backup="--no-backup" not in options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
