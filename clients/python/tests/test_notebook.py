"""examples/notebooks/seed.ipynb runs: executed with nbclient on a real ipykernel (the kernel
``python3``, the interpreter running these tests, finding ``ballast_client`` through PYTHONPATH)
against ``$BALLASTD``. It must run without an error, draw its plots, show the comparison table
with its best row marked, show its trainings' progress, stop the daemon it started and leave
nothing behind: not in the temporary folder, not in the user's state directory."""

from __future__ import annotations

import json
import os
import signal
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

from ballast_client import RPCError  # noqa: E402
from ballast_client.html import BEST_MARK  # noqa: E402
from ballast_client.liveness import process_is_gone  # noqa: E402

from conftest import Daemon, daemon_binary  # noqa: E402
from helpers import HERE, REPO  # noqa: E402

NOTEBOOK = REPO / "examples" / "notebooks" / "seed.ipynb"
PLOT_CALLS = ("plots.sweep_plot(", "plots.pr_curves(", "plots.training_curves(", "plots.reliability_diagram(")
CELL_TIMEOUT = 600  # seconds: only catches a hang (the whole notebook takes about half a minute)


def code_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_the_committed_notebook_has_no_outputs():
    """Outputs are stripped before committing: the file is the code and the words, nothing run."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in code_cells(notebook):
        assert cell.outputs == [] and cell.execution_count is None, f"a cell has outputs:\n{cell.source}"
    assert notebook.metadata.kernelspec.name == "python3"


def daemon_has_predict_prior_correction(folder: Path) -> bool:
    """The notebook's reliability diagram asks model/predict for prior_correction (protocol 1.6)."""
    folder.mkdir()
    daemon = Daemon(folder, "--ephemeral")
    try:
        with daemon.client() as client:
            client.initialize("test_notebook")
            try:
                client.call("model/predict", {"model": "none", "rows": [[0.0]], "prior_correction": False})
            except RPCError as error:
                return not (error.code == -32602 and "prior_correction" in error.message)
            return True
    finally:
        daemon.terminate()
        daemon.close()


class Table(HTMLParser):
    """The cells of an HTML table's rows, and which rows are marked best (``data-best``)."""

    def __init__(self):
        super().__init__()
        self.header: list[str] = []
        self.rows: list[tuple[bool, list[str]]] = []
        self._cells: list[str] | None = None
        self._text: str | None = None
        self._best = False
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._cells, self._best = [], dict(attrs).get("data-best") == "true"
        elif tag in ("td", "th"):
            self._text = ""

    def handle_data(self, data):
        if self._text is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cells is not None and self._text is not None:
            self._cells.append(self._text.strip())
            self._text = None
        elif tag == "tr" and self._cells is not None:
            if self._in_head:
                self.header = self._cells
            else:
                self.rows.append((self._best, self._cells))
            self._cells = None
        elif tag == "thead":
            self._in_head = False


def output_html(cell) -> str:
    return "".join(o.data["text/html"] for o in cell.outputs if "text/html" in o.get("data", {}))


def stop_leftover_daemons(tmp: Path) -> list[int]:
    """SIGTERM to any daemon the notebook started and did not stop (it failed before its last cell)."""
    stopped = []
    for connection_file in tmp.glob("ballast-notebook-*/ballastd.json"):
        try:
            pid = json.loads(connection_file.read_text())["pid"]
        except (OSError, ValueError, KeyError):
            continue
        if not process_is_gone(pid):
            os.kill(pid, signal.SIGTERM)
            stopped.append(pid)
    deadline = time.monotonic() + 15
    while any(not process_is_gone(pid) for pid in stopped) and time.monotonic() < deadline:
        time.sleep(0.05)
    return stopped


def test_the_seed_notebook_runs_and_draws_its_plots(tmp_path):
    if not daemon_has_predict_prior_correction(tmp_path / "probe"):
        pytest.skip("this ballastd's model/predict has no prior_correction (protocol 1.6), which the notebook uses")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tmp, user_state, user_runtime, work = (tmp_path / name for name in ("tmp", "user-state", "user-runtime", "cwd"))
    for folder in (tmp, user_state, user_runtime, work):
        folder.mkdir(mode=0o700)
    env = {name: value for name, value in os.environ.items()
           if name not in ("BALLAST_STATE_DIR", "BALLAST_CONNECTION_FILE", "MPLBACKEND")}
    env.update({
        "BALLASTD": str(daemon_binary()),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")])),
        "TMPDIR": str(tmp),                      # where the notebook's tempfile.mkdtemp() lands
        "XDG_STATE_HOME": str(user_state),       # the user's default state directory and connection file
        "XDG_RUNTIME_DIR": str(user_runtime),
    })
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=CELL_TIMEOUT, startup_timeout=120,
                                     resources={"metadata": {"path": str(work)}})
    try:
        client.execute(env=env)  # raises CellExecutionError, with the cell and its traceback, on an error
    finally:
        left_running = stop_leftover_daemons(tmp)
    assert not left_running, f"the notebook left its daemon running (pid {left_running})"

    cells = code_cells(notebook)
    errors = [o for cell in cells for o in cell.outputs if o.output_type == "error"]
    assert not errors, errors

    # Its plots: one figure per plotting cell, and no other.
    for cell in cells:
        images = sum("image/png" in o.get("data", {}) for o in cell.outputs)
        expected = sum(call in cell.source for call in PLOT_CALLS)
        assert images == expected, f"{images} images from a cell that draws {expected}:\n{cell.source}"
    assert sum("image/png" in o.get("data", {}) for cell in cells for o in cell.outputs) == len(PLOT_CALLS)

    # The comparison table as HTML, its best F1 marked.
    [compare] = [cell for cell in cells if "bl.experiment.compare(" in cell.source]
    table = Table()
    table.feed(output_html(compare))
    assert table.header[:6] == ["arm", "description", "recall", "precision", "F1", "PR-AUC"], table.header
    assert len(table.rows) >= 7, "every arm of the seed's table"
    f1 = table.header.index("F1")
    best = max(float(cells_[f1]) for _, cells_ in table.rows)
    marked = [cells_ for is_best, cells_ in table.rows if is_best]
    assert marked and all(float(row[f1]) == best for row in marked), (best, marked)
    assert all(row[0].startswith(BEST_MARK + " ") for row in marked)
    assert not any(row[0].startswith(BEST_MARK) for is_best, row in table.rows if not is_best)
    assert "ce_best_f1" in [row[0].removeprefix(BEST_MARK).strip() for _, row in table.rows]

    # The sweep's table marks its best value too.
    [sweep] = [cell for cell in cells if "bl.experiment.sweep(" in cell.source]
    sweep_table = Table()
    sweep_table.feed(output_html(sweep))
    assert len(sweep_table.rows) == 6 and sum(is_best for is_best, _ in sweep_table.rows) >= 1

    # The trainings showed their progress: a text bar (the steps, the loss and the validation F1)
    # or, where ipywidgets is installed, a widget.
    [trainings] = [cell for cell in cells if 'name="wce"' in cell.source]
    text = "".join(o.text for o in trainings.outputs if o.output_type == "stream")
    widgets = [o for o in trainings.outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets or ("steps" in text and "loss=" in text and "val_f1=" in text), text[-2000:]

    # It stopped its daemon and removed its folder; the user's state directory was never touched.
    [first] = [o.text for o in cells[0].outputs if o.output_type == "stream"]
    pid = int(first.split("(pid ")[1].split(")")[0])
    assert process_is_gone(pid)
    assert list(tmp.iterdir()) == [], list(tmp.iterdir())
    assert list(user_state.iterdir()) == [] and list(user_runtime.iterdir()) == []
