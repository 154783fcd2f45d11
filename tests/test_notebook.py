"""The example notebook runs from start to end with a kernel from this environment, and is committed clean."""

import pytest
import csv
import json
import sys
from collections import Counter

import nbformat
from nbclient import NotebookClient

from pipeline import DEFAULT_OUT, PROJECT_ROOT

pytestmark = pytest.mark.slow  # starts a Jupyter kernel

NOTEBOOK = PROJECT_ROOT / "examples" / "explore.ipynb"
KERNEL = "wg-som-test-kernel"


def test_notebook_is_committed_without_outputs_or_execution_counts():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def focus_change() -> list[str]:
    """The lines the notebook prints on the themes of 2012-2013 against 2017-2018, counted here from the CSV."""
    with (DEFAULT_OUT / "recommendations.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["kind"] != "chapeau"]
    sides = [[row for row in rows if int(row["meeting"]) <= 2], [row for row in rows if int(row["meeting"]) >= 4]]
    years = [f"{min(r['year'] for r in side)}–{max(r['year'] for r in side)}" for side in sides]
    shares = [Counter(code for row in side for code in row["themes"].split(";") if code) for side in sides]
    with (DEFAULT_OUT / "themes.csv").open(encoding="utf-8", newline="") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    share = {code: [shares[i][code] / len(sides[i]) for i in (0, 1)] for code in codes}
    # as the notebook sorts: by change, then by the later share, both descending (a stable sort keeps code order)
    ordered = sorted(codes, key=lambda c: (share[c][1] - share[c][0], share[c][1]), reverse=True)
    return [f"{len(sides[0])} recommendations in {years[0]}, {len(sides[1])} in {years[1]}."] + [
        f"{label}: {code}, {share[code][0]:.1%} of recommendations in {years[0]}, {share[code][1]:.1%} in {years[1]}."
        for label, code in (("Largest rise", ordered[0]), ("Largest fall", ordered[-1]))]


def test_notebook_runs_end_to_end_and_answers_all_three_questions(tmp_path, monkeypatch):
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
    assert "pairs, the same in pandas and duckdb" in printed
    for line in focus_change():
        assert line in printed, (line, printed)
    assert not [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs
                if o.output_type == "error"]
