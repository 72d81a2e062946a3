"""What the typed methods of :class:`~ballast_client.Client` return: the daemon's result, as sent,
with its fields as attributes, ``to_dict()``, ``to_pandas()`` where the result is a table, and a
rich display in Jupyter (``_repr_html_``, drawn by :mod:`ballast_client.html`).

Every result is a ``dict`` (a subclass), so ``result["f1"]``, ``json.dumps(result)`` and
comparisons with plain dicts keep working; ``result.f1`` reads the same field. A field whose name
is also a dict method (``keys``, ``values``, ``items``, ``get``, …) is read with ``result["values"]``.
Nested objects read as attributes too (``train.metrics.validation.f1``). pandas is imported only
when ``to_pandas`` is called.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

__all__ = [
    "Result", "DatasetSummary", "DatasetDescription", "DatasetHead", "DatasetList", "Split", "Folds",
    "Weights", "MetricsReport", "Curves", "TrainResult", "ModelInfo", "ModelList", "Predictions",
    "Comparison", "Sweep", "TuneResult", "HonestEstimate", "TuneCalibration", "RunList", "RunDescription", "RunComparison", "RunEvents", "Status",
]


def _frame(rows: Any, *, index: str | None = None):
    import pandas as pd

    frame = pd.DataFrame(list(rows or []))
    if index is not None and index in frame.columns:
        frame = frame.set_index(index)
    return frame


def _html():
    """The HTML renderers, or None while :mod:`ballast_client.html` is not there (Jupyter then
    shows the plain repr)."""
    try:
        from . import html
    except ImportError:
        return None
    return html


class Result(dict):
    """A daemon result: a dict whose fields also read as attributes."""

    #: field name → the Result class its value is read as (nested objects with tables of their own)
    _nested: ClassVar[dict[str, type["Result"]]] = {}
    #: the list field ``to_pandas`` turns into rows, and the field that names each row
    _table: ClassVar[str | None] = None
    _index: ClassVar[str | None] = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            value = self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}; its fields are "
                                 f"{', '.join(self) or 'none'}.") from None
        kind = self._nested.get(name)
        if kind is not None and isinstance(value, dict):
            return kind(value)
        if isinstance(value, dict) and not isinstance(value, Result):
            return Result(value)
        return value

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {key for key in self if key.isidentifier()})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"

    def to_dict(self) -> dict:
        """The result as plain dicts and lists (a deep copy), as the daemon sent it."""
        return copy.deepcopy(dict(self))

    def to_pandas(self):
        """The result's table as a ``pandas.DataFrame``; raises TypeError for a result that is
        not a table."""
        if self._table is None:
            raise TypeError(f"A {type(self).__name__} is not a table; to_dict() gives its fields.")
        return _frame(self.get(self._table), index=self._index)

    def _html_rows(self) -> list[dict]:
        if self._table is not None:
            return [dict(row) for row in self.get(self._table) or []]
        return [{"field": key, "value": value} for key, value in self.items()]

    def _repr_html_(self) -> str | None:
        html = _html()
        return None if html is None else html.table_html(self._html_rows())


# -- datasets ---------------------------------------------------------------------------------


class DatasetSummary(Result):
    """A dataset's summary (``dataset/generate``, ``dataset/resample``, ``dataset/put``; the
    ``dataset`` field of ``dataset/load``): ``name``, ``rows``, ``features``, ``feature_names``,
    ``classes [{label, count}]``, ``imbalance_ratio``, ``positive``, … ``to_pandas()``: one row
    per class. ``dataset/load``'s result (the summary under ``dataset``, with ``dropped_rows``,
    ``warnings``, ``seconds``) reads the same: its summary's fields are also read from the top."""

    _index = "label"

    def _summary(self) -> dict:
        inner = dict.get(self, "dataset")
        return inner if isinstance(inner, dict) else self

    def __getattr__(self, name: str) -> Any:
        if name not in self and name in self._summary():
            return self._summary()[name]
        return super().__getattr__(name)

    def to_pandas(self):
        return _frame(self._summary().get("classes"), index="label")

    def _html_rows(self) -> list[dict]:
        return [dict(row) for row in self._summary().get("classes") or []]


class DatasetDescription(Result):
    """``dataset/describe``: ``dataset`` (the summary), ``feature_stats [{name, mean, std, min, max,
    missing}]``, ``columns``, ``origin``, ``fingerprint``. ``to_pandas()``: the feature statistics."""

    _nested = {"dataset": DatasetSummary}
    _table = "feature_stats"
    _index = "name"


class DatasetHead(Result):
    """``dataset/head``: ``to_pandas()`` is the rows as a frame: one column per feature, the
    label, and ``id`` when the dataset has ids; indexed by row number."""

    def to_pandas(self):
        import pandas as pd

        names = list(self.get("feature_names") or [])
        records = []
        for row in self.get("rows") or []:
            record = {"row": row.get("row")}
            if row.get("id") is not None:
                record["id"] = row["id"]
            record.update(zip(names, row.get("values") or []))
            record["label"] = row.get("label")
            records.append(record)
        frame = pd.DataFrame(records)
        return frame.set_index("row") if "row" in frame.columns else frame

    def _html_rows(self) -> list[dict]:
        return self.to_pandas().reset_index().to_dict("records")


class DatasetList(Result):
    """``dataset/list``: ``datasets`` (summaries), ``bytes_used``, ``memory_budget``,
    ``unavailable``. ``to_pandas()``: one row per dataset."""

    _table = "datasets"
    _index = "name"


class Split(Result):
    """``dataset/split``: ``train``, ``validation``, ``test`` (the new datasets' names) and
    ``datasets`` (their summaries; ``to_pandas()``: one row each)."""

    _table = "datasets"
    _index = "name"


class Folds(Result):
    """``dataset/kfold``: ``folds [{index, classes, train, test}]``; ``to_pandas()``: one row per fold."""

    _table = "folds"
    _index = "index"


class Weights(Result):
    """``weights/compute``: ``scheme``, ``normalization``, ``classes [{label, count, weight}]``,
    ``pos_weight``, ``sklearn_class_weight``. ``to_pandas()``: one row per class."""

    _table = "classes"
    _index = "label"


# -- models -----------------------------------------------------------------------------------


class Curves(Result):
    """``model/evaluate``'s ``curves``: ``pr`` and ``roc``, each ``[{x, y, threshold}]``.
    ``to_pandas()``: both, with a ``curve`` column (``pr`` or ``roc``)."""

    def to_pandas(self, curve: str | None = None):
        import pandas as pd

        names = [curve] if curve is not None else [name for name in ("pr", "roc") if name in self]
        frames = [pd.DataFrame(list(self.get(name) or [])).assign(curve=name) for name in names]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["x", "y", "threshold", "curve"])


class MetricsReport(Result):
    """A metrics report (``model/evaluate``'s result, ``model/train``'s ``metrics.train`` and
    ``metrics.validation``): ``log_loss``, ``accuracy``, ``balanced_accuracy``, ``per_class
    [{label, precision, recall, f1, support}]``, ``positive`` (the rare class's row), ``macro_f1``,
    ``pr_auc``, ``roc_auc``, ``mcc``, ``g_mean``, ``confusion`` ([truth][prediction]), ``brier``,
    ``threshold``, ``curves``. ``to_pandas()``: the per-class table; ``confusion_to_pandas()``:
    the confusion matrix labelled by class."""

    _nested = {"curves": Curves}
    _table = "per_class"
    _index = "label"

    def to_pandas(self):
        frame = _frame(self.get("per_class"), index="label")
        order = [name for name in ("precision", "recall", "f1", "support") if name in frame.columns]
        return frame[order + [name for name in frame.columns if name not in order]]

    @property
    def f1(self) -> float | None:
        """The rare class's F1 (binary), else the macro F1."""
        positive = self.get("positive")
        if isinstance(positive, dict):
            return positive.get("f1")
        return self.get("macro_f1")

    def confusion_to_pandas(self):
        import pandas as pd

        labels = [row.get("label") for row in self.get("per_class") or []]
        matrix = self.get("confusion") or []
        if len(labels) != len(matrix):
            labels = list(range(len(matrix)))
        return pd.DataFrame(matrix, index=pd.Index(labels, name="truth"),
                            columns=pd.Index(labels, name="predicted"))

    def _repr_html_(self) -> str | None:
        html = _html()
        return None if html is None else html.metrics_report_html(self.to_dict())


class _TrainMetrics(Result):
    _nested = {"train": MetricsReport, "validation": MetricsReport}


class TrainResult(Result):
    """``model/train``: ``model``, ``run``, ``steps``, ``stop_reason``, ``seconds``, ``objective``,
    ``threshold``, ``metrics {train, validation?}`` (each a :class:`MetricsReport`),
    ``calibration``, ``warnings``. ``to_pandas()``: the headline figures, one row per split."""

    _nested = {"metrics": _TrainMetrics}
    _headline = ("accuracy", "balanced_accuracy", "f1", "macro_f1", "pr_auc", "roc_auc", "mcc", "g_mean",
                 "log_loss", "brier")

    @property
    def validation(self) -> MetricsReport | None:
        """The validation metrics report, when the training had a validation set."""
        report = (self.get("metrics") or {}).get("validation")
        return MetricsReport(report) if isinstance(report, dict) else None

    def to_pandas(self):
        import pandas as pd

        rows = {}
        for split, report in (self.get("metrics") or {}).items():
            if isinstance(report, dict):
                report = MetricsReport(report)
                rows[split] = {name: (report.f1 if name == "f1" else report.get(name)) for name in self._headline}
        return pd.DataFrame.from_dict(rows, orient="index")

    def _repr_html_(self) -> str | None:
        html = _html()
        if html is None:
            return None
        head = {key: self.get(key) for key in ("model", "run", "steps", "stop_reason", "seconds", "objective",
                                               "threshold") if key in self}
        parts = [html.table_html([head])]
        report = self.validation or (self.get("metrics") or {}).get("train")
        if report is not None:
            parts.append(html.metrics_report_html(dict(report)))
        return "\n".join(parts)


class ModelInfo(Result):
    """``model/describe`` (``model`` the summary, ``feature_names``, ``parameters``, ``config``,
    ``columns``) or ``model/load`` (the summary itself)."""


class ModelList(Result):
    """``model/list``: ``models`` (summaries), ``unavailable``; ``to_pandas()``: one row per model."""

    _table = "models"
    _index = "name"


class Predictions(Result):
    """``model/predict``: ``classes``, ``probabilities`` (rows × classes), ``labels`` (the predicted
    label of each row), ``threshold``, ``warnings``, and ``ids`` / ``truth`` when the rows came from
    a dataset that has them. ``to_pandas()``: one row per prediction with columns ``id`` and
    ``truth`` (when known), ``P(<class>)`` for each class, and ``predicted``.

    Built from the binary reply too, where ``probabilities`` is a float32 array and ``labels``
    are class indices: ``labels`` then reads as the class labels, ``label_indices`` as the indices.
    """

    def __init__(self, result: dict):
        result = dict(result)
        labels = result.get("labels")
        if labels is not None and not isinstance(labels, list) and hasattr(labels, "dtype"):
            classes = list(result.get("classes") or [])
            result["label_indices"] = labels
            result["labels"] = [classes[int(index)] for index in labels]
        super().__init__(result)

    def to_dict(self) -> dict:
        plain = {}
        for key, value in self.items():
            plain[key] = value.tolist() if hasattr(value, "tolist") else copy.deepcopy(value)
        return plain

    def to_pandas(self):
        import numpy as np
        import pandas as pd

        classes = [str(label) for label in self.get("classes") or []]
        probabilities = np.asarray(self.get("probabilities") if self.get("probabilities") is not None else [],
                                   dtype=np.float64).reshape(-1, len(classes) or 1)
        columns: dict[str, Any] = {}
        if self.get("ids") is not None:
            columns["id"] = list(self["ids"])
        if self.get("truth") is not None:
            columns["truth"] = list(self["truth"])
        for index, label in enumerate(classes):
            columns[f"P({label})"] = probabilities[:, index]
        columns["predicted"] = list(self.get("labels") or [])
        return pd.DataFrame(columns)

    def _html_rows(self) -> list[dict]:
        return self.to_pandas().head(50).to_dict("records")


# -- experiments ------------------------------------------------------------------------------


class Comparison(Result):
    """``experiment/compare``: ``run``, ``rows [{arm, description, recall, precision, f1, pr_auc,
    roc_auc, mcc, threshold, seconds}]``, ``skipped {arm: reason}``, ``warnings``.
    ``to_pandas()``: one row per arm. Also the partial result of a cancelled comparison
    (``rows`` finished so far)."""

    _table = "rows"
    _index = "arm"

    def best(self, metric: str = "f1") -> dict | None:
        """The row with the highest ``metric``."""
        rows = [row for row in self.get("rows") or [] if isinstance(row.get(metric), (int, float))]
        return max(rows, key=lambda row: row[metric]) if rows else None

    def _repr_html_(self) -> str | None:
        html = _html()
        return None if html is None else html.compare_html(self.to_dict())


class Sweep(Result):
    """``experiment/sweep``: ``run``, ``param``, ``metric``, ``results [{value, mean, sd, folds}]``
    (``folds``: every repeat's fold scores, repeat after repeat), ``best`` (the value with the
    highest mean), ``folds {requested, used, repeats, note?}`` (the fold plan that ran).
    ``to_pandas()``: one row per value."""

    _table = "results"
    _index = "value"

    def _repr_html_(self) -> str | None:
        html = _html()
        return None if html is None else html.sweep_html(self.to_dict())


class HonestEstimate(Result):
    """``experiment/tune``'s ``estimate``: how the winner does on rows its selection never saw.
    ``method`` (what ran: ``holdout``, ``nested`` or ``none``), ``objective`` (the holdout's value,
    or the mean over outer folds), ``sd`` (nested), ``scores`` and ``winners`` (per outer fold;
    one each for a holdout), ``rows`` (rows scored), ``metrics`` (a :class:`MetricsReport` at the
    tuned threshold). ``to_pandas()``: one row per outer fold (``score``, ``winner``)."""

    _nested = {"metrics": MetricsReport}

    def to_pandas(self):
        import pandas as pd

        scores = list(self.get("scores") or [])
        winners = list(self.get("winners") or [])
        winners += [None] * (len(scores) - len(winners))
        frame = pd.DataFrame({"score": scores, "winner": winners[:len(scores)]})
        frame.index.name = "fold"
        return frame


class TuneCalibration(Result):
    """``experiment/tune``'s ``calibration``: ``method``, ``parameters`` (fitted: platt ``a``,
    ``b``; …), ``applied_to_model`` (folded into the stored model's output layer), ``on`` (the rows
    measured: ``holdout``, ``outer_folds`` or ``oof``), ``threshold_calibrated``, and ``before`` /
    ``after``, each ``{brier, log_loss, reliability [{mean_predicted, fraction_positive, count}]}``.
    ``to_pandas()``: the reliability curves, one row per bin, ``when`` saying before or after."""

    def to_pandas(self):
        import pandas as pd

        rows = []
        for when in ("before", "after"):
            for point in (self.get(when) or {}).get("reliability") or []:
                rows.append({"when": when, **point})
        columns = ["when", "mean_predicted", "fraction_positive", "count"]
        return pd.DataFrame(rows, columns=list(dict.fromkeys(columns + [k for row in rows for k in row])))

    def losses(self):
        """Brier score and log loss before and after, as a frame (rows ``before``, ``after``)."""
        import pandas as pd

        figures = {when: {name: (self.get(when) or {}).get(name) for name in ("brier", "log_loss")}
                   for when in ("before", "after")}
        return pd.DataFrame.from_dict(figures, orient="index")


class TuneResult(Result):
    """``experiment/tune``: what Ballast chose and why.

    ``leaderboard`` is a ``pandas.DataFrame``, best first, one row per candidate (indexed by its
    name): ``rank``, ``mean`` and ``sd`` of the objective over the cross-validation folds,
    ``threshold`` (tuned on out-of-fold predictions), ``seconds``, ``description``, ``scores``
    (every fold's). ``winner``: ``candidate``, ``description``, ``threshold``, ``why`` (one
    sentence), ``config`` (params for ``model.train``: ``bl.model.train(dataset,
    **result.winner.config)`` trains it again). ``model``: the name the winner, refitted on all
    of the dataset, is stored under (as ``model.train`` returns it). ``estimate``: a
    :class:`HonestEstimate`; ``calibration``: a :class:`TuneCalibration`, or None when none was
    asked for. Also ``run``, ``objective``, ``folds {requested, used, repeats, note?}``,
    ``skipped {candidate: reason}``, ``notes``, ``seconds``; ``raw`` is the result as the daemon
    sent it (plain dicts). ``to_pandas()`` is the leaderboard."""

    _table = "leaderboard"
    _index = "candidate"
    _nested = {"estimate": HonestEstimate, "calibration": TuneCalibration}
    _first = ("rank", "mean", "sd", "threshold", "seconds", "description", "scores")

    def to_pandas(self):
        frame = _frame(self.get("leaderboard"), index="candidate")
        order = [name for name in self._first if name in frame.columns]
        return frame[order + [name for name in frame.columns if name not in order]]

    @property
    def leaderboard(self):
        """The leaderboard as a ``pandas.DataFrame``, best first (``result["leaderboard"]``: the rows)."""
        return self.to_pandas()

    @property
    def estimate(self) -> HonestEstimate | None:
        """The honest estimate (``method`` ``"none"`` when none was asked for)."""
        value = self.get("estimate")
        return HonestEstimate(value) if isinstance(value, dict) else None

    @property
    def calibration(self) -> TuneCalibration | None:
        """The calibration report, or None when the request asked for none."""
        value = self.get("calibration")
        return TuneCalibration(value) if isinstance(value, dict) else None

    @property
    def raw(self) -> dict:
        """The result as the daemon sent it: plain dicts and lists (a deep copy)."""
        return self.to_dict()

    def _repr_html_(self) -> str | None:
        html = _html()
        return None if html is None else html.tune_html(self.to_dict())


# -- runs and the daemon ----------------------------------------------------------------------


def _flat_run(run: dict) -> dict:
    record = {key: value for key, value in run.items() if key not in ("metrics", "datasets")}
    datasets = run.get("datasets")
    if isinstance(datasets, list):
        record["datasets"] = ", ".join(str(d.get("name", d) if isinstance(d, dict) else d) for d in datasets)
    for name, value in (run.get("metrics") or {}).items():
        record[name] = value
    return record


class RunList(Result):
    """``run/list``: ``runs`` (summaries), ``total``, ``next_offset``. ``to_pandas()``: one row per
    run, its metrics as columns (``validation.f1``, …) and its datasets' names joined."""

    def to_pandas(self):
        return _frame([_flat_run(run) for run in self.get("runs") or []], index="run")

    def _html_rows(self) -> list[dict]:
        return [_flat_run(run) for run in self.get("runs") or []]


class RunDescription(Result):
    """``run/describe``: ``summary``, ``params`` (as sent), ``config`` (resolved), ``result``,
    ``event_count``."""


class RunComparison(Result):
    """``run/compare``: ``metrics`` (names), ``params`` (paths), ``rows [{run, metrics, params}]``.
    ``to_pandas()``: one row per run, columns ``param.<path>`` and ``metric.<name>``
    (:func:`~ballast_client.runs.comparison_records`)."""

    def records(self) -> list[dict]:
        from .runs import comparison_records

        return comparison_records(self)

    def to_pandas(self):
        return _frame(self.records(), index="run")

    def _html_rows(self) -> list[dict]:
        return self.records()


class RunEvents(Result):
    """``run/events``: ``run``, ``events`` (begin, reports, end), ``complete``, ``next_since_seq``.
    ``to_pandas()``: one row per event."""

    _table = "events"
    _index = "seq"

    def to_pandas(self):
        import pandas as pd

        frame = pd.json_normalize(list(self.get("events") or []))
        return frame.set_index("seq") if "seq" in frame.columns else frame


class Status(Result):
    """``status``: ``pid``, ``uptime_s``, ``protocol_version``, ``sessions``, ``in_flight``
    (``to_pandas()``: one row per request in flight), ``rejected``, ``shutting_down``,
    ``state_dir``."""

    _table = "in_flight"
