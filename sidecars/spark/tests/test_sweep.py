"""The `sweep` op: folds assigned inside Spark (stratified, fixed by the seed and the file), one fit
per (value, fold) on the other folds, scored on the held-out fold. Each fold's confusion counts and
log loss agree with scikit-learn trained and scored on the same folds, which the test gets from the
sidecar's own fold-assignment function run on a local Spark in this process."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from conftest import SIDECAR_DIR, fit_request, write_csv

if str(SIDECAR_DIR) not in sys.path:
    sys.path.insert(0, str(SIDECAR_DIR))

CANCEL_BOUND = 120.0   # only catches a hang
FOLDS = 3
SEED = 20261130
W_GRID = (0.5, 0.8)


@pytest.fixture(scope="module")
def small_data(data_dir):
    """400 rows, about 15% positives, with a few repeated rows (ties of the fold hash)."""
    rng = np.random.default_rng(151)
    n = 400
    X = rng.normal(size=(n, 4)).astype(np.float32)
    X[-6:] = X[:6]
    y = (X.astype(np.float64) @ np.array([1.0, -1.2, 0.6, 0.3]) + rng.logistic(size=n) > 2.2).astype(int)
    y[-6:] = y[:6]
    names = ["a", "b", "c", "d"]
    path = write_csv(data_dir / "small.csv", X, [str(v) for v in y], names)

    class Small:
        pass
    data = Small()
    data.path, data.X, data.y, data.classes, data.features = path, X.astype(np.float64), y, ["0", "1"], names
    return data


@pytest.fixture(scope="module")
def local_spark():
    """A local Spark in the test process, to run the sidecar's fold assignment on a small frame."""
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("ballast-sweep-folds")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()


def weights_for(w: float, y: np.ndarray) -> list[float]:
    """Binary WCE: the rare class (1 here) gets w, the other 1 − w."""
    return [1 - w, w]


def sweep_request(data, *, seeds=(SEED,), grid=W_GRID, folds=FOLDS, **overrides):
    """Fits in the daemon's order (repeat, value, fold); l2 = 1/Σw of each fold's training rows
    (scikit-learn's C = 1), computed from the counts the fold assignment deals."""
    from ballast_spark.sweep import held_out_counts
    counts = np.bincount(data.y, minlength=2).tolist()
    held = held_out_counts(counts, folds)
    fits = []
    for r in range(len(seeds)):
        for w in grid:
            weights = weights_for(w, data.y)
            for f in range(folds):
                train_counts = [n - h for n, h in zip(counts, held[f])]
                fits.append({"repeat": r, "fold": f, "class_weights": weights,
                             "l2": 1.0 / sum(n * wk for n, wk in zip(train_counts, weights))})
    request = fit_request(data, folds=folds, seeds=list(seeds), fits=fits)
    for key in ("class_weights", "l2"):
        request.pop(key)
    request.update(overrides)
    return request


def run_sweep(sidecar, request):
    request_id = sidecar.new_id()
    sidecar.send({"op": "sweep", "id": request_id, **request})
    answer, before = sidecar.wait_for(lambda e: e.get("id") == request_id and e["event"] in ("result", "error"))
    return answer, [e for e in before if e.get("id") == request_id]


def folds_of(spark, data, seed: int, folds: int = FOLDS, partitions: int | None = None):
    """(class, features, fold) of every row, by the sidecar's own reading and fold assignment."""
    from ballast_spark.fit import read_checked
    from ballast_spark.protocol import parse_sweep
    from ballast_spark.sweep import prepared_frame
    request = parse_sweep({"op": "sweep", "id": "folds", **sweep_request(data, seeds=(seed,), folds=folds)})
    checked = read_checked(spark, request.fit, lambda: None)
    if partitions is not None:
        checked.frame = checked.frame.repartition(partitions)
    rows = prepared_frame(checked, request).collect()
    return [(int(r["class"]), tuple(r["features"].toArray().tolist()), int(r["fold_0"])) for r in rows]


def reference_fold(rows, fold: int, weights: list[float], l2: float):
    """scikit-learn on the same training folds, scored on the held-out one: (confusion, Σ log loss)."""
    train = [r for r in rows if r[2] != fold]
    test = [r for r in rows if r[2] == fold]
    X = np.array([r[1] for r in train]); y = np.array([r[0] for r in train])
    sample = np.array([weights[c] for c in y])
    model = LogisticRegression(C=1.0 / (l2 * sample.sum()), tol=1e-12, max_iter=100_000)
    model.fit(X, y, sample_weight=sample)
    p = model.predict_proba(np.array([r[1] for r in test]))[:, 1]
    truth = np.array([r[0] for r in test])
    predicted = (p >= 0.5).astype(int)
    confusion = [[int(np.sum((truth == t) & (predicted == q))) for q in range(2)] for t in range(2)]
    eps = 2.0 ** -23
    p_truth = np.clip(np.where(truth == 1, p, 1 - p), eps, 1 - eps)
    return confusion, float(-np.log(p_truth).sum())


def test_each_folds_scores_agree_with_scikit_learn_on_the_same_folds(sidecar, local_spark, small_data):
    request = sweep_request(small_data)
    answer, progress = run_sweep(sidecar, request)
    assert answer["event"] == "result", answer
    assert len(answer["fits"]) == len(W_GRID) * FOLDS
    assert answer["class_counts"] == np.bincount(small_data.y, minlength=2).tolist()
    assert [p["fits_done"] for p in progress if "fits_done" in p][-1] == len(W_GRID) * FOLDS
    rows = folds_of(local_spark, small_data, SEED)
    assert len(rows) == len(small_data.y)
    for fit, got in zip(request["fits"], answer["fits"]):
        confusion, log_loss_sum = reference_fold(rows, fit["fold"], fit["class_weights"], fit["l2"])
        assert got["confusion"] == confusion, (fit, got, confusion)
        assert got["rows"] == sum(map(sum, confusion))
        assert got["log_loss_sum"] == pytest.approx(log_loss_sum, rel=1e-6)


def test_folds_are_stratified_and_dealt_as_the_daemon_counts_them(sidecar, small_data):
    from ballast_spark.sweep import held_out_counts
    # The second seed as the daemon sends one above 2⁶³: the signed integer of its bits.
    answer, _ = run_sweep(sidecar, sweep_request(small_data, seeds=(1, -3), grid=(0.5,)))
    assert answer["event"] == "result", answer
    counts = answer["class_counts"]
    for repeat in answer["fold_counts"]:
        assert repeat == held_out_counts(counts, FOLDS)
        for c in range(2):
            per_fold = [fold[c] for fold in repeat]
            assert max(per_fold) - min(per_fold) <= 1 and sum(per_fold) == counts[c]


def test_a_multinomial_sweep_agrees_with_scikit_learn_on_the_same_folds(sidecar, local_spark, multiclass_data):
    """Three classes, argmax, effective-number-like weights: the confusion counts are scikit-learn's."""
    from ballast_spark.sweep import held_out_counts
    counts = np.bincount(multiclass_data.y, minlength=3).tolist()
    held = held_out_counts(counts, FOLDS)
    weights = [1.0, 1.5, 2.5]
    fits = []
    for f in range(FOLDS):
        train_counts = [n - h for n, h in zip(counts, held[f])]
        fits.append({"repeat": 0, "fold": f, "class_weights": weights,
                     "l2": 1.0 / sum(n * w for n, w in zip(train_counts, weights))})
    request = fit_request(multiclass_data, label="kind", positive=None, family="multinomial",
                          folds=FOLDS, seeds=[SEED], fits=fits)
    for key in ("class_weights", "l2"):
        request.pop(key)
    answer, _ = run_sweep(sidecar, request)
    assert answer["event"] == "result", answer
    from ballast_spark.fit import read_checked
    from ballast_spark.protocol import parse_sweep
    from ballast_spark.sweep import prepared_frame
    parsed = parse_sweep({"op": "sweep", "id": "folds", **request})
    rows = [(int(r["class"]), tuple(r["features"].toArray().tolist()), int(r["fold_0"]))
            for r in prepared_frame(read_checked(local_spark, parsed.fit, lambda: None), parsed).collect()]
    for fit, got in zip(fits, answer["fits"]):
        train = [r for r in rows if r[2] != fit["fold"]]
        test = [r for r in rows if r[2] == fit["fold"]]
        y = np.array([r[0] for r in train])
        sample = np.array([weights[c] for c in y])
        model = LogisticRegression(C=1.0 / (fit["l2"] * sample.sum()), tol=1e-12, max_iter=100_000)
        model.fit(np.array([r[1] for r in train]), y, sample_weight=sample)
        p = model.predict_proba(np.array([r[1] for r in test]))
        truth = np.array([r[0] for r in test])
        predicted = p.argmax(axis=1)
        confusion = [[int(np.sum((truth == t) & (predicted == q))) for q in range(3)] for t in range(3)]
        assert got["confusion"] == confusion, (fit, got, confusion)
        p_truth = np.clip(p[np.arange(len(truth)), truth], 2.0 ** -23, 1 - 2.0 ** -23)
        assert got["log_loss_sum"] == pytest.approx(float(-np.log(p_truth).sum()), rel=1e-6)


def test_the_same_seed_gives_the_same_folds_whatever_the_partitioning(local_spark, small_data):
    once = sorted(folds_of(local_spark, small_data, SEED))
    again = sorted(folds_of(local_spark, small_data, SEED, partitions=5))
    assert once == again
    other = sorted(folds_of(local_spark, small_data, SEED + 1))
    assert [r[2] for r in other] != [r[2] for r in once], "another seed dealt the very same folds"


def test_a_sweep_request_with_a_bad_fold_is_refused(sidecar, small_data):
    request = sweep_request(small_data)
    request["fits"][0]["fold"] = FOLDS
    answer, _ = run_sweep(sidecar, request)
    assert (answer["event"], answer["kind"], answer["field"]) == ("error", "request", "fits[0].fold"), answer


def test_cancel_mid_sweep_ends_it_and_the_next_request_is_served(sidecar, separable_data, small_data):
    # Separable data, l2 = 0, tol = 0: each fit runs long (see conftest.separable_data).
    request = sweep_request(separable_data, max_iter=1_000_000, tol=0.0)
    for fit in request["fits"]:
        fit["l2"] = 0.0
    request_id = sidecar.new_id()
    sidecar.send({"op": "sweep", "id": request_id, **request})
    event, _ = sidecar.wait_for(lambda e: e.get("id") == request_id and (
        e["event"] in ("result", "error") or (e["event"] == "progress" and e["stage"] == "fitting")))
    assert event["event"] == "progress", f"the sweep ended before it was cancelled: {event}"
    sidecar.send({"op": "cancel", "id": request_id})
    answer, _ = sidecar.wait_for(lambda e: e.get("id") == request_id and e["event"] in ("result", "error"),
                                 bound=CANCEL_BOUND)
    assert (answer["event"], answer["kind"]) == ("error", "cancelled"), answer
    answer, _ = run_sweep(sidecar, sweep_request(small_data, grid=(0.5,)))
    assert answer["event"] == "result", answer
