"""Write notebooks with deliberately broken demos, to see the browser test catch them.

    .venv/bin/python tests/browser/broken_notebooks.py /tmp/broken
    BROWSER_TEST_NOTEBOOKS=/tmp/broken .venv/bin/pytest tests/browser

Every test must FAIL, each with a message naming what broke. Not collected by
pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SETUP = "from helpers.widgets import ActivationExplorer"

BROKEN = {
    # The callback raises once z moves: the demo's red error box must be caught.
    "broken_callback_raises": """
class RaisingExplorer(ActivationExplorer):
    def update(self):
        if float(self.value("z")) != 1.0:
            raise ValueError("broken on purpose")
        return super().update()

RaisingExplorer(z=1.0)
""",
    # The readout follows z but the figure does not (the same pixels every time).
    "broken_figure_frozen": """
class FrozenExplorer(ActivationExplorer):
    def update(self):
        readout = super().update()
        self.point.set_data([1.0], [0.7310585786300049])  # always drawn at z = 1
        self.tangent.set_data([], [])
        self.slope_point.set_data([], [])
        return readout

FrozenExplorer(z=1.0)
""",
    # The figure is never sent again after the first draw.
    "broken_figure_not_sent": """
class SilentExplorer(ActivationExplorer):
    def refresh(self):
        if self.image.value:
            self.readout.value = self.update()
        else:
            super().refresh()

SilentExplorer(z=1.0)
""",
    # The callback warns (as NumPy does on an overflow) but still draws: the
    # warning goes to JupyterLab's log console, not to any cell.
    "broken_callback_warns": """
import warnings


class WarningExplorer(ActivationExplorer):
    def update(self):
        if float(self.value("z")) != 1.0:
            warnings.warn("overflow on purpose", RuntimeWarning, stacklevel=1)
        return super().update()


WarningExplorer(z=1.0)
""",
    # A widget view whose model the kernel never created ("model not found").
    "broken_widget_model_missing": """
from IPython.display import display

view = {"model_id": "0" * 32, "version_major": 2, "version_minor": 0}
display({"application/vnd.jupyter.widget-view+json": view, "text/plain": "a widget"}, raw=True)
""",
    # An uncaught JavaScript error in the page.
    "broken_javascript_error": """
from IPython.display import Javascript, display

display(Javascript("setTimeout(() => { throw new Error('broken on purpose'); }, 0)"))
""",
}


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, code in BROKEN.items():
        notebook = new_notebook(
            cells=[
                new_markdown_cell(f"# {name.replace('_', ' ').capitalize()}"),
                new_code_cell(SETUP),
                new_code_cell(code.strip()),
            ]
        )
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        nbformat.write(notebook, out / f"{name}.ipynb")
        print(out / f"{name}.ipynb")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "artifacts/broken_notebooks")
