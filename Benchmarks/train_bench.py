#!/usr/bin/env python3
"""Training speed: ballastd's `model/train` (weighted CE logistic regression, L-BFGS) beside
scikit-learn's `LogisticRegression(solver="lbfgs")` on the same float32 values, and ballastd's time
per iteration beside numpy's memory floor for one gradient, all in the same run.

Data: the fraud-shaped training split, 199,364 rows x 30 features: the stratified 70 % of
load_bench.py's credit-card-like file (284,807 rows, 492 positives; made once, cached), split with a
fixed seed, standardized with the training rows' mean and std, cast to float32, and written once to
Benchmarks/data/ (gitignored) as a CSV for ballastd (9 significant digits, which `strtof` reads back
to the same float32) and a .npy for numpy and scikit-learn (the same float32 values, as float64).

The objective both sides minimise (Sources/BallastML/Training/TrainingConfig.swift):
    J(W, b) = sum_i s_i l_i / sum_i s_i + (l2/2) |W|^2,   s_i = balanced class weight of y_i,
    l2 = 1/sum_i s_i  (ballastd's default; scikit-learn's C = 1), the bias not penalised.
J* is scikit-learn's at tol 1e-10. Each contender's tolerance is the loosest of a ladder whose J is
within 1e-6 relative of J* (found once, untimed; both solvers are deterministic), and scikit-learn
also runs at its default tol 1e-4.

Timed, REPS times each, taking turns (order rotating): ballastd's train request (client round trip,
and the daemon's own `seconds`), scikit-learn at its default tol and at its matched tol, and a
chunk of numpy floor measurements (`X @ w` plus `X.T @ r` on the float32 matrix, in a helper
process where OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset, both threads and one thread).
Each timed turn starts after a 0.3 s pause, so that idle OpenBLAS threads still spinning from the
previous turn do not slow the next one (on 2 cores they did, by up to 3x). Figures are medians.

Usage: BALLASTD=.build/release/ballastd python3 Benchmarks/train_bench.py [--reps 5]
Prints figures only; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "clients" / "python"))

import load_bench  # noqa: E402  (the source file and the daemon launcher are shared with the CSV benchmark)

SPLIT_SEED = 20_240_404  # any fixed number: the split must be the same on every machine
TRAIN_FRACTION = 0.7
TRAIN_ROWS = 199_364
FEATURES = load_bench.FEATURES
GAP = 1e-6  # "reaches the optimum": J within this relative distance of J*
BALLAST_TOLS = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 1e-7, 1e-8]
SKLEARN_TOLS = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 1e-7, 1e-8]
SKLEARN_DEFAULT_TOL = 1e-4
FLOOR_CHUNK = 40  # numpy floor evaluations per turn (each of threaded and single-thread)
# Pause before each timed turn: OpenBLAS's idle threads (here, in scikit-learn's process and in the
# floor's) spin for a while after a call, and on 2 cores that would slow whoever runs next.
SETTLE_SECONDS = 0.3
BLAS_SLOWING_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


# -- the data --------------------------------------------------------------------------------------

def training_split() -> tuple[Path, Path]:
    """The standardized float32 training split as (csv, npz), made once and cached."""
    stem = f"fraud-train-{TRAIN_ROWS}-std-f32-seed{SPLIT_SEED}"
    csv, npz = load_bench.DATA / f"{stem}.csv", load_bench.DATA / f"{stem}.npz"
    if csv.exists() and npz.exists():
        return csv, npz
    source = load_bench.data_file()
    started = time.perf_counter()
    print(f"Making {csv.relative_to(ROOT)} (once; cached)…", flush=True)
    import pandas as pd

    frame = pd.read_csv(source, engine="c", dtype={name: np.float64 for name in FEATURES} | {"Class": np.int64})
    X = frame[FEATURES].to_numpy()
    y = frame["Class"].to_numpy()
    # Stratified: within each class, shuffle with the seed and keep round(70 %) of its rows.
    rng = np.random.default_rng(SPLIT_SEED)
    keep = []
    for label in (0, 1):
        rows = np.flatnonzero(y == label)
        rng.shuffle(rows)
        keep.append(rows[: int(round(TRAIN_FRACTION * len(rows)))])
    keep = np.sort(np.concatenate(keep))
    assert len(keep) == TRAIN_ROWS, len(keep)
    X, y = X[keep], y[keep]
    X32 = ((X - X.mean(axis=0)) / X.std(axis=0)).astype(np.float32)

    partial = csv.with_suffix(".partial")
    with open(partial, "w", newline="\n") as out:
        out.write(",".join(FEATURES + ["Class"]) + "\n")
        # %.9g round-trips every float32 through strtof; the label stays an integer.
        np.savetxt(out, np.column_stack([X32.astype(np.float64), y]), fmt=["%.9g"] * len(FEATURES) + ["%d"],
                   delimiter=",")
    np.savez(npz.with_suffix(".partial.npz"), X=X32, y=y.astype(np.int8))
    os.replace(npz.with_suffix(".partial.npz"), npz)
    os.replace(partial, csv)
    print(f"  {csv.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s", flush=True)
    return csv, npz


def objective(X: np.ndarray, y: np.ndarray, coef: np.ndarray, intercept: float) -> float:
    """J in float64 for any coefficients: balanced weights, mean reduction, l2 = 1/sum(s)."""
    counts = np.bincount(y, minlength=2)
    s = (len(y) / (2 * counts))[y]
    z = X @ np.asarray(coef, dtype=np.float64) + float(intercept)
    signs = np.where(y == 1, 1.0, -1.0)
    loss = np.logaddexp(0.0, -signs * z)
    total = s.sum()
    return float((s * loss).sum() / total + 0.5 / total * np.dot(coef, coef))


# -- the numpy floor (a helper process) ------------------------------------------------------------

def floor_worker(npz: str) -> int:
    """Answers each line N on stdin with N timings of X@w + X.T@r, threaded, then single-thread."""
    X = np.load(npz)["X"]
    rng = np.random.default_rng(0)
    w = rng.standard_normal(X.shape[1]).astype(np.float32)
    r = rng.standard_normal(X.shape[0]).astype(np.float32)
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        threadpool_info = threadpool_limits = None

    def one() -> float:
        started = time.perf_counter()
        z = X @ w
        g = X.T @ r
        elapsed = time.perf_counter() - started
        del z, g
        return elapsed

    info = {"numpy": np.__version__, "unset": [name for name in BLAS_SLOWING_VARIABLES if name in os.environ]}
    if threadpool_info is not None:
        info["blas"] = [{key: pool.get(key) for key in ("internal_api", "version", "architecture", "num_threads",
                                                       "threading_layer")}
                        for pool in threadpool_info() if pool.get("user_api") == "blas"]
    for _ in range(20):
        one()
    print(json.dumps(info), flush=True)
    for line in sys.stdin:
        count = int(line)
        threaded = [one() for _ in range(count)]
        single = []
        if threadpool_limits is not None:
            with threadpool_limits(limits=1, user_api="blas"):
                one()
                single = [one() for _ in range(count)]
        print(json.dumps({"threaded": threaded, "single": single}), flush=True)
    return 0


class Floor:
    def __init__(self, npz: Path):
        env = {key: value for key, value in os.environ.items() if key not in BLAS_SLOWING_VARIABLES}
        self.unset = [name for name in BLAS_SLOWING_VARIABLES if name in os.environ]
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--floor-worker", str(npz)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.info = json.loads(self.process.stdout.readline())
        self.threaded: list[float] = []
        self.single: list[float] = []

    def measure(self, count: int) -> None:
        self.process.stdin.write(f"{count}\n")
        self.process.stdin.flush()
        chunk = json.loads(self.process.stdout.readline())
        self.threaded += chunk["threaded"]
        self.single += chunk["single"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


# -- the contenders --------------------------------------------------------------------------------

def sklearn_fit(X64: np.ndarray, y: np.ndarray, tol: float):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(solver="lbfgs", class_weight="balanced", C=1.0, tol=tol, max_iter=10_000)
    started = time.perf_counter()
    model.fit(X64, y)
    return time.perf_counter() - started, model


class Ballast:
    def __init__(self, client, dataset: str):
        self.client = client
        self.dataset = dataset

    def train(self, tol: float) -> dict:
        """One train request; returns its figures, the model's coefficients, and drops the model."""
        params = {"dataset": self.dataset, "name": "train-bench", "model": {"type": "logistic"},
                  "loss": {"type": "wce", "weights": {"scheme": "balanced"}},
                  "optimizer": {"type": "lbfgs", "tol": tol}}
        started = time.perf_counter()
        result = self.client.call("model/train", params, timeout=600)
        wall = time.perf_counter() - started
        described = self.client.call("model/describe", {"model": result["model"]})
        events = self.client.call("run/events", {"run": result["run"]})["events"]
        self.client.call("model/drop", {"model": result["model"]})
        # The optimiser's own time: elapsed_s of the last step's report (the final report is always
        # kept); the result's `seconds` also covers scoring the training rows afterwards.
        # Reports are coalesced, but the first (step 1) and the last are kept: between them lie the
        # steady iterations, without the set-up and the first steepest-descent line search.
        steps = [event for event in events if event.get("kind") == "report" and "elapsed_s" in event]
        loop = steps[-1]["elapsed_s"] if steps and steps[-1].get("step") == result["steps"] else None
        steady = None
        if loop is not None and len(steps) >= 2 and steps[-1]["step"] > steps[0]["step"]:
            steady = (steps[-1]["elapsed_s"] - steps[0]["elapsed_s"]) / (steps[-1]["step"] - steps[0]["step"])
        parameters = described["parameters"]
        return {"wall": wall, "seconds": result["seconds"], "loop": loop, "steady": steady, "steps": result["steps"],
                "stop_reason": result["stop_reason"], "objective": result["objective"],
                "coef": np.array(parameters["coef"], dtype=np.float64), "intercept": float(parameters["intercept"])}


# -- the run ---------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--ballastd", default=os.environ.get("BALLASTD", str(ROOT / ".build/release/ballastd")))
    parser.add_argument("--floor-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_worker:
        return floor_worker(args.floor_worker)

    from ballast_client import Client, ConnectionInfo
    import sklearn

    csv, npz = training_split()
    arrays = np.load(npz)
    X32, y = arrays["X"], arrays["y"].astype(np.int64)
    X64 = X32.astype(np.float64)  # exactly the float32 values
    rows, features = X32.shape
    positives = int(y.sum())

    def gap(J: float) -> float:
        return (J - J_star) / abs(J_star)

    # The reference optimum first, before anything else runs.
    tight_seconds, tight = sklearn_fit(X64, y, 1e-10)
    J_star = objective(X64, y, tight.coef_[0], tight.intercept_[0])

    daemon = load_bench.Daemon(args.ballastd)
    client = None
    floor = None
    try:
        client = Client(ConnectionInfo.load(daemon.connection_file))
        client.initialize("train-bench", "0.1")
        loaded = client.call("dataset/load", {"path": str(csv.resolve()), "label": "Class", "name": "fraud_train"},
                             timeout=300)["dataset"]
        stats = client.call("dataset/describe", {"dataset": "fraud_train"})["feature_stats"]
        # Same values on both sides: the daemon's min and max are exactly numpy's, its means agree.
        same_extremes = all(stat["min"] == float(X32[:, j].min()) and stat["max"] == float(X32[:, j].max())
                            for j, stat in enumerate(stats))
        mean_difference = max(abs(stat["mean"] - float(X64[:, j].mean())) for j, stat in enumerate(stats))
        ballast = Ballast(client, "fraud_train")

        # Untimed: the loosest tolerance of each ladder that reaches J* within GAP.
        ballast_ladder = []
        for tol in BALLAST_TOLS:
            run = ballast.train(tol)
            run["tol"], run["gap"] = tol, gap(objective(X64, y, run["coef"], run["intercept"]))
            ballast_ladder.append(run)
            if run["gap"] <= GAP:
                break
        ballast_tol = ballast_ladder[-1]["tol"]
        sklearn_ladder = []
        for tol in SKLEARN_TOLS:
            _, model = sklearn_fit(X64, y, tol)
            entry = {"tol": tol, "n_iter": int(model.n_iter_[0]),
                     "gap": gap(objective(X64, y, model.coef_[0], model.intercept_[0]))}
            sklearn_ladder.append(entry)
            if entry["gap"] <= GAP:
                break
        sklearn_tol = sklearn_ladder[-1]["tol"]
        _, default_model = sklearn_fit(X64, y, SKLEARN_DEFAULT_TOL)
        default_gap = gap(objective(X64, y, default_model.coef_[0], default_model.intercept_[0]))
        default_iter = int(default_model.n_iter_[0])

        floor = Floor(npz)

        # Timed: REPS of each, taking turns, the order rotating.
        order = ["ballast", "sklearn_default", "sklearn_matched", "floor"]
        wall: dict[str, list[float]] = {name: [] for name in order[:3]}
        daemon_seconds, loop_seconds, steady_seconds, ballast_runs = [], [], [], []
        for rep in range(args.reps):
            shift = rep % len(order)
            for name in order[shift:] + order[:shift]:
                time.sleep(SETTLE_SECONDS)
                if name == "ballast":
                    run = ballast.train(ballast_tol)
                    wall["ballast"].append(run["wall"])
                    daemon_seconds.append(run["seconds"])
                    if run["loop"] is not None:
                        loop_seconds.append(run["loop"])
                    if run["steady"] is not None:
                        steady_seconds.append(run["steady"])
                    ballast_runs.append(run)
                elif name == "floor":
                    floor.measure(FLOOR_CHUNK)
                else:
                    tol = SKLEARN_DEFAULT_TOL if name == "sklearn_default" else sklearn_tol
                    seconds, _ = sklearn_fit(X64, y, tol)
                    wall[name].append(seconds)
        floor.close()
        floor_info = floor.info
    finally:
        if client is not None:
            client.close()
        status = daemon.stop()
        if floor is not None and floor.process.poll() is None:
            floor.process.kill()

    # -- report ------------------------------------------------------------------------------------
    last = ballast_runs[-1]
    steps = last["steps"]
    ballast_gap = gap(objective(X64, y, last["coef"], last["intercept"]))
    ballast_reported_gap = gap(last["objective"])
    matched = sklearn_ladder[-1]
    median = {name: statistics.median(times) for name, times in wall.items()}
    median_daemon = statistics.median(daemon_seconds)
    median_loop = statistics.median(loop_seconds) if loop_seconds else None
    per_steady = statistics.median(steady_seconds) if steady_seconds else None
    floor_threaded = statistics.median(floor.threaded)
    floor_single = statistics.median(floor.single) if floor.single else None
    cores = len(os.sched_getaffinity(0))

    print(f"WCE logistic regression (balanced class weights, l2 = 1/sum(s) = scikit-learn C=1), L-BFGS, "
          f"{rows:,} rows x {features} features float32, {positives} positives; {args.reps} alternating "
          f"repetitions, medians; {cores} cores")
    print(f"same values on both sides: ballastd's feature min/max {'equal' if same_extremes else 'DIFFER FROM'} "
          f"numpy's, means within {mean_difference:.1e}")
    print(f"J* = {J_star:.12g} (scikit-learn tol 1e-10, {int(tight.n_iter_[0])} iterations, {tight_seconds:.2f} s); "
          f"gap = (J - J*)/J*, J in float64 numpy from the fitted coefficients")
    print("tolerance ladders (untimed; loosest reaching gap <= 1e-6 is used):")
    print("  ballastd lbfgs:     " + ", ".join(f"tol {r['tol']:g}: {r['steps']} it, gap {r['gap']:.1e}"
                                             for r in ballast_ladder))
    print("  scikit-learn lbfgs: " + ", ".join(f"tol {r['tol']:g}: {r['n_iter']} it, gap {r['gap']:.1e}"
                                             for r in sklearn_ladder))
    rows_out = [
        (f"ballastd model/train tol {ballast_tol:g}, client round trip", median["ballast"], steps, ballast_gap),
        (f"ballastd model/train tol {ballast_tol:g}, daemon's seconds", median_daemon, steps, ballast_gap),
        (f"scikit-learn lbfgs tol {sklearn_tol:g} (reaches J*)", median["sklearn_matched"], matched["n_iter"],
         matched["gap"]),
        (f"scikit-learn lbfgs tol {SKLEARN_DEFAULT_TOL:g} (default)", median["sklearn_default"], default_iter,
         default_gap),
    ]
    width = max(len(label) for label, *_ in rows_out)
    print(f"{'':{width}}  {'median s':>9}  {'iters':>5}  {'gap':>9}  {'vs sk matched':>13}  {'vs sk default':>13}")
    for label, seconds, iterations, value in rows_out:
        print(f"{label:{width}}  {seconds:9.4f}  {iterations:5d}  {value:9.1e}  "
              f"{seconds / median['sklearn_matched']:12.3f}x  {seconds / median['sklearn_default']:12.3f}x")
    print(f"  ballastd's own objective at tol {ballast_tol:g}: gap {ballast_reported_gap:.1e}; "
          f"vs = this time / scikit-learn's median time (goal for ballastd: <= 0.2x)")

    per_step = median_daemon / steps
    per_loop = median_loop / steps if median_loop is not None else None
    blas = floor_info.get("blas") or [{}]
    kernel = ", ".join(f"{pool.get('internal_api')} {pool.get('version')} {pool.get('architecture')} "
                       f"({pool.get('num_threads')} threads)" for pool in blas) if floor_info.get("blas") \
        else "unknown (threadpoolctl missing)"
    print()
    print(f"Per iteration vs numpy's floor for one gradient (X @ w + X.T @ r, float32, {len(floor.threaded)} "
          f"of each, median); numpy {floor_info['numpy']}, BLAS {kernel}; unset for numpy: "
          f"{', '.join(floor_info['unset']) or 'nothing (neither variable was set)'}")
    # The floor is the faster of numpy's two medians: on 2 shared cores its 2-thread BLAS can lose to
    # one thread when the other core is busy (threads wait on each other).
    floor_best = min(value for value in (floor_threaded, floor_single) if value is not None)
    floor_best_kind = "one thread" if floor_best == floor_single else "both cores"
    per_rows = [("ballastd daemon's seconds / iterations", per_step),
                ("ballastd optimiser loop (run/events elapsed_s) / iterations", per_loop),
                ("ballastd steady iteration (run/events, step 1 to last)", per_steady),
                ("numpy floor, both cores", floor_threaded),
                ("numpy floor, one thread", floor_single)]
    width = max(len(label) for label, _ in per_rows)
    print(f"{'':{width}}  {'ms':>8}  {'/ floor':>8}  {'/ 2-thread':>10}  {'/ 1-thread':>10}")
    for label, value in per_rows:
        if value is None:
            print(f"{label:{width}}  {'n/a':>8}")
            continue
        single = f"{value / floor_single:9.2f}x" if floor_single else f"{'n/a':>10}"
        print(f"{label:{width}}  {value * 1e3:8.3f}  {value / floor_best:7.2f}x  {value / floor_threaded:9.2f}x  {single}")
    print(f"  floor = numpy's faster configuration in this run ({floor_best_kind}, {floor_best * 1e3:.3f} ms).")
    print("  ballastd reports iterations, not gradient evaluations: an L-BFGS iteration is at least one")
    print("  evaluation, more when the line search needs them, so time per evaluation is at most time per")
    print("  iteration (goal: <= 1.5x floor). The daemon's seconds also cover the start (the loss at the initial")
    print("  point, then loss and gradient there) and scoring the training rows after the fit (metrics,")
    print("  calibration); the loop time ends at the last iteration; the steady iteration leaves out the start and")
    print("  the first iteration (whose steepest-descent line search may take several evaluations).")
    print(f"ballastd stopped with SIGTERM, exit status {status}; scikit-learn {sklearn.__version__}")

    def r(value, digits=6):
        return None if value is None else round(value, digits)

    record = {
        "bench": "train_wce_logistic",
        "rows": rows, "features": features, "positives": positives, "reps": args.reps, "cores": cores,
        "j_star": J_star, "gap_goal": GAP,
        "ballast": {"tol": ballast_tol, "steps": steps, "stop_reason": last["stop_reason"],
                    "seconds_round_trip": r(median["ballast"]), "seconds_daemon": r(median_daemon),
                    "seconds_loop": r(median_loop), "gap": ballast_gap, "gap_reported": ballast_reported_gap},
        "sklearn_matched": {"tol": sklearn_tol, "n_iter": matched["n_iter"], "seconds": r(median["sklearn_matched"]),
                            "gap": matched["gap"]},
        "sklearn_default": {"tol": SKLEARN_DEFAULT_TOL, "n_iter": default_iter, "seconds": r(median["sklearn_default"]),
                            "gap": default_gap},
        "ratio_vs_sklearn_matched": r(median["ballast"] / median["sklearn_matched"], 4),
        "ratio_vs_sklearn_default": r(median["ballast"] / median["sklearn_default"], 4),
        "ms_per_iteration_daemon": r(per_step * 1e3, 4),
        "ms_per_iteration_loop": r(per_loop * 1e3 if per_loop else None, 4),
        "ms_per_steady_iteration": r(per_steady * 1e3 if per_steady else None, 4),
        "floor_ms": r(floor_best * 1e3, 4), "floor_kind": floor_best_kind,
        "floor_two_thread_ms": r(floor_threaded * 1e3, 4),
        "floor_single_thread_ms": r(floor_single * 1e3 if floor_single else None, 4),
        "per_iteration_over_floor": r(per_step / floor_best, 3),
        "loop_per_iteration_over_floor": r(per_loop / floor_best if per_loop else None, 3),
        "steady_iteration_over_floor": r(per_steady / floor_best if per_steady else None, 3),
        "blas": floor_info.get("blas"), "unset_for_floor": floor_info["unset"],
        "same_values": same_extremes, "daemon_exit_status": status,
    }
    print(json.dumps(record, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
