#!/usr/bin/env python3
"""Fit time of the scikit-learn estimator: `BallastClassifier.fit` beside scikit-learn's
`LogisticRegression.fit` with the same C, class weights and stopping rule, in the same run.

Data: synthetic, 100,000 x 30 and 1,000,000 x 30, float32 values (so both sides see the same
numbers), about 5 % positives from a logistic model with a fixed seed.
Both sides: C = 1, class_weight="balanced", L-BFGS stopping when the largest component of the
gradient of the mean objective is at most tol = 1e-4 (scikit-learn's default tol; Ballast's tol has
the same meaning, see ballast_client/estimator.py), max_iter 1000. Both minimise the same objective
(protocol/README.md, "The objective"), so the coefficients printed beside the times should agree.

BallastClassifier.fit is the whole round trip a user waits for: validating X, the float32 upload
(dataset/put in binary frames), weights and model/train in the daemon, fetching the model file, and
dropping the dataset. LogisticRegression.fit runs in this process (float64, scipy's L-BFGS, numpy's
BLAS threads). REPS fits each, taking turns, after one untimed fit of each; figures are medians.

Usage: BALLASTD=.build/release/ballastd python3 Benchmarks/estimator_bench.py [--reps 3] [--sizes 100000 1000000]
Prints figures and one JSON line; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "clients" / "python"))

import load_bench  # noqa: E402  (its Daemon starts an --ephemeral ballastd on a private connection file)

FEATURES = 30
SEED = 20_261_130
TOL = 1e-4
MAX_ITER = 1000
PAUSE = 0.3  # before each timed fit: OpenBLAS's idle threads spin for a while after a call


def make_data(rows: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((rows, FEATURES), dtype=np.float32)
    beta = rng.normal(0, 0.6, FEATURES).astype(np.float32)
    logits = X @ beta - 3.6
    y = (rng.random(rows, dtype=np.float32) < 1 / (1 + np.exp(-logits))).astype(np.int32)
    return X.astype(np.float64), y


def timed(fit) -> tuple[float, object]:
    time.sleep(PAUSE)
    start = time.perf_counter()
    fitted = fit()
    return time.perf_counter() - start, fitted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()

    from sklearn.linear_model import LogisticRegression

    from ballast_client import Client, ConnectionInfo
    from ballast_client.estimator import BallastClassifier

    executable = os.environ.get("BALLASTD") or str(ROOT / ".build" / "release" / "ballastd")
    daemon = load_bench.Daemon(executable)
    records = []
    try:
        client = Client(ConnectionInfo.load(daemon.connection_file))
        client.initialize("estimator-bench", "0.1")

        def ours(X, y):
            return BallastClassifier(C=1.0, class_weight="balanced", tol=TOL, max_iter=MAX_ITER,
                                     connection=client).fit(X, y)

        def theirs(X, y):
            return LogisticRegression(C=1.0, class_weight="balanced", tol=TOL, max_iter=MAX_ITER).fit(X, y)

        print(f"ballastd: {executable}; C=1, class_weight='balanced', lbfgs, tol={TOL}, max_iter={MAX_ITER}; "
              f"{args.reps} fits each, taking turns, medians")
        print(f"{'rows':>9} {'BallastClassifier':>18} {'LogisticRegression':>19} {'ratio':>7} "
              f"{'iters (B / sk)':>15} {'max |coef diff|':>16}")
        for rows in args.sizes:
            X, y = make_data(rows)
            ballast_fit, sklearn_fit = ours(X, y), theirs(X, y)  # untimed: warm caches, pages, threads
            ballast_times, sklearn_times = [], []
            for rep in range(args.reps):
                turns = [("ballast", ours), ("sklearn", theirs)]
                for name, fit in (turns if rep % 2 == 0 else turns[::-1]):
                    seconds, fitted = timed(lambda: fit(X, y))
                    if name == "ballast":
                        ballast_times.append(seconds)
                        ballast_fit = fitted
                    else:
                        sklearn_times.append(seconds)
                        sklearn_fit = fitted
            ballast_s, sklearn_s = statistics.median(ballast_times), statistics.median(sklearn_times)
            difference = float(np.abs(ballast_fit.coef_ - sklearn_fit.coef_).max())
            iterations = f"{ballast_fit.n_iter_} / {int(sklearn_fit.n_iter_[0])}"
            print(f"{rows:>9,} {ballast_s:>17.3f}s {sklearn_s:>18.3f}s {ballast_s / sklearn_s:>6.2f}x "
                  f"{iterations:>15} {difference:>16.2e}")
            records.append({"rows": rows, "features": FEATURES, "ballast_s": ballast_s, "sklearn_s": sklearn_s,
                            "ratio": ballast_s / sklearn_s, "ballast_iterations": ballast_fit.n_iter_,
                            "sklearn_iterations": int(sklearn_fit.n_iter_[0]), "max_coef_difference": difference})
            del ballast_fit, sklearn_fit
        client.close()
    finally:
        daemon.stop()
    print("ratio = BallastClassifier time / LogisticRegression time (below 1: Ballast is faster)")
    print(json.dumps({"bench": "estimator_fit", "tol": TOL, "sizes": records}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
