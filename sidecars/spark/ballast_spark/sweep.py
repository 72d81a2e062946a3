"""One sweep: the file read and checked once, its rows given stratified folds inside Spark, cached,
then one `LogisticRegression` fit per (grid value, repeat, fold) on the other folds with that
value's class weights, scored on the held-out fold. No row leaves Spark: each fit returns its
held-out confusion counts and summed log loss, from which Ballast computes the sweep's metric.

Folds (`assign_folds`): within each class, rows are ordered by a seeded 64-bit hash of what the
fit sees of them (the label and the float32 features), and the row of rank r gets fold r mod k.
So every fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class c (fold f: ⌈(n_c − f)/k⌉), and the folds
are the same for a seed and a file whatever Spark's partitioning: rows that tie on the hash are
identical to the fit, so which of them lands where changes nothing.
"""

from __future__ import annotations

import math
import time
from typing import Any, Callable

from .fit import Cancelled, Checked, fit_ballast_objective, read_checked, weight_column
from .protocol import SidecarError, SweepRequest

# Rows of a class are ranked within this many hash buckets at a time (each a window partition),
# so that no single task sorts a whole class of a cluster-sized file.
BUCKETS = 256
# Ballast's log-loss clip: float32's machine epsilon (Metrics.logLossEpsilon).
LOG_LOSS_EPSILON = 2.0 ** -23


def signed64(value: int) -> int:
    """A UInt64 seed as the signed long Spark's literals hold (same bits)."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def assign_folds(frame: Any, class_column: str, hash_columns: list[Any], seed: int, folds: int,
                 class_count: int, name: str = "fold") -> Any:
    """`frame` with a column `name`: each row's fold in 0..<folds, stratified by `class_column`
    (integer class indices 0..<class_count) and fixed by `seed` and the values of `hash_columns`."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    hashed = (frame.withColumn("_fold_hash", F.xxhash64(F.lit(signed64(seed)), *hash_columns))
              .withColumn("_fold_bucket", F.pmod(F.col("_fold_hash"), F.lit(BUCKETS)).cast("int")))
    counts = {(int(r[0]), int(r[1])): int(r[2])
              for r in hashed.groupBy(class_column, "_fold_bucket").count().collect()}
    # Rank offset of each (class, bucket): the rows of the class in the buckets before it.
    offsets: list[Any] = []
    for k in range(class_count):
        running = 0
        for b in range(BUCKETS):
            if (k, b) in counts:
                offsets += [F.lit(k * BUCKETS + b), F.lit(running)]
                running += counts[(k, b)]
    offset = F.element_at(F.create_map(*offsets), F.col(class_column) * BUCKETS + F.col("_fold_bucket")) if offsets else F.lit(0)
    window = Window.partitionBy(class_column, "_fold_bucket").orderBy("_fold_hash")
    rank = F.row_number().over(window) - 1 + offset
    return hashed.withColumn(name, F.pmod(rank, F.lit(folds)).cast("int")).drop("_fold_hash", "_fold_bucket")


def held_out_counts(class_counts: list[int], folds: int) -> list[list[int]]:
    """[fold][class] rows held out, as `assign_folds` deals them: ⌈(n_c − f)/k⌉."""
    return [[max(0, (n - f + folds - 1) // folds) for n in class_counts] for f in range(folds)]


def prepared_frame(checked: Checked, request: SweepRequest) -> Any:
    """The rows as the fits see them: class index, features vector, and one fold column per repeat."""
    from pyspark.sql import functions as F
    from pyspark.ml.functions import array_to_vector

    values = [f.value for f in checked.features]
    frame = checked.frame.select(checked.class_index.alias("class"), *[v.alias(f"_v{i}") for i, v in enumerate(values)])
    hash_columns = [F.col("class")] + [F.col(f"_v{i}") for i in range(len(values))]
    for r, seed in enumerate(request.seeds):
        frame = assign_folds(frame, "class", hash_columns, seed, request.folds, len(request.fit.classes), name=f"fold_{r}")
    vector = array_to_vector(F.array(*[F.col(f"_v{i}") for i in range(len(values))])).alias("features")
    prepared = frame.select("class", vector, *[f"fold_{r}" for r in range(len(request.seeds))])
    # The ranking's shuffle leaves spark.sql.shuffle.partitions (200) partitions, which every L-BFGS
    # iteration would visit: back to as many as the file was read in.
    partitions = input_partitions(checked.frame)
    return prepared.coalesce(partitions) if partitions else prepared


def input_partitions(frame: Any) -> int:
    """How many partitions Spark reads `frame` in (0 when it cannot say: Spark Connect)."""
    try:
        return max(1, int(frame.rdd.getNumPartitions()))
    except Exception:  # noqa: BLE001
        return 0


def run_sweep(spark: Any, request: SweepRequest, set_stage: Callable[[str], None], cancelled: Callable[[], bool],
              fit_done: Callable[[int, int], None]) -> dict[str, Any]:
    """The `result` event of a sweep (without `event` and `id`), or a SidecarError / Cancelled."""
    from pyspark.sql import functions as F
    from pyspark.ml.functions import vector_to_array

    started = time.monotonic()
    fit_request = request.fit
    classes = fit_request.classes
    k = len(classes)

    def check_cancel() -> None:
        if cancelled():
            raise Cancelled()

    set_stage("reading")
    checked = read_checked(spark, fit_request, check_cancel)
    class_counts = checked.class_counts
    data = prepared_frame(checked, request).cache()
    try:
        # The fold counts, computed on the cached rows (and caching them): [repeat][fold][class].
        counted = data.groupBy(*[f"fold_{r}" for r in range(len(request.seeds))], "class").count().collect()
        check_cancel()
        fold_counts = [[[0] * k for _ in range(request.folds)] for _ in request.seeds]
        for row in counted:
            for r in range(len(request.seeds)):
                fold_counts[r][row[f"fold_{r}"]][row["class"]] += row["count"]
        set_stage("fitting")
        binomial = fit_request.family == "binomial"
        positive = fit_request.positive
        # A binary report thresholds P(positive) at 0.5 (positive iff p ≥ 0.5); more classes take the argmax.
        thresholded = k == 2 and positive is not None
        results = []
        for done, fit in enumerate(request.fits):
            check_cancel()
            fold = F.col(f"fold_{fit.repeat}")
            weight = weight_column(F, F.col("class"), fit.class_weights or [1.0] * k)
            label = (F.col("class") == positive).cast("double") if binomial else F.col("class").cast("double")
            label = label.alias("label", metadata={"ml_attr": {"type": "nominal", "name": "label",
                                                              "num_vals": 2 if binomial else k}})
            train = data.where(fold != fit.fold).select(label, weight.alias("weight"), "features")
            model = fit_ballast_objective(train, fit_request, l2=fit.l2, weighted=fit.class_weights is not None,
                                          check_cancel=check_cancel, which=f" on fold {fit.fold + 1}")
            check_cancel()
            scored = model.transform(data.where(fold == fit.fold).select("class", "features"))
            # P of each class in `classes` order (binomial: Spark's [negative, positive] put back).
            p = vector_to_array(F.col("probability"))
            if binomial:
                p_of = lambda c: p[1] if c == positive else p[0]  # noqa: E731
            else:
                p_of = lambda c: p[c]  # noqa: E731
            p_truth = p[0]
            for c in reversed(range(k)):
                p_truth = F.when(F.col("class") == c, p_of(c)).otherwise(p_truth)
            if thresholded:
                predicted = F.when(p_of(positive) >= 0.5, F.lit(positive)).otherwise(F.lit(1 - positive))
            else:
                # The first class of the largest probability, as Ballast's argmax.
                probabilities = F.array(*[p_of(c) for c in range(k)])
                predicted = F.array_position(probabilities, F.array_max(probabilities)).cast("int") - 1
            clipped = F.least(F.greatest(p_truth, F.lit(LOG_LOSS_EPSILON)), F.lit(1 - LOG_LOSS_EPSILON))
            cells = (scored.select(F.col("class"), predicted.alias("predicted"), (-F.log(clipped)).alias("loss"))
                     .groupBy("class", "predicted").agg(F.count(F.lit(1)).alias("n"), F.sum("loss").alias("loss"))
                     .collect())
            check_cancel()
            confusion = [[0] * k for _ in range(k)]
            log_loss_sum = 0.0
            for cell in cells:
                confusion[cell["class"]][cell["predicted"]] += int(cell["n"])
                log_loss_sum += float(cell["loss"])
            iterations = int(model.summary.totalIterations) if model.hasSummary else 0
            if not all(math.isfinite(x) for x in model.coefficientMatrix.toArray().ravel().tolist()):
                raise SidecarError("spark", "Spark's fit diverged: a coefficient is not finite (is the l2 penalty 0 on separable data?).", "fits")
            results.append({"confusion": confusion, "log_loss_sum": log_loss_sum, "rows": sum(map(sum, confusion)),
                            "iterations": iterations})
            fit_done(done + 1, len(request.fits))
        return {"fits": results, "rows": checked.rows, "class_counts": class_counts, "fold_counts": fold_counts,
                "seconds": round(time.monotonic() - started, 3)}
    finally:
        try:
            data.unpersist(blocking=False)
        except Exception:  # noqa: BLE001 — Spark may be going away; RunningFit frees what is left
            pass
