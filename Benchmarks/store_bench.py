#!/usr/bin/env python3
"""The store's cost per training step: the same `model/train` on a daemon that keeps its runs in
its state directory (`--state-dir`, SQLite in WAL, synchronous = FULL) and on one that keeps
them in memory (`--ephemeral`), both started by this script and measured in the same run.

The training is made of many tiny steps, so that whatever the store costs per step would show:
logistic regression with Adam, one batch per epoch (`batch_size` = the rows), EPOCHS epochs on a
small generated dataset (ROWS x FEATURES). Every step calls the run's recorder; its reports
(coalesced to five a second) go to the batching writer, which commits every 0.5 s or 256
records, and the run's first and last rows are written synchronously around the training.

Timed, REPS times each, taking turns (the order alternating; the idle daemon waits): the daemon's
own `seconds` for the training divided by its steps (the training loop, store writes from the
loop included), and the client's round trip divided by the steps (adds the run's synchronous
begin and finish rows, the final commit with its fsync, and the reply). Medians are printed with
the ratio store / ephemeral. Then, for scale, the kept run: how many records it holds.

Usage: BALLASTD=.build/release/ballastd python3 Benchmarks/store_bench.py [--reps 7] [--epochs 3000]
Prints figures only; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load_bench  # noqa: E402  (its client connection is shared)

ROWS = 2_000
FEATURES = 8


class Daemon:
    """A ballastd of its own, with the store flags given."""

    def __init__(self, executable: str, flags: list[str], folder: Path):
        self.folder = folder
        self.connection_file = folder / "ballastd.json"
        self.log = open(folder / "ballastd.log", "wb")
        self.process = subprocess.Popen(
            [executable, "--connection-file", str(self.connection_file), "--log-level", "warning", *flags],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not self.connection_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"ballastd {flags} wrote no connection file; log: {folder / 'ballastd.log'}")
            time.sleep(0.02)
        self.client, _ = load_bench.connect(self.connection_file)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=3_000)
    args = parser.parse_args()
    executable = os.environ.get("BALLASTD", str(HERE.parent / ".build" / "release" / "ballastd"))
    root = Path(tempfile.mkdtemp(prefix="ballast-store-bench-"))
    (root / "store").mkdir()
    (root / "ephemeral").mkdir()
    daemons = {
        "store": Daemon(executable, ["--state-dir", str(root / "store" / "state")], root / "store"),
        "ephemeral": Daemon(executable, ["--ephemeral"], root / "ephemeral"),
    }
    params = {"dataset": "d", "model": {"type": "logistic"},
              "optimizer": {"type": "adam", "epochs": args.epochs, "lr": 0.01, "batch_size": ROWS}}
    per_step: dict[str, list[float]] = {name: [] for name in daemons}
    round_trip: dict[str, list[float]] = {name: [] for name in daemons}
    runs: dict[str, list[str]] = {name: [] for name in daemons}
    try:
        for daemon in daemons.values():
            daemon.client.call("dataset/generate", {"name": "d", "rows": ROWS, "features": FEATURES, "informative": 4,
                                                    "positive_rate": 0.1, "seed": 1})
            daemon.client.call("model/train", {**params, "name": "warmup"})  # untimed
        names = list(daemons)
        for rep in range(args.reps):
            for name in (names if rep % 2 == 0 else names[::-1]):
                time.sleep(0.2)
                started = time.perf_counter()
                result = daemons[name].client.call("model/train", {**params, "name": f"m{rep}"})
                elapsed = time.perf_counter() - started
                per_step[name].append(result["seconds"] / result["steps"])
                round_trip[name].append(elapsed / result["steps"])
                runs[name].append(result["run"])
        kept = daemons["store"].client.call("run/describe", {"run": runs["store"][-1]})
        listed = daemons["store"].client.call("run/list", {"limit": 1})
    finally:
        for daemon in daemons.values():
            daemon.stop()
        # The database and its write-ahead log, which holds what has not been checkpointed yet.
        store_bytes = sum(path.stat().st_size for path in (root / "store" / "state").glob("ballast.sqlite*"))
        subprocess.run(["rm", "-rf", str(root)], check=False)

    def us(values: list[float]) -> float:
        return statistics.median(values) * 1e6

    print(f"model/train: logistic, adam, {args.epochs} epochs of one batch on {ROWS} x {FEATURES}; "
          f"{args.reps} runs each, taking turns; medians")
    print(f"{'':>24} {'store (--state-dir)':>20} {'--ephemeral':>14} {'ratio':>8}")
    for label, figures in (("training, per step", per_step), ("round trip, per step", round_trip)):
        store, ephemeral = us(figures["store"]), us(figures["ephemeral"])
        print(f"{label:>24} {store:>17.2f} µs {ephemeral:>11.2f} µs {store / ephemeral:>8.3f}")
    store_rt = statistics.median(round_trip["store"]) * args.epochs
    ephemeral_rt = statistics.median(round_trip["ephemeral"]) * args.epochs
    print(f"{'whole request':>24} {store_rt * 1e3:>17.1f} ms {ephemeral_rt * 1e3:>11.1f} ms "
          f"{store_rt / ephemeral_rt:>8.3f}")
    print(f"kept: {listed['total']} runs; the last holds {kept['event_count']} records for {args.epochs} steps; "
          f"store files {store_bytes / 1024:.0f} KiB")
    print(json.dumps({"bench": "store", "epochs": args.epochs, "rows": ROWS, "reps": args.reps,
                      "store_seconds_per_step": statistics.median(per_step["store"]),
                      "ephemeral_seconds_per_step": statistics.median(per_step["ephemeral"]),
                      "ratio": statistics.median(per_step["store"]) / statistics.median(per_step["ephemeral"]),
                      "store_round_trip_per_step": statistics.median(round_trip["store"]),
                      "ephemeral_round_trip_per_step": statistics.median(round_trip["ephemeral"]),
                      "records_kept": kept["event_count"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
