"""Re-execute notebooks in place, each in a fresh kernel, top to bottom.

Usage: python tools/execute_notebooks.py notebooks/01_the_activation_unit.ipynb ...
(``python3 run.py execute`` calls this with every notebook.)

Widget state is saved with the outputs, so the committed notebooks show their
widgets in static renderers that support it (nbconvert HTML, nbviewer). Every
cell's slide type is set from the notebook's structure (tools/slides.py).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from slides import assign_slides  # tools/slides.py, beside this file


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    assign_slides(notebook)  # slide types follow the structure (tools/slides.py)
    nbformat.write(notebook, path)
    print(f"executed {path} in {time.perf_counter() - start:.1f} s", flush=True)


def main(paths: list[str]) -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    for name in paths:
        execute(Path(name))


if __name__ == "__main__":
    main(sys.argv[1:])
