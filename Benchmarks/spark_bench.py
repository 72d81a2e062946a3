#!/usr/bin/env python3
"""Spark: `model/train` with `engine: "spark"` (the pyspark sidecar, local mode on this machine)
beside the local engine on the same CSV, in the same run: the time of a fit, the sidecar's start
(the JVM), and how far apart the coefficients are.

Data: Benchmarks/ooc_bench.py's synthetic fraud-like file of ROWS rows (made once, cached). The fit
is WCE (balanced) logistic regression at Ballast's default l2, to convergence (tol 1e-10) on both
sides; Spark minimises the same objective (sidecars/spark/README.md). Local mode on 2 cores is not
what Spark is for: this measures the price of the path, so a user can tell when one machine is
still the better engine.

Usage: BALLASTD=.build/release/ballastd python3 Benchmarks/spark_bench.py [--rows N] [--reps 3]
Prints figures only; asserts nothing about time. Skips (exit 0) when pyspark or java is missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import load_bench  # noqa: E402
import ooc_bench  # noqa: E402


def train(client, engine: str) -> tuple[float, dict, dict]:
    started = time.perf_counter()
    result = client.call("model/train", {
        "dataset": "data", "name": engine, "engine": engine, "model": {"type": "logistic"},
        "loss": {"type": "wce", "weights": {"scheme": "balanced"}},
        "optimizer": {"type": "lbfgs", "tol": 1e-10, "max_iter": 1000}}, timeout=3600)
    wall = time.perf_counter() - started
    described = client.call("model/describe", {"model": engine})
    return wall, result, described


def coefficients(described: dict) -> list[float]:
    """A logistic model's coefficients then its intercept (model/describe's `parameters`)."""
    parameters = described["parameters"]
    return [float(v) for v in parameters["coef"]] + [float(parameters["intercept"])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballastd", default=os.environ.get("BALLASTD", str(ROOT / ".build/release/ballastd")))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        print("skipped: pyspark or java is missing (scripts/install-deps.sh --spark installs both)")
        return 0

    path = ooc_bench.data_file(args.rows)
    daemon = load_bench.Daemon(args.ballastd, stop_seconds=60)
    client = None
    try:
        client, _ = load_bench.connect(daemon.connection_file)
        client.call("dataset/load", {"path": str(path), "label": "Class", "name": "data"}, timeout=3600)
        # The first spark request starts the sidecar and its JVM: timed apart.
        first_wall, first, _ = train(client, "spark")
        local_walls, spark_walls, spark_daemon, local_daemon = [], [], [], []
        for rep in range(args.reps):
            for engine in (["local", "spark"] if rep % 2 == 0 else ["spark", "local"]):
                wall, result, described = train(client, engine)
                (local_walls if engine == "local" else spark_walls).append(wall)
                (local_daemon if engine == "local" else spark_daemon).append(result["seconds"])
                if engine == "local":
                    local_described, local_result = described, result
                else:
                    spark_described, spark_result = described, result
    finally:
        if client is not None:
            client.close()
        daemon.stop()

    local_coef, spark_coef = coefficients(local_described), coefficients(spark_described)
    gap = max((abs(s - l) / max(abs(l), 1e-12) for s, l in zip(spark_coef, local_coef)), default=float("nan"))
    print(f"Spark (local mode) vs the local engine: WCE logistic regression to tol 1e-10 on {args.rows:,} rows x 30, "
          f"{path.stat().st_size / 1e6:.0f} MB CSV; {len(os.sched_getaffinity(0))} cores; {args.reps} alternating reps, medians")
    print(f"{'engine':>8} {'wall s':>8} {'daemon s':>9} {'iterations':>10} {'objective':>22}")
    print(f"{'local':>8} {statistics.median(local_walls):8.2f} {statistics.median(local_daemon):9.2f} "
          f"{local_result['steps']:10d} {local_result['objective']:22.15g}")
    print(f"{'spark':>8} {statistics.median(spark_walls):8.2f} {statistics.median(spark_daemon):9.2f} "
          f"{spark_result['steps']:10d} {spark_result['objective']:22.15g}")
    print(f"  spark / local wall time: {statistics.median(spark_walls) / statistics.median(local_walls):.1f}x")
    print(f"  first spark request (starts the sidecar and its JVM, reads the file): {first_wall:.1f} s")
    print(f"  largest relative coefficient difference, spark vs local: {gap:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
