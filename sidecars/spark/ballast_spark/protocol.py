"""The sidecar's wire: JSON objects, one per line, UTF-8; requests on stdin, events on stdout.

Requests (`op`): `fit`, `sweep`, `cancel`, `shutdown`. Events (`event`): `ready`, `progress`, `result`,
`error`. The shapes are written out in sidecars/spark/README.md; this module turns a request line
into a checked `FitRequest` (or a `SidecarError` naming the field) and writes events.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from typing import IO, Any, Optional

ERROR_KINDS = ("cancelled", "data", "request", "spark")


class SidecarError(Exception):
    """An error event waiting to be sent: its kind, a sentence for a person, and the field."""

    def __init__(self, kind: str, message: str, field: Optional[str] = None):
        assert kind in ERROR_KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.field = field


def request_error(message: str, field: Optional[str] = None) -> SidecarError:
    return SidecarError("request", message, field)


@dataclass(frozen=True)
class CSVFormat:
    delimiter: str = ","
    header: bool = True


@dataclass(frozen=True)
class FitRequest:
    id: str
    path: str
    format: str                    # "csv" | "parquet"
    csv: CSVFormat
    label: str
    features: list[str]
    classes: list[str]
    positive: Optional[int]        # binomial: index in `classes` of the class whose P is modelled
    class_weights: Optional[list[float]]
    family: str                    # "binomial" | "multinomial"
    l2: float
    max_iter: int
    tol: float
    # A CSV without a header: every column's name in file order (Ballast's loader names them
    # `x1…xN` around the label column, wherever it sits). None: the last column is `label`.
    columns: Optional[list[str]] = None
    # Rows per class (in `classes` order) of the dataset the fit stands for: Spark reading other
    # counts is a `data` error at `class_counts` before any fit runs. None: not checked.
    class_counts: Optional[list[int]] = None


def parse_line(line: str) -> dict[str, Any]:
    """One request line as a JSON object, or a `request` error."""
    try:
        message = json.loads(line)
    except json.JSONDecodeError as e:
        raise request_error(f"A request line is not JSON ({e.msg} at column {e.colno}).") from None
    if not isinstance(message, dict):
        raise request_error("A request must be a JSON object.")
    op = message.get("op")
    if op not in ("fit", "sweep", "cancel", "shutdown"):
        raise request_error(f"Unknown op {json.dumps(op)}: expected \"fit\", \"sweep\", \"cancel\" or \"shutdown\".", "op")
    if op in ("fit", "sweep", "cancel") and not isinstance(message.get("id"), str):
        raise request_error(f"A {op} request needs an \"id\" string.", "id")
    return message


def _number(message: dict[str, Any], key: str, default: float, *, minimum: float = 0.0) -> float:
    value = message.get(key, default)
    if value is None:
        value = default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < minimum:
        raise request_error(f"\"{key}\" must be a finite number of at least {minimum:g}, got {json.dumps(value)}.", key)
    return float(value)


def _string_list(message: dict[str, Any], key: str) -> list[str]:
    value = message.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise request_error(f"\"{key}\" must be a non-empty list of non-empty strings.", key)
    return value


def parse_fit(message: dict[str, Any]) -> FitRequest:
    """Checks a `fit` request's fields and their agreement; the first fault is a `request` error."""
    path = message.get("path")
    if not isinstance(path, str) or not path:
        raise request_error("\"path\" must name the data file or folder (a path or URL the Spark cluster can read).", "path")
    fmt = message.get("format", "csv") or "csv"
    if fmt not in ("csv", "parquet"):
        raise request_error(f"\"format\" must be \"csv\" or \"parquet\", got {json.dumps(fmt)}.", "format")
    csv_raw = message.get("csv") or {}
    if not isinstance(csv_raw, dict):
        raise request_error("\"csv\" must be an object with \"delimiter\" and \"header\".", "csv")
    delimiter = csv_raw.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise request_error(f"\"csv.delimiter\" must be one character, got {json.dumps(delimiter)}.", "csv.delimiter")
    header = csv_raw.get("header", True)
    if not isinstance(header, bool):
        raise request_error("\"csv.header\" must be true or false.", "csv.header")
    label = message.get("label")
    if not isinstance(label, str) or not label:
        raise request_error("\"label\" must name the label column.", "label")
    features = _string_list(message, "features")
    if label in features:
        raise request_error(f"The label column '{label}' is also listed as a feature.", f"features[{features.index(label)}]")
    for i, name in enumerate(features):
        if features.index(name) != i:
            raise request_error(f"The feature '{name}' is listed twice.", f"features[{i}]")
    classes = _string_list(message, "classes")
    if len(set(classes)) != len(classes):
        raise request_error("\"classes\" lists a label twice.", "classes")
    if len(classes) < 2:
        raise request_error("\"classes\" must list at least two labels.", "classes")
    family = message.get("family", "binomial" if len(classes) == 2 else "multinomial")
    if family not in ("binomial", "multinomial"):
        raise request_error(f"\"family\" must be \"binomial\" or \"multinomial\", got {json.dumps(family)}.", "family")
    positive = message.get("positive")
    if family == "binomial":
        if positive is None and len(classes) == 2:
            positive = 1
        if isinstance(positive, bool) or not isinstance(positive, int) or not 0 <= positive < len(classes):
            raise request_error(f"A binomial fit needs \"positive\", the index in \"classes\" (0…{len(classes) - 1}) of the positive class.", "positive")
    elif positive is not None and (isinstance(positive, bool) or not isinstance(positive, int) or not 0 <= positive < len(classes)):
        raise request_error(f"\"positive\" must be null or an index in \"classes\" (0…{len(classes) - 1}).", "positive")
    weights = message.get("class_weights")
    if weights is not None:
        if (not isinstance(weights, list) or len(weights) != len(classes)
                or not all(isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) and w >= 0 for w in weights)
                or not any(w > 0 for w in weights)):
            raise request_error(f"\"class_weights\" must be null or {len(classes)} finite numbers of at least 0 (one per class, not all 0).", "class_weights")
        weights = [float(w) for w in weights]
    columns = message.get("columns")
    if columns is not None:
        columns = _string_list(message, "columns")
        for i, name in enumerate(columns):
            if columns.index(name) != i:
                raise request_error(f"The column '{name}' is named twice in \"columns\".", f"columns[{i}]")
    counts = message.get("class_counts")
    if counts is not None and (not isinstance(counts, list) or len(counts) != len(classes)
                               or not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts)):
        raise request_error(f"\"class_counts\" must be null or {len(classes)} whole numbers of at least 0 (rows per class).",
                            "class_counts")
    max_iter = message.get("max_iter", 100)
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise request_error(f"\"max_iter\" must be a whole number of at least 1, got {json.dumps(max_iter)}.", "max_iter")
    return FitRequest(
        id=message["id"], path=path, format=fmt, csv=CSVFormat(delimiter=delimiter, header=header),
        label=label, features=features, classes=classes, positive=positive, class_weights=weights,
        family=family, l2=_number(message, "l2", 1e-4), max_iter=max_iter, tol=_number(message, "tol", 1e-6),
        columns=columns, class_counts=counts)


@dataclass(frozen=True)
class SweepFit:
    """One fit of a sweep: trained on every fold of `repeat` but `fold`, scored on `fold`."""
    repeat: int
    fold: int
    class_weights: Optional[list[float]]
    l2: float


@dataclass(frozen=True)
class SweepRequest:
    """A `sweep`: the data fields of a `fit` (its `class_weights` and `l2` unused), the number of
    folds, one fold seed per repeat, and the fits in the order they run and are answered."""
    id: str
    fit: FitRequest
    folds: int
    seeds: list[int]
    fits: list[SweepFit]


def parse_sweep(message: dict[str, Any]) -> SweepRequest:
    """Checks a `sweep` request: the `fit` fields, then `folds`, `seeds` and `fits`."""
    fit = parse_fit({**message, "class_weights": None, "l2": 0})
    folds = message.get("folds")
    if isinstance(folds, bool) or not isinstance(folds, int) or folds < 2:
        raise request_error(f"\"folds\" must be a whole number of at least 2, got {json.dumps(folds)}.", "folds")
    seeds = message.get("seeds")
    if (not isinstance(seeds, list) or not seeds
            or not all(isinstance(s, int) and not isinstance(s, bool) and -(1 << 63) <= s < 1 << 64 for s in seeds)):
        raise request_error("\"seeds\" must list one 64-bit fold seed per repeat (−2⁶³ … 2⁶⁴−1: its bits).", "seeds")
    seeds = [s & ((1 << 64) - 1) for s in seeds]
    raw_fits = message.get("fits")
    if not isinstance(raw_fits, list) or not raw_fits:
        raise request_error("\"fits\" must list at least one fit.", "fits")
    fits = []
    for i, raw in enumerate(raw_fits):
        where = f"fits[{i}]"
        if not isinstance(raw, dict):
            raise request_error(f"{where} must be an object with repeat, fold, class_weights and l2.", where)
        repeat, fold = raw.get("repeat"), raw.get("fold")
        if isinstance(repeat, bool) or not isinstance(repeat, int) or not 0 <= repeat < len(seeds):
            raise request_error(f"{where}.repeat must be an index in \"seeds\" (0…{len(seeds) - 1}).", f"{where}.repeat")
        if isinstance(fold, bool) or not isinstance(fold, int) or not 0 <= fold < folds:
            raise request_error(f"{where}.fold must be a fold index (0…{folds - 1}).", f"{where}.fold")
        weights = parse_fit({**message, "class_weights": raw.get("class_weights"), "l2": raw.get("l2")}).class_weights \
            if raw.get("class_weights") is not None else None
        fits.append(SweepFit(repeat=repeat, fold=fold, class_weights=weights, l2=_number(raw, "l2", 0.0)))
    return SweepRequest(id=message["id"], fit=fit, folds=folds, seeds=seeds, fits=fits)


class EventWriter:
    """Writes events to the protocol channel, one JSON object per line, whole lines only.

    Several threads send (the fit, its progress poller, the reader answering `busy`), so each line
    is written and flushed under a lock.
    """

    def __init__(self, stream: IO[str]):
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, event: dict[str, Any]) -> None:
        line = json.dumps(event, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def ready(self, spark_version: str, master: str) -> None:
        self.send({"event": "ready", "spark_version": spark_version, "master": master})

    def error(self, request_id: Optional[str], error: SidecarError) -> None:
        self.send({"event": "error", "id": request_id, "kind": error.kind, "message": error.message,
                   "field": error.field})
