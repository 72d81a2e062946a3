"""One real sidecar (one JVM, local Spark) for the whole test session, driven over its pipes as the
daemon drives it, plus the data files the tests fit."""

from __future__ import annotations

import itertools
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pytest

SIDECAR_DIR = Path(__file__).resolve().parent.parent
# Bounds that only catch a hang (the machine may be slow and shared); never a timing assertion.
START_BOUND = 300.0
FIT_BOUND = 240.0
STARTUP: dict[str, float] = {}


def sidecar_environment(**changes: Optional[str]) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SIDECAR_DIR) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


class Sidecar:
    """The sidecar process: requests written to its stdin, every stdout line parsed as an event."""

    def __init__(self, arguments: list[str], stderr_path: Path):
        self.stderr_path = stderr_path
        self._stderr = open(stderr_path, "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "ballast_spark", *arguments],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                        env=sidecar_environment(), cwd=tempfile.gettempdir())
        self.events: "queue.Queue[dict[str, Any]]" = queue.Queue()
        self.not_json: list[bytes] = []      # stdout lines that were not one JSON object: must stay empty
        self.all_events: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                event = json.loads(line)
                assert isinstance(event, dict) and "event" in event
            except (ValueError, AssertionError):
                self.not_json.append(line)
                continue
            self.all_events.append(event)
            self.events.put(event)

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()

    def send_raw(self, line: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line)
        self.process.stdin.flush()

    def next_event(self, bound: float = FIT_BOUND) -> dict[str, Any]:
        try:
            return self.events.get(timeout=bound)
        except queue.Empty:
            raise AssertionError(f"the sidecar said nothing for {bound:.0f} s; its stderr ends:\n{self.stderr_tail()}") from None

    def wait_for(self, predicate, bound: float = FIT_BOUND) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The first event that `predicate` accepts, and the events before it."""
        deadline = time.monotonic() + bound
        skipped = []
        while True:
            event = self.next_event(max(0.1, deadline - time.monotonic()))
            if predicate(event):
                return event, skipped
            skipped.append(event)

    def new_id(self) -> str:
        return f"test-{next(self._ids)}"

    def start_fit(self, **fields: Any) -> str:
        request_id = fields.pop("id", None) or self.new_id()
        self.send({"op": "fit", "id": request_id, **fields})
        return request_id

    def fit(self, **fields: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Sends a fit and waits for its answer: (result or error event, its progress events)."""
        request_id = self.start_fit(**fields)
        answer, before = self.wait_for(lambda e: e.get("id") == request_id and e["event"] in ("result", "error"))
        assert all(e["event"] == "progress" for e in before if e.get("id") == request_id), before
        return answer, [e for e in before if e.get("id") == request_id]

    def stderr_tail(self, lines: int = 20) -> str:
        self._stderr.flush()
        return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])

    def close(self) -> int:
        if self.process.poll() is None:
            try:
                self.send({"op": "shutdown"})
            except BrokenPipeError:
                pass
        try:
            code = self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._reader.join(timeout=10)
        self._stderr.close()
        return code


@pytest.fixture(scope="session")
def sidecar(tmp_path_factory) -> Sidecar:
    started = time.monotonic()
    # Settings for a short test run only (the daemon passes none of them): no web UI, and the JIT's
    # quick tier alone, which halves the JVM's warm-up on small data and a shared machine.
    side = Sidecar(["--conf", "spark.ui.enabled=false", "--conf", "spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1",
                    "--app-name", "ballast-tests"],
                   tmp_path_factory.mktemp("sidecar") / "stderr.txt")
    ready = side.next_event(START_BOUND)
    assert ready["event"] == "ready", (ready, side.stderr_tail())
    STARTUP["ready_seconds"] = time.monotonic() - started
    yield side
    code = side.close()
    assert code == 0, side.stderr_tail()
    assert side.not_json == [], f"stdout carried lines that are not protocol events: {side.not_json[:5]}"


def pytest_terminal_summary(terminalreporter) -> None:
    if "ready_seconds" in STARTUP:
        terminalreporter.write_line(f"Spark sidecar: ready (JVM and local Spark up) in {STARTUP['ready_seconds']:.1f} s")


# ---- data -------------------------------------------------------------------------------------

def float32_text(value: np.float32) -> str:
    """A float32 written so that reading it back as float32 gives the same value."""
    return np.format_float_positional(np.float32(value), unique=True, trim="-") if abs(value) >= 1e-4 or value == 0 \
        else np.format_float_scientific(np.float32(value), unique=True, trim="-")


def write_csv(path: Path, X: np.ndarray, labels: list[str], names: list[str], label: str = "Class",
              delimiter: str = ",", header: bool = True) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        if header:
            f.write(delimiter.join(names + [label]) + "\n")
        for row, y in zip(X, labels):
            f.write(delimiter.join(float32_text(v) for v in row) + delimiter + y + "\n")
    return path


class Data:
    def __init__(self, path: Path, X: np.ndarray, y: np.ndarray, classes: list[str], features: list[str]):
        self.path, self.X, self.y, self.classes, self.features = path, X, y, classes, features


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def binary_data(data_dir) -> Data:
    """Imbalanced binary data, about 8% positives: features float32, as Ballast stores them."""
    rng = np.random.default_rng(15)
    n, beta = 3000, np.array([1.2, -0.8, 0.5, 2.0, -1.5])
    X = (rng.normal(size=(n, 5)) * [1.0, 2.0, 0.5, 1.0, 3.0] + [0.0, 1.0, -1.0, 0.5, 0.0]).astype(np.float32)
    y = (X.astype(np.float64) @ beta + rng.logistic(size=n) > 4.0).astype(int)
    names = [f"V{i + 1}" for i in range(5)]
    path = write_csv(data_dir / "binary.csv", X, [str(v) for v in y], names)
    return Data(path, X.astype(np.float64), y, ["0", "1"], names)


@pytest.fixture(scope="session")
def multiclass_data(data_dir) -> Data:
    """Three classes with text labels, unequal sizes."""
    rng = np.random.default_rng(16)
    n = 2400
    X = rng.normal(size=(n, 4)).astype(np.float32)
    W = np.array([[1.0, -1.0, 0.5, 0.0], [-0.5, 1.5, 0.0, 1.0], [0.0, 0.0, -1.0, -1.5]])
    logits = X.astype(np.float64) @ W.T + [0.5, 0.0, -1.0]
    y = np.array([rng.choice(3, p=np.exp(z) / np.exp(z).sum()) for z in logits])
    classes = ["ant", "bee", "cat"]
    names = ["a", "b", "c", "d"]
    path = write_csv(data_dir / "multi.csv", X, [classes[k] for k in y], names, label="kind")
    return Data(path, X.astype(np.float64), y, classes, names)


@pytest.fixture(scope="session")
def separable_data(data_dir) -> Data:
    """Perfectly separable data, for the cancel tests' long fit: with l2 = 0 and tol = 0 the
    coefficients grow without bound, and L-BFGS stops only when the gradient underflows (after some
    40-odd iterations, whatever the size). The size makes those iterations cost: 40,000 rows of 20
    features take L-BFGS about 14 s here (2 shared cores) where 4,000 rows of 3 took about 5 s, and
    the cancel tests fail at once, saying so, if a fit ends before they cancel it."""
    rng = np.random.default_rng(17)
    n, d = 40_000, 20
    X = rng.normal(size=(n, d)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    names = [f"s{i + 1}" for i in range(d)]
    path = data_dir / "separable.csv"
    # `%.9g` writes every float32 exactly (9 significant digits round-trip), and fast.
    np.savetxt(path, np.column_stack([X.astype(np.float64), y]), fmt=["%.9g"] * d + ["%d"], delimiter=",",
               header=",".join(names + ["Class"]), comments="")
    return Data(path, X.astype(np.float64), y, ["0", "1"], names)


def fit_request(data: Data, **overrides: Any) -> dict[str, Any]:
    request = {"path": str(data.path), "format": "csv", "csv": {"delimiter": ",", "header": True},
               "label": "Class", "features": list(data.features), "classes": list(data.classes),
               "positive": 1, "class_weights": None, "family": "binomial", "l2": 1e-4,
               "max_iter": 1000, "tol": 1e-10}
    request.update(overrides)
    return request
