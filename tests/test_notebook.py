"""The example notebook runs top to bottom and shows the worked example as Markdown."""
from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "worked_example.ipynb"


def test_the_example_notebook_executes_and_displays_the_document(monkeypatch):
    # the kernel imports this checkout's derive, not an installed copy
    monkeypatch.setenv("PYTHONPATH", str(NOTEBOOK.parent.parent))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = [o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})]
    assert len(shown) == 1 and "## 3. Backward pass" in shown[0]
    assert "data:image/svg+xml;base64," in shown[0]  # the picture travels inside the notebook
    texts = " ".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in outputs)
    assert "0.08216704" in texts  # dE/dw5 of the classic post, 0.082167041
