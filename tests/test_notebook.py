"""The example notebook runs from start to end with a kernel from this environment, and is committed clean."""

import json
import sys

import nbformat
from nbclient import NotebookClient

from pipeline import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "examples" / "explore.ipynb"
KERNEL = "wg-som-test-kernel"


def test_notebook_is_committed_without_outputs_or_execution_counts():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def test_notebook_runs_end_to_end_and_answers_both_questions(tmp_path, monkeypatch):
    # A kernel spec of our own that runs this interpreter, so no other Jupyter installation's kernel is picked up.
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "wg-som tests", "language": "python",
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name=KERNEL,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    printed = "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                      for output in cell.outputs if output.output_type == "stream")
    assert "174 rows, 5 meetings, the same in pandas, polars and duckdb" in printed
    first_meeting = "Meeting 1: 38.2% of recommendations say «возможно, пожелают», 52.7% say «следует»."
    assert first_meeting in printed, printed
    assert "Meeting 5 mentions the Protocol in the largest share of its recommendations: 6 of 22 (27.3%)." in printed
    assert not [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs
                if o.output_type == "error"]
