"""One fit: read the data Spark can reach, check it as Ballast's loader would, fit Spark's
`LogisticRegression` to Ballast's objective, and return the result event's fields.

Ballast minimises J(β) = Σᵢ wᵢℓᵢ / Σᵢ wᵢ + (l2/2)‖β‖² (intercepts unpenalised), which is exactly
Spark's objective with regParam = l2, elasticNetParam = 0 and standardization = False; wᵢ is the
class weight of row i's class, given to Spark as a `weightCol`. Features are rounded to float32 as
Ballast stores them, so both engines fit the same numbers.
"""

from __future__ import annotations

import math
import time
from typing import Any, Callable, Optional

from .protocol import FitRequest, SidecarError
from .session import first_line

# Cells Ballast's loader reads as missing (CSVLexer.classify), compared lower-cased after trimming.
MISSING_MARKERS = ("", "na", "nan", "?")
NON_FINITE_MARKERS = ("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity")


class Cancelled(Exception):
    """Raised between steps once the fit was asked to stop."""


def data_error(message: str, field: Optional[str]) -> SidecarError:
    return SidecarError("data", message, field)


class Checked:
    """A file read and checked as Ballast's loader would: its frame, each row's class index (an
    expression), its features (float32-rounded), the aggregated summary and the rows per class."""

    def __init__(self, frame: Any, label_text: Any, class_index: Any, features: list["FeatureColumn"],
                 summary: dict[str, Any], class_counts: list[int]):
        self.frame, self.label_text, self.class_index, self.features = frame, label_text, class_index, features
        self.summary, self.class_counts = summary, class_counts
        self.rows = int(summary["rows"] or 0)


def read_checked(spark: Any, request: FitRequest, check_cancel: Callable[[], None],
                 extra: Callable[[Any], list[Any]] = lambda class_index: []) -> Checked:
    """Reads `request`'s file and checks its label and features (a `data` error names the first
    fault). `extra(class_index)` adds aggregates to the same pass over the data."""
    from pyspark.sql import functions as F

    frame = read_frame(spark, request)
    check_cancel()
    columns = resolve_columns(frame, request)
    label_text, label_missing, class_index = label_expressions(F, frame, columns[request.label], request.classes)
    features = [feature_expressions(F, frame, columns[name]) for name in request.features]

    def count(condition: Any) -> Any:
        return F.sum(F.when(condition, 1).otherwise(0))

    checks = [F.count(F.lit(1)).alias("rows"), count(label_missing).alias("label_missing"),
              count(class_index.isNull() & ~label_missing).alias("label_unknown")] + extra(class_index)
    checks += [count(class_index == k).alias(f"class_{k}") for k in range(len(request.classes))]
    for i, feature in enumerate(features):
        checks += [count(feature.missing).alias(f"missing_{i}"), count(feature.text).alias(f"text_{i}"),
                   count(feature.non_finite).alias(f"nonfinite_{i}")]
    try:
        summary = frame.agg(*checks).collect()[0].asDict()
    except Exception as e:  # noqa: BLE001
        check_cancel()
        raise read_error(e, request) from None
    check_cancel()
    rows = summary["rows"] or 0
    where = request.path
    if rows == 0:
        raise data_error(f"{where} has no data rows.", "path")
    if summary["label_missing"]:
        raise data_error(f"{plural(summary['label_missing'], 'row')} of {where} have no label in '{request.label}' "
                         f"(empty, NA, NaN or ?); Ballast refuses rows without a label.", "label")
    if summary["label_unknown"]:
        examples = [r[0] for r in frame.where(class_index.isNull() & ~label_missing)
                    .select(label_text).distinct().limit(5).collect()]
        raise data_error(f"{plural(summary['label_unknown'], 'row')} of {where} have a label in '{request.label}' that is "
                         f"not one of the classes ({', '.join(request.classes)}): {', '.join(repr(x) for x in examples)}.", "label")
    for i, name in enumerate(request.features):
        field = f"features[{i}]"
        if summary[f"missing_{i}"]:
            raise data_error(f"Column '{name}' has a missing value (empty, NA, NaN or ?) in {plural(summary[f'missing_{i}'], 'row')} "
                             f"of {where}; Spark training needs every value, as Ballast's loader does by default.", field)
        if summary[f"text_{i}"]:
            examples = [r[0] for r in frame.where(features[i].text).select(features[i].raw).limit(3).collect()]
            raise data_error(f"Column '{name}' holds text where a number is expected in {plural(summary[f'text_{i}'], 'row')} "
                             f"of {where} (for example {', '.join(repr(x) for x in examples)}).", field)
        if summary[f"nonfinite_{i}"]:
            raise data_error(f"Column '{name}' holds an infinite value (or one too large for float32) in "
                             f"{plural(summary[f'nonfinite_{i}'], 'row')} of {where}.", field)
    class_counts = [int(summary[f"class_{k}"] or 0) for k in range(len(request.classes))]
    if request.class_counts is not None and class_counts != request.class_counts:
        def spoken(counts: list[int]) -> str:
            return ", ".join(f"{c}: {n}" for c, n in zip(request.classes, counts))
        raise data_error(f"{where} holds per class {spoken(class_counts)} rows, not the dataset's {spoken(request.class_counts)}",
                         "class_counts")
    return Checked(frame, label_text, class_index, features, summary, class_counts)


def weight_column(F: Any, class_index: Any, weights: list[float]) -> Any:
    """Each row's class weight, from its class index."""
    weight = F.lit(None).cast("double")
    for k, w in enumerate(weights):
        weight = F.when(class_index == k, F.lit(float(w))).otherwise(weight)
    return weight


def fit_logistic(spark: Any, request: FitRequest, set_stage: Callable[[str], None],
                 cancelled: Callable[[], bool]) -> dict[str, Any]:
    """The `result` event of `request` (without `event` and `id`), or a SidecarError."""
    from pyspark.sql import functions as F
    from pyspark.ml.functions import array_to_vector

    started = time.monotonic()

    def check_cancel() -> None:
        if cancelled():
            raise Cancelled()

    set_stage("reading")
    weights = request.class_weights or [1.0] * len(request.classes)
    checked = read_checked(spark, request, check_cancel,
                           lambda class_index: [F.sum(weight_column(F, class_index, weights)).alias("weight_sum")])
    summary, rows, where = checked.summary, checked.rows, request.path
    class_index, features = checked.class_index, checked.features
    weight = weight_column(F, class_index, weights)
    frame = checked.frame
    class_counts = checked.class_counts
    weighted = [k for k in range(len(request.classes)) if class_counts[k] > 0 and weights[k] > 0]
    if request.family == "binomial":
        positive = request.positive
        sides = {k == positive for k in weighted}
        if sides != {True, False}:
            side = "positive" if True not in sides else "negative"
            raise data_error(f"{where} has no {side} rows of weight above 0 (class counts "
                             f"{dict(zip(request.classes, class_counts))}), so there is nothing to fit.", "label")
        label = (class_index == positive).cast("double")
    else:
        if len(weighted) < 2:
            raise data_error(f"{where} has rows of weight above 0 in fewer than two classes (class counts "
                             f"{dict(zip(request.classes, class_counts))}), so there is nothing to fit.", "label")
        # The class count travels as the label's metadata, so a class without rows still gets its row.
        label = class_index.cast("double")
    label = label.alias("label", metadata={"ml_attr": {"type": "nominal", "name": "label",
                                                      "num_vals": 2 if request.family == "binomial" else len(request.classes)}})
    prepared = frame.select(label, weight.alias("weight"),
                            array_to_vector(F.array(*[f.value for f in features])).alias("features"))

    check_cancel()
    set_stage("fitting")
    model = fit_ballast_objective(prepared, request, l2=request.l2, weighted=request.class_weights is not None,
                                  check_cancel=check_cancel)
    check_cancel()
    coefficients = model.coefficientMatrix.toArray().tolist()
    intercepts = model.interceptVector.toArray().tolist()
    iterations, history = 0, []
    if model.hasSummary:
        iterations = int(model.summary.totalIterations)
        history = [float(x) for x in model.summary.objectiveHistory]
    for row in coefficients + [intercepts]:
        if not all(math.isfinite(x) for x in row):
            raise SidecarError("spark", "Spark's fit diverged: a coefficient is not finite (is the l2 penalty 0 on separable data?).", "l2")
    return {"coefficients": coefficients, "intercepts": intercepts, "iterations": iterations,
            "objective_history": [x if math.isfinite(x) else None for x in history],
            "rows": int(rows), "weight_sum": float(summary["weight_sum"]), "class_counts": class_counts,
            "seconds": round(time.monotonic() - started, 3)}


def fit_ballast_objective(frame: Any, request: FitRequest, *, l2: float, weighted: bool,
                          check_cancel: Callable[[], None], which: str = "") -> Any:
    """Spark's `LogisticRegression` on `frame` (`label`, `weight`, `features`) set up so that it
    minimises Ballast's J: regParam = l2, no elastic net, no standardisation, the weights as
    `weightCol` (the mapping is in the README). `which` names the fit in the error ("on fold 2")."""
    from pyspark.ml.classification import LogisticRegression
    options: dict[str, Any] = dict(featuresCol="features", labelCol="label", regParam=l2, elasticNetParam=0.0,
                                   standardization=False, fitIntercept=True, maxIter=request.max_iter, tol=request.tol,
                                   family=request.family)
    if weighted:
        options["weightCol"] = "weight"
    try:
        return LogisticRegression(**options).fit(frame)
    except Exception as e:  # noqa: BLE001
        check_cancel()
        raise SidecarError("spark", f"Spark's LogisticRegression failed{which}: {first_line(e)}") from None


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def read_frame(spark: Any, request: FitRequest) -> Any:
    """The file as a DataFrame (CSV: every column as text), or a `data` error at `path`."""
    try:
        if request.format == "parquet":
            frame = spark.read.parquet(request.path)
        else:
            frame = (spark.read.option("header", request.csv.header).option("sep", request.csv.delimiter)
                     .option("quote", '"').option("escape", '"').option("inferSchema", False)
                     .option("encoding", "UTF-8").option("mode", "PERMISSIVE").csv(request.path))
        frame.schema   # Spark Connect reads lazily: a missing file shows only when the schema is asked for
        return frame
    except Exception as e:  # noqa: BLE001
        raise read_error(e, request) from None


def read_error(error: Exception, request: FitRequest) -> SidecarError:
    message = first_line(error)
    if "PATH_NOT_FOUND" in message or "does not exist" in message:
        return data_error(f"Spark cannot find {request.path} (a path must be one the Spark driver and executors can read).", "path")
    return data_error(f"Spark could not read {request.path} as {request.format}: {message}", "path")


def resolve_columns(frame: Any, request: FitRequest) -> dict[str, str]:
    """Each requested name → the frame's column. A CSV read without a header answers to the names
    the request's `columns` gives in file order; without `columns`, to Ballast's default names for
    it: the last column is `label`, the others `x1…xN`."""
    columns = list(frame.columns)
    aliases = {name: name for name in columns}
    listed = columns
    if request.format == "csv" and not request.csv.header and columns:
        if request.columns is not None:
            if len(request.columns) != len(columns):
                raise data_error(f"{request.path} has {plural(len(columns), 'column')} but \"columns\" names "
                                 f"{len(request.columns)}.", "columns")
            aliases = dict(zip(request.columns, columns))
            listed = request.columns
        else:
            aliases.setdefault("label", columns[-1])
            for i, name in enumerate(columns[:-1]):
                aliases.setdefault(f"x{i + 1}", name)
    shown = ", ".join(listed[:20]) + (f", … ({len(listed)} in all)" if len(listed) > 20 else "")
    resolved = {}
    for name, field in [(request.label, "label")] + [(n, f"features[{i}]") for i, n in enumerate(request.features)]:
        if name not in aliases:
            raise data_error(f"{request.path} has no column '{name}' (named by {field}); its columns are: {shown}.", field)
        resolved[name] = aliases[name]
    return resolved


def label_expressions(F: Any, frame: Any, column: str, classes: list[str]) -> tuple[Any, Any, Any]:
    """The label as trimmed text, whether it is missing, and its index in `classes` (null when not
    one of them). A label matches a class as text, or as a number when both are numbers (1.0 and 1)."""
    text = F.trim(F.col(f"`{column}`").cast("string"))
    missing = text.isNull() | F.lower(text).isin(*MISSING_MARKERS)
    index = F.lit(None).cast("int")
    number = text.try_cast("double")
    for k in reversed(range(len(classes))):
        index = F.when(text == classes[k], F.lit(k)).otherwise(index)
    numeric = [(k, as_number(c)) for k, c in enumerate(classes)]
    fallback = F.lit(None).cast("int")
    for k, value in reversed(numeric):
        if value is not None:
            fallback = F.when(number == value, F.lit(k)).otherwise(fallback)
    index = F.when(missing, F.lit(None).cast("int")).otherwise(F.coalesce(index, fallback))
    return text, missing, index


def as_number(text: str) -> Optional[float]:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class FeatureColumn:
    """A feature's raw text (for messages), whether it is missing, text or infinite, and its value
    (float32-rounded, as a double)."""

    def __init__(self, raw: Any, missing: Any, text: Any, non_finite: Any, value: Any):
        self.raw, self.missing, self.text, self.non_finite, self.value = raw, missing, text, non_finite, value


def feature_expressions(F: Any, frame: Any, column: str) -> FeatureColumn:
    from pyspark.sql.types import NumericType
    col = F.col(f"`{column}`")
    if isinstance(frame.schema[column].dataType, NumericType):
        number = col.cast("double")
        missing = col.isNull() | F.isnan(number)
        text = F.lit(False)
        raw = col.cast("string")
    else:
        raw = F.trim(col.cast("string"))
        missing = raw.isNull() | F.lower(raw).isin(*MISSING_MARKERS)
        number = raw.try_cast("double")
        text = ~missing & number.isNull()
    single = number.cast("float")
    non_finite = ~missing & number.isNotNull() & (F.abs(single) == float("inf"))
    return FeatureColumn(raw, missing, text, non_finite, single.cast("double"))
