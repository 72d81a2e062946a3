#!/usr/bin/env python3
"""Restoring a dataset at start: its float32 column file, mapped, beside loading the same CSV.

The file: 1,000,000 rows x 30 numeric features and a 0/1 class (1 % ones), made once with a fixed
seed and cached under Benchmarks/data/ (gitignored). Each repetition, in a fresh state directory:

1. start ballastd on the empty state directory, timed until its connection file appears;
2. `dataset/load` the CSV (timed around the request: parse, fingerprint, column file written);
3. stop it (SIGTERM), start it again on the same state directory, timed until its connection file
   appears: the daemon restores the dataset from its column file before writing that file.

Restoring = (2nd start) - (1st start), the median over the repetitions; beside it the median
`dataset/load`, and their ratio. The column file's size is printed beside the CSV's.

Usage: BALLASTD=.build/release/ballastd python3 Benchmarks/restore_bench.py [--reps 5]
Prints figures only; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

import load_bench  # noqa: E402  (the client is shared with the CSV benchmark)

ROWS = 1_000_000
FEATURES = 30
SEED = 20_261_130


def data_file() -> Path:
    path = load_bench.DATA / f"restore-{ROWS}x{FEATURES}-seed{SEED}.csv"
    if path.exists():
        return path
    print(f"Making {path.name} (once; cached)…", flush=True)
    rng = np.random.default_rng(SEED)
    features = rng.standard_normal((ROWS, FEATURES)).astype(np.float32)
    labels = (rng.random(ROWS) < 0.01).astype(np.int8)
    load_bench.DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with open(partial, "w", newline="\n") as out:
        out.write(",".join([f"x{i}" for i in range(FEATURES)] + ["label"]) + "\n")
        np.savetxt(out, np.column_stack([features, labels]), fmt=["%.6f"] * FEATURES + ["%d"], delimiter=",")
    os.replace(partial, path)
    return path


class Daemon:
    """ballastd on a given state directory; `seconds` is how long it took to write its connection file."""

    def __init__(self, executable: str, state: Path | None, folder: Path):
        self.connection_file = folder / "ballastd.json"
        self.connection_file.unlink(missing_ok=True)
        keeping = ["--state-dir", str(state)] if state else ["--ephemeral"]
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [executable, "--connection-file", str(self.connection_file), *keeping, "--log-level", "warning"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(folder / "ballastd.log", "ab"))
        deadline = started + 300
        while not self.connection_file.exists():
            if self.process.poll() is not None or time.perf_counter() > deadline:
                self.stop()
                raise RuntimeError(f"ballastd wrote no connection file; see {folder / 'ballastd.log'}")
            time.sleep(0.002)
        self.seconds = time.perf_counter() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def timed_load(daemon: Daemon, csv: Path) -> float:
    """Seconds the daemon takes to answer `dataset/load` of the CSV."""
    client, _ = load_bench.connect(daemon.connection_file)
    started = time.perf_counter()
    client.call("dataset/load", {"path": str(csv), "name": "big"})
    seconds = time.perf_counter() - started
    client.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    arguments = parser.parse_args()
    executable = os.environ.get("BALLASTD", str(load_bench.ROOT / ".build" / "release" / "ballastd"))
    csv = data_file()
    print(f"{ROWS:,} rows x {FEATURES} features; the CSV holds {csv.stat().st_size / 1e6:.1f} MB.")

    empty_starts, loads, ephemeral_loads, restoring_starts, column_bytes = [], [], [], [], 0
    for rep in range(arguments.reps):
        folder = Path(tempfile.mkdtemp(prefix="ballast-restore-bench-"))
        state = folder / "state"
        try:
            first = Daemon(executable, state, folder)
            loads.append(timed_load(first, csv))
            first.stop()
            empty_starts.append(first.seconds)
            column_bytes = sum(entry.stat().st_size for entry in (state / "datasets").iterdir())

            second = Daemon(executable, state, folder)
            client, _ = load_bench.connect(second.connection_file)
            listed = client.call("dataset/list")
            client.close()
            second.stop()
            if [d["name"] for d in listed["datasets"]] != ["big"] or listed["datasets"][0]["rows"] != ROWS:
                raise RuntimeError(f"the dataset did not come back: {listed}")
            restoring_starts.append(second.seconds)

            # What keeping costs a load (fingerprint, column file written and synced): the same
            # load on a daemon that keeps nothing.
            ephemeral = Daemon(executable, None, folder)
            ephemeral_loads.append(timed_load(ephemeral, csv))
            ephemeral.stop()
            print(f"  rep {rep + 1}: load {loads[-1]:.3f} s kept, {ephemeral_loads[-1]:.3f} s --ephemeral; "
                  f"start {first.seconds:.3f} s empty, {second.seconds:.3f} s restoring", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    empty, restoring, load, ephemeral_load = (statistics.median(v) for v in (empty_starts, restoring_starts, loads, ephemeral_loads))
    restore = restoring - empty
    print(f"column file: {column_bytes / 1e6:.1f} MB")
    print(f"{'':32}{'median s':>10}")
    print(f"{'dataset/load of the CSV, kept':32}{load:>10.3f}")
    print(f"{'the same, --ephemeral':32}{ephemeral_load:>10.3f}   (keeping costs the load {load / max(ephemeral_load, 1e-9):.2f}x)")
    print(f"{'restore from the column file':32}{restore:>10.3f}   (start {restoring:.3f} s less empty start {empty:.3f} s)")
    print(f"restoring takes {restore / load:.2f}x the time of loading the CSV ({load / max(restore, 1e-9):.1f}x faster)")


if __name__ == "__main__":
    main()
