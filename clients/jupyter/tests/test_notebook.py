"""examples/notebooks/seed-kernel.ipynb, the seed's experiment as cells of Ballast commands, executed
with nbclient on the real Ballast kernel against a private daemon: no error, the compare table as
HTML with its best row marked, the plot as SVG charts, progress shown in place."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from helpers import HANG, REPO

NOTEBOOK = REPO / "examples" / "notebooks" / "seed-kernel.ipynb"


def code_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def outputs_of(cell, output_type: str | None = None, mime: str | None = None) -> list:
    return [output for output in cell.outputs
            if (output_type is None or output.output_type == output_type)
            and (mime is None or mime in output.get("data", {}))]


def test_the_committed_notebook_has_no_outputs_and_names_the_ballast_kernel():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "ballast"
    for cell in code_cells(notebook):
        assert cell.outputs == [] and cell.execution_count is None, f"a cell has outputs:\n{cell.source}"


def test_the_seed_notebook_runs_on_the_ballast_kernel(daemon):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=HANG, kernel_name="ballast",
                            resources={"metadata": {"path": str(daemon.folder)}})
    client.execute(env=daemon.env)
    cells = {cell.source.split()[0]: cell for cell in code_cells(notebook)}  # the last `train` is the network's

    errors = [(cell.source, output) for cell in code_cells(notebook) for output in outputs_of(cell, "error")]
    assert errors == []

    compare = cells["compare"]
    [result] = outputs_of(compare, "execute_result")
    table = result.data["text/html"]
    assert table.startswith('<div class="ballast-output"') and "<table" in table, result.data
    assert "WCE (inverse)" in table and "CE + SMOTE" in table
    assert "* best F1" in result.data["text/plain"]

    charts = [output.data["image/svg+xml"] for output in outputs_of(cells["plot"], "display_data", "image/svg+xml")]
    assert len(charts) >= 2, cells["plot"].outputs  # the loss by step, validation F1, the PR curve…
    assert all(chart.lstrip().startswith("<svg") and chart.rstrip().endswith("</svg>") for chart in charts)

    # The network's training showed its progress display; nbclient keeps the last state it drew.
    training = cells["train"]
    assert "model=mlp" in training.source
    bars = [output for output in outputs_of(training, "display_data", "text/html")
            if "ballast-progress" in output.data["text/html"]]
    assert bars and "done" in bars[-1].data["text/html"], training.outputs
