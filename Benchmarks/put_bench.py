#!/usr/bin/env python3
"""DataFrames in and out as binary frames (dataset/put, dataset/get) beside the CSV path, in one run.

The frame: 1,000,000 rows x 30 float32 features and a 0/1 label (1 % ones), made in memory with a
fixed seed (pandas). Its payload is what the daemon keeps: 1M x (30 x 4 + 4) bytes = 124 MB, the
figure every MB/s below divides (so the ratios are ratios of times).

Timed REPS times each, the four taking turns (order rotating) on one --ephemeral release daemon:
- upload, frames: `put_dataset(client, frame, name=...)` (chunks of 16 MiB, signed, zero-copy);
- upload, CSV: `frame.to_csv(path)` then `dataset/load` of that file (what a user would otherwise do);
- download, frames: `get_dataset(client, name)` back into a pandas DataFrame;
- download, CSV: `pandas.read_csv(path)` of the same file (the file is what the CSV path hands over).
Each dataset is dropped after its upload. The figures are medians; the issue's goals are at least
500 MB/s and at least 5x the CSV path, both ways.

Usage: BALLASTD=.build/release/ballastd python3 Benchmarks/put_bench.py [--reps 5] [--rows 1000000]
Prints figures only; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import load_bench  # noqa: E402  (the daemon helper is shared with the CSV benchmark)

sys.path.insert(0, str(load_bench.ROOT / "clients" / "python"))

FEATURES = 30
SEED = 20_261_130


def make_frame(rows: int):
    import pandas as pd

    rng = np.random.default_rng(SEED)
    frame = pd.DataFrame(rng.standard_normal((rows, FEATURES), dtype=np.float32),
                         columns=[f"x{i}" for i in range(FEATURES)])
    frame["label"] = (rng.random(rows) < 0.01).astype(np.int8)
    return frame


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    arguments = parser.parse_args()
    executable = os.environ.get("BALLASTD", str(load_bench.ROOT / ".build" / "release" / "ballastd"))

    import pandas as pd

    from ballast_client import Client, ConnectionInfo
    from ballast_client.data import get_dataset, put_dataset

    frame = make_frame(arguments.rows)
    payload_mb = arguments.rows * (FEATURES * 4 + 4) / 1e6
    folder = Path(tempfile.mkdtemp(prefix="ballast-put-bench-"))
    csv = folder / "frame.csv"
    daemon = load_bench.Daemon(executable)
    client = Client(ConnectionInfo.load(daemon.connection_file))
    client.initialize("put-bench", "0.1")

    def put() -> None:
        put_dataset(client, frame, name="framed")

    def csv_upload() -> None:
        frame.to_csv(csv, index=False)
        client.call("dataset/load", {"path": str(csv), "name": "from_csv", "label": "label"})

    def get() -> None:
        back = get_dataset(client, "kept")
        assert back.shape == frame.shape

    def csv_download() -> None:
        back = pd.read_csv(csv)
        assert back.shape == frame.shape

    def drop(name: str) -> None:
        client.call("dataset/drop", {"dataset": name})

    try:
        # The dataset the downloads read, and the file the CSV download reads; both checked once.
        put_dataset(client, frame, name="kept")
        back = get_dataset(client, "kept")
        if not np.array_equal(back.drop(columns="label").to_numpy().view(np.uint32),
                              frame.drop(columns="label").to_numpy().view(np.uint32)):
            raise RuntimeError("get_dataset did not give back the frame's bits")
        csv_upload()
        drop("from_csv")
        print(f"{arguments.rows:,} rows x {FEATURES} float32 features + label: {payload_mb:.1f} MB of data; "
              f"the CSV holds {csv.stat().st_size / 1e6:.1f} MB.", flush=True)

        steps = {"upload, frames (put_dataset)": (put, "framed"),
                 "upload, CSV (to_csv + dataset/load)": (csv_upload, "from_csv"),
                 "download, frames (get_dataset)": (get, None),
                 "download, CSV (pandas.read_csv)": (csv_download, None)}
        times: dict[str, list[float]] = {name: [] for name in steps}
        order = list(steps)
        for rep in range(arguments.reps):
            for name in order[rep % len(order):] + order[:rep % len(order)]:
                run, made = steps[name]
                started = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - started)
                if made is not None:
                    drop(made)
            print(f"  rep {rep + 1}: " + ", ".join(f"{n.split(' (')[0]} {times[n][-1]:.3f} s" for n in order), flush=True)
    finally:
        client.close()
        daemon.stop()
        shutil.rmtree(folder, ignore_errors=True)

    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{'':40}{'median s':>10}{'MB/s':>10}")
    for name, seconds in medians.items():
        print(f"{name:40}{seconds:>10.3f}{payload_mb / seconds:>10.0f}")
    up = medians["upload, CSV (to_csv + dataset/load)"] / medians["upload, frames (put_dataset)"]
    down = medians["download, CSV (pandas.read_csv)"] / medians["download, frames (get_dataset)"]
    print(f"frames vs CSV: upload {up:.1f}x, download {down:.1f}x faster (goal: 500 MB/s and 5x)")
    print(json.dumps({"bench": "put", "rows": arguments.rows, "features": FEATURES, "payload_mb": round(payload_mb, 1),
                      "median_s": {n: round(s, 4) for n, s in medians.items()},
                      "upload_mb_s": round(payload_mb / medians["upload, frames (put_dataset)"]),
                      "download_mb_s": round(payload_mb / medians["download, frames (get_dataset)"]),
                      "upload_vs_csv": round(up, 2), "download_vs_csv": round(down, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
