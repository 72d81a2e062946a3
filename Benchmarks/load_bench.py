#!/usr/bin/env python3
"""CSV load throughput: ballastd's `dataset/load` beside pandas and polars, in the same run.

The file is a synthetic stand-in for the public credit-card fraud data: 284,807 rows x 31 numeric
columns (Time, V1..V28, Amount, Class with 492 ones), about 82 MB, made once with a fixed seed and
cached under Benchmarks/data/ (gitignored).

Each reader is timed REPS times, the readers taking turns (the order rotating each repetition) so
the noise of a shared machine falls on all of them alike; the figures are medians. One untimed
warm-up load of each reader comes first, so every timed run reads the file from the page cache.

Memory: ballastd's VmRSS before its first load and after loading, against the bytes of the float32
matrix plus the int32 class column that the daemon keeps; and the peak (VmHWM) increase.

Usage: BALLASTD=.build/release/ballastd python3 Benchmarks/load_bench.py [--reps 5]
Prints figures only; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"

ROWS = 284_807
FRAUD = 492
SEED = 20_130_905  # any fixed number: the data must be the same on every machine
FEATURES = ["Time"] + [f"V{i}" for i in range(1, 29)] + ["Amount"]
COLUMNS = FEATURES + ["Class"]
# Bytes the daemon keeps per row: 30 float32 features and one int32 class index (Dataset.byteCount).
MATRIX_BYTES = ROWS * (len(FEATURES) * 4 + 4)


# -- the data --------------------------------------------------------------------------------------

def make_data(path: Path) -> None:
    """Writes the credit-card-like CSV to `path` (atomically: a temporary file renamed over it)."""
    rng = np.random.default_rng(SEED)
    # Time: seconds since the first transaction over two days, increasing, integer-valued floats.
    seconds = np.sort(rng.uniform(0, 172_792, ROWS)).round()
    # V1..V28: PCA components, centred, with the real file's standard deviations (1.96 down to 0.33).
    spread = np.array([1.96, 1.65, 1.52, 1.42, 1.38, 1.33, 1.24, 1.19, 1.10, 1.09, 1.02, 1.00, 1.00, 0.96,
                       0.92, 0.88, 0.85, 0.84, 0.81, 0.77, 0.73, 0.73, 0.62, 0.61, 0.52, 0.48, 0.40, 0.33])
    components = rng.standard_normal((ROWS, 28)) * spread
    # Amount: skewed, cents, like card payments (median about 20, a long tail).
    amount = np.minimum(np.round(rng.lognormal(3.0, 1.6, ROWS), 2), 25_691.16)
    labels = np.zeros(ROWS)
    fraud = rng.choice(ROWS, FRAUD, replace=False)
    labels[fraud] = 1
    components[fraud, :] += rng.normal(0, 1.5, (FRAUD, 28))  # frauds sit apart, as in the real file

    table = np.column_stack([seconds, components, amount, labels])
    fmt = ["%.1f"] + ["%.6f"] * 28 + ["%.2f", "%d"]
    DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with open(partial, "w", newline="\n") as out:
        out.write(",".join(COLUMNS) + "\n")
        np.savetxt(out, table, fmt=fmt, delimiter=",")
    os.replace(partial, path)


def data_file() -> Path:
    path = DATA / f"creditcard-like-{ROWS}-seed{SEED}.csv"
    if not path.exists():
        started = time.perf_counter()
        print(f"Making {path.relative_to(ROOT)} (once; cached)…", flush=True)
        make_data(path)
        print(f"  {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s", flush=True)
    return path


# -- the daemon ------------------------------------------------------------------------------------

def connect(connection_file: Path):
    """A client of the daemon: clients/python's when it imports, else a minimal one on pyzmq."""
    sys.path.insert(0, str(ROOT / "clients" / "python"))
    try:
        from ballast_client import Client, ConnectionInfo  # type: ignore

        client = Client(ConnectionInfo.load(connection_file))
        client.initialize("load-bench", "0.1")
        return client, "clients/python ballast_client"
    except ImportError:
        client = RawClient(json.loads(connection_file.read_text()))
        client.call("initialize", {"client": {"name": "load-bench"}, "protocol_version": "1.0"})
        return client, "raw pyzmq (ballast_client did not import)"


class RawClient:
    """Signed JSON-RPC on a DEALER, per protocol/README.md: frames [hex HMAC-SHA256, payload]."""

    def __init__(self, info: dict):
        import hashlib
        import hmac
        import secrets

        import zmq

        self._hmac, self._sha256, self._zmq = hmac, hashlib.sha256, zmq
        self.key = info["key"].encode("utf-8")
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.setsockopt(zmq.ROUTING_ID, os.urandom(16))
        self.socket.connect(f"tcp://{info['ip']}:{info['request_port']}")
        self.next_id = secrets.randbits(40)  # ids must never repeat under one key

    def call(self, method: str, params: dict | None = None, timeout: float = 300.0):
        self.next_id += 1
        request_id = self.next_id
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        payload = json.dumps(message, separators=(",", ":")).encode("utf-8")
        signature = self._hmac.new(self.key, payload, self._sha256).hexdigest().encode("ascii")
        self.socket.send_multipart([signature, payload])
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.socket.poll(int(left * 1000) + 1):
                raise TimeoutError(f"no reply to {method} within {timeout} s")
            frames = self.socket.recv_multipart()
            expected = self._hmac.new(self.key, frames[-1], self._sha256).hexdigest().encode("ascii")
            if len(frames) != 2 or not self._hmac.compare_digest(frames[0], expected):
                continue
            reply = json.loads(frames[1])
            if reply.get("id") != request_id:
                continue
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            return reply.get("result")

    def close(self) -> None:
        self.socket.close()
        self.context.term()


class Daemon:
    """A private, ephemeral ballastd; `extra` adds command-line arguments (ooc_bench.py's budget),
    and `stop_seconds` is how long a SIGTERM is given before a kill."""

    def __init__(self, executable: str, extra: tuple[str, ...] = (), stop_seconds: float = 15):
        self.stop_seconds = stop_seconds
        self.folder = Path(tempfile.mkdtemp(prefix="ballast-load-bench-"))
        self.connection_file = self.folder / "ballastd.json"
        self.log = open(self.folder / "ballastd.log", "wb")
        self.process = subprocess.Popen(
            # Ephemeral: the benchmark measures reading, and must not leave datasets in the user's state directory.
            [executable, "--connection-file", str(self.connection_file), "--log-level", "warning", "--ephemeral",
             *extra],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not self.connection_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"ballastd wrote no connection file; log: {self.folder / 'ballastd.log'}")
            time.sleep(0.02)

    def memory_kb(self) -> dict[str, int]:
        """VmRSS and VmHWM of the daemon, in kB, from /proc."""
        figures = {}
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    figures[name] = int(value.split()[0])
        return figures

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(self.stop_seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return None
        self.log.close()
        for leftover in self.folder.iterdir():
            leftover.unlink()
        self.folder.rmdir()
        return self.process.returncode


# -- the readers -----------------------------------------------------------------------------------

def pandas_reader(engine: str):
    import pandas as pd

    dtypes = {name: np.float32 for name in FEATURES}
    dtypes["Class"] = np.int8

    def read(path: Path):
        return pd.read_csv(path, engine=engine, dtype=dtypes)

    return read


def polars_reader():
    import polars as pl

    def read(path: Path):
        return pl.read_csv(path)

    return read


def frame_bytes(frame) -> int:
    if hasattr(frame, "estimated_size"):  # polars
        return int(frame.estimated_size())
    return int(frame.memory_usage(deep=True).sum())  # pandas


# -- the run ---------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--ballastd", default=os.environ.get("BALLASTD", str(ROOT / ".build/release/ballastd")))
    args = parser.parse_args()

    path = data_file().resolve()
    megabytes = path.stat().st_size / 1e6

    readers: dict[str, object] = {}
    notes: list[str] = []
    readers["pandas_c"] = pandas_reader("c")
    try:
        import pyarrow  # noqa: F401

        readers["pandas_pyarrow"] = pandas_reader("pyarrow")
    except ImportError:
        notes.append("pandas engine=pyarrow skipped: pyarrow is not installed")
    readers["polars"] = polars_reader()

    daemon = Daemon(args.ballastd)
    client = None
    try:
        client, client_kind = connect(daemon.connection_file)
        params = {"path": str(path), "label": "Class", "name": "bench"}

        def ballast_load():
            started = time.perf_counter()
            result = client.call("dataset/load", params, timeout=300)
            return time.perf_counter() - started, result

        # Warm-up, untimed: one load of each (the page cache, thread pools, lazy imports).
        before = daemon.memory_kb()
        _, first = ballast_load()
        after_first = daemon.memory_kb()
        summary = first["dataset"]
        listed = client.call("dataset/list")
        client.call("dataset/drop", {"dataset": "bench"})
        frame_sizes = {}
        for name, read in readers.items():
            frame = read(path)
            frame_sizes[name] = frame_bytes(frame)
            del frame
            gc.collect()

        # Timed: REPS of each, taking turns, the order rotating.
        order = ["ballast"] + list(readers)
        wall: dict[str, list[float]] = {name: [] for name in order}
        daemon_seconds: list[float] = []
        for rep in range(args.reps):
            shift = rep % len(order)
            for name in order[shift:] + order[:shift]:
                if name == "ballast":
                    seconds, result = ballast_load()
                    daemon_seconds.append(result["seconds"])
                    client.call("dataset/drop", {"dataset": "bench"})
                else:
                    started = time.perf_counter()
                    frame = readers[name](path)
                    wall[name].append(time.perf_counter() - started)
                    del frame
                    gc.collect()
                    continue
                wall["ballast"].append(seconds)

        # Memory after one final load, following the load/drop cycles.
        ballast_load()
        final = daemon.memory_kb()
    finally:
        if client is not None:
            client.close()
        status = daemon.stop()

    # -- report ------------------------------------------------------------------------------------
    median = {name: statistics.median(times) for name, times in wall.items()}
    median["ballast_daemon"] = statistics.median(daemon_seconds)
    labels = {
        "ballast": "ballast dataset/load (client round trip)",
        "ballast_daemon": "ballast dataset/load (daemon's own seconds)",
        "pandas_c": "pandas read_csv engine=c, float32",
        "pandas_pyarrow": "pandas read_csv engine=pyarrow, float32",
        "polars": "polars read_csv (default, multithreaded)",
    }
    rows = ["ballast", "ballast_daemon"] + list(readers)
    cores = len(os.sched_getaffinity(0))
    print(f"CSV load: {path.name}, {megabytes:.1f} MB, {ROWS:,} rows x {len(COLUMNS)} columns; "
          f"{args.reps} alternating repetitions, medians; {cores} cores; file in page cache")
    print(f"ballastd loaded {summary.get('rows')} rows x {summary.get('features')} features, classes "
          + ", ".join(f"{c['label']}: {c['count']}" for c in summary.get("classes", [])))
    width = max(len(labels[name]) for name in rows)
    print(f"{'':{width}}  {'median s':>9}  {'min s':>7}  {'MB/s':>7}  {'speed vs polars':>15}")
    for name in rows:
        times = wall.get(name, daemon_seconds)
        speed = megabytes / median[name]
        print(f"{labels[name]:{width}}  {median[name]:9.3f}  {min(times):7.3f}  {speed:7.1f}  "
              f"{median['polars'] / median[name]:14.2f}x")
    print("  speed vs polars = polars' median time / this reader's median time (above 1: faster than polars).")
    print("  polars and pyarrow parse on every core; ballastd parses in parallel chunks too.")
    for note in notes:
        print(f"  note: {note}")

    def mb(kilobytes: int) -> float:
        return kilobytes * 1024 / 1e6

    frame_labels = {"pandas_c": "pandas DataFrame (engine=c, float32)",
                    "pandas_pyarrow": "pandas DataFrame (engine=pyarrow, float32)",
                    "polars": "polars DataFrame (float64, int64)"}
    rss_first = mb(after_first["VmRSS"] - before["VmRSS"])
    rss_final = mb(final["VmRSS"] - before["VmRSS"])
    hwm = mb(final["VmHWM"] - before["VmHWM"])
    matrix = MATRIX_BYTES / 1e6
    print()
    print(f"Memory of ballastd (VmRSS before the first load: {mb(before['VmRSS']):.1f} MB)")
    print(f"{'':53}  {'MB':>7}  {'/ matrix':>8}")
    memory_rows = [
        ("float32 matrix + int32 classes (284,807 x 31)", matrix),
        ("daemon's bytes_used (dataset/list)", listed["bytes_used"] / 1e6),
        ("RSS increase after the first load", rss_first),
        (f"RSS increase after the final load ({args.reps} drops)", rss_final),
        ("peak (VmHWM) increase over the whole run", hwm),
    ] + [(f"for scale: {frame_labels[name]}", frame_sizes[name] / 1e6) for name in readers]
    for label, value in memory_rows:
        print(f"{label:53}  {value:7.1f}  {value / matrix:8.2f}")
    print("  the peak includes the file's pages while the loader has it mapped (file-backed, shared with the")
    print("  page cache): about the file's size on top of the matrix while a load runs.")
    print(f"ballastd stopped with SIGTERM, exit status {status}; client: {client_kind}")

    record = {
        "bench": "csv_load",
        "file_mb": round(megabytes, 2), "rows": ROWS, "columns": len(COLUMNS), "reps": args.reps, "cores": cores,
        "seconds": {name: round(median[name], 4) for name in rows},
        "mb_per_s": {name: round(megabytes / median[name], 1) for name in rows},
        "speed_vs_polars": {name: round(median["polars"] / median[name], 3) for name in rows},
        "matrix_mb": round(matrix, 2),
        "rss_before_mb": round(mb(before["VmRSS"]), 1),
        "rss_increase_first_mb": round(rss_first, 1),
        "rss_increase_final_mb": round(rss_final, 1),
        "hwm_increase_mb": round(hwm, 1),
        "rss_increase_first_over_matrix": round(rss_first / matrix, 3),
        "rss_increase_final_over_matrix": round(rss_final / matrix, 3),
        "hwm_increase_over_matrix": round(hwm / matrix, 3),
        "daemon_exit_status": status,
        "notes": notes,
    }
    print(json.dumps(record, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
