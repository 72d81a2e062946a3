"""Plots of results with matplotlib: precision-recall and ROC curves of several models on one
axes, training loss and a validation metric by step, a sweep's mean ± sd, and a reliability
diagram before and after prior correction.

matplotlib is imported when a function is first called, so the client works without it
(``pip install 'ballast-client[plot]'`` brings it). Every function takes the plain result dicts
the daemon returns or objects with ``to_dict()``, draws on ``ax`` (a new figure's axes when
None) and returns the axes it drew on, so plots can be combined and restyled.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .html import as_dict

__all__ = ["pr_curves", "roc_curves", "training_curves", "sweep_plot", "reliability_diagram", "reliability_bins"]

SWEEP_PARAMS = {"w": "w (the rare class's weight in binary WCE)", "beta": "β (effective-number weights)",
                "gamma": "γ (focal loss)"}
METRIC_NAMES = {"f1": "F1", "pr_auc": "PR-AUC", "roc_auc": "ROC-AUC", "mcc": "MCC", "loss": "loss",
                "recall": "recall", "precision": "precision", "balanced_accuracy": "balanced accuracy",
                "g_mean": "G-mean"}


def _pyplot():
    try:
        import matplotlib.pyplot as pyplot
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("The plots need matplotlib: pip install 'ballast-client[plot]' "
                          "(or pip install matplotlib).") from error
    return pyplot


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots()
    return ax


def _metric_name(metric: str) -> str:
    return METRIC_NAMES.get(metric, metric)


# -- precision-recall and ROC -----------------------------------------------------------------

def _is_report(value: Any) -> bool:
    return isinstance(value, Mapping) and ("curves" in value or "per_class" in value)


def _labelled(results: Any, labels: Sequence[str] | None) -> list[tuple[str, Mapping[str, Any]]]:
    """``results`` as (label, report) pairs: one report, a list of them, or {label: report}."""
    results = as_dict(results)
    if isinstance(results, Mapping) and not _is_report(results):
        pairs = [(str(label), as_dict(result)) for label, result in results.items()]
    else:
        reports = [results] if isinstance(results, Mapping) else [as_dict(result) for result in results]
        pairs = [(f"model {i + 1}", report) for i, report in enumerate(reports)]
    if labels is not None:
        labels = list(labels)
        if len(labels) != len(pairs):
            raise ValueError(f"{len(labels)} labels were given for {len(pairs)} results; give one label per result.")
        pairs = [(str(label), report) for label, (_, report) in zip(labels, pairs)]
    if not pairs:
        raise ValueError("There are no results to plot.")
    return pairs


def _curve(report: Mapping[str, Any], kind: str, label: str) -> tuple[np.ndarray, np.ndarray]:
    curves = report.get("curves") if isinstance(report, Mapping) else None
    points = curves.get(kind) if isinstance(curves, Mapping) else None
    if not points:
        raise ValueError(f"The result for {label!r} has no {kind.upper()} curve: plot model/evaluate results of a "
                         "binary model, evaluated with curves (the default).")
    return (np.array([point["x"] for point in points], dtype=float),
            np.array([point["y"] for point in points], dtype=float))


def _finish_unit_square(ax: Any, xlabel: str, ylabel: str, title: str, legend_loc: str) -> Any:
    """Labels, title and legend of a plot of two rates, both axes spanning [0, 1] with a margin."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_title(title)
    ax.legend(loc=legend_loc)
    return ax


def _class_suffix(pairs: Sequence[tuple[str, Mapping[str, Any]]]) -> str:
    """`` (class <label>)`` for the rare class of the first report, when it names one."""
    positive = _positive_label(pairs[0][1])
    return f" (class {positive})" if positive is not None else ""


def _positive_label(report: Mapping[str, Any]) -> str | None:
    positive = report.get("positive")
    return str(positive["label"]) if isinstance(positive, Mapping) and "label" in positive else None


def _prevalence(report: Mapping[str, Any]) -> float | None:
    positive = report.get("positive")
    supports = [entry.get("support", 0) for entry in report.get("per_class") or []]
    if not isinstance(positive, Mapping) or not sum(supports):
        return None
    return positive.get("support", 0) / sum(supports)


def pr_curves(results: Any, ax: Any = None, labels: Sequence[str] | None = None, *, chance: bool = False) -> Any:
    """Precision-recall curves of one or several ``model/evaluate`` results on one axes, each
    with its average precision (the report's ``pr_auc``) in the legend. ``results`` is a result,
    a list of results (``labels`` names them, default "model 1", …) or a dict {label: result}.
    Drawn as steps, as average precision sums them; ``chance`` adds the prevalence of the rare
    class in the evaluated data (the precision of guessing), once per distinct prevalence."""
    pairs = _labelled(results, labels)
    ax = _axes(ax)
    for label, report in pairs:
        recall, precision = _curve(report, "pr", label)
        ax.plot(recall, precision, drawstyle="steps-post", label=f"{label} (AP {report.get('pr_auc', math.nan):.3f})")
    if chance:
        prevalences = list(dict.fromkeys(p for p in (_prevalence(report) for _, report in pairs) if p is not None))
        for prevalence in prevalences:  # one line for results on the same test data
            ax.plot([0, 1], [prevalence, prevalence], linestyle=":", color="grey",
                    label=f"chance (prevalence {prevalence:.4f})")
    suffix = _class_suffix(pairs)
    return _finish_unit_square(ax, f"Recall{suffix}", f"Precision{suffix}", "Precision-recall", "best")


def roc_curves(results: Any, ax: Any = None, labels: Sequence[str] | None = None, *, chance: bool = True) -> Any:
    """ROC curves of one or several ``model/evaluate`` results on one axes, each with its AUC
    (the report's ``roc_auc``) in the legend; ``results`` and ``labels`` as for :func:`pr_curves`.
    ``chance`` draws the diagonal of guessing."""
    pairs = _labelled(results, labels)
    ax = _axes(ax)
    for label, report in pairs:
        false_positive_rate, true_positive_rate = _curve(report, "roc", label)
        ax.plot(false_positive_rate, true_positive_rate, label=f"{label} (AUC {report.get('roc_auc', math.nan):.3f})")
    if chance:
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance (AUC 0.500)")
    return _finish_unit_square(ax, "False positive rate", f"True positive rate{_class_suffix(pairs)}", "ROC", "lower right")


# -- training ---------------------------------------------------------------------------------

def _records(events: Any) -> list[Mapping[str, Any]]:
    """``run/events``' result, its ``events``, or the values of a ``$/progress`` stream."""
    events = as_dict(events)
    if isinstance(events, Mapping):
        if "events" not in events:
            raise ValueError("Pass run/events' result, its 'events' list, or the records of a progress stream.")
        events = events["events"]
    records = []
    for record in events:
        record = as_dict(record)
        if isinstance(record, Mapping) and "kind" not in record and isinstance(record.get("value"), Mapping):
            record = record["value"]  # a $/progress notification's params
        if isinstance(record, Mapping):
            records.append(record)
    return records


def training_curves(events: Any, ax: Any = None, metric: str = "f1") -> Any:
    """The training loss (the objective J on the training data) by step on the left axis and the
    validation ``metric`` (``f1``, ``recall``, ``precision``, ``pr_auc`` or ``loss``) on a second
    axis at the right, from a run's records: ``run/events``' result (or its ``events``), or the
    ``$/progress`` values a ``model/train`` sent. An ``experiment/compare`` run gives one loss line
    per arm. The daemon records at most five reports a second, so a fast training has few points.
    Returns the left axes; the right one is ``ax.figure.axes`` beside it (absent without validation)."""
    reports = [r for r in _records(events) if r.get("kind") == "report" and "step" in r and "loss" in r]
    if not reports:
        raise ValueError("These records hold no training report with a step and a loss (a run of model/train "
                         "or experiment/compare has them).")
    ax = _axes(ax)
    arms = list(dict.fromkeys(r.get("arm") for r in reports))
    handles = []
    for index, arm in enumerate(arms):
        mine = [r for r in reports if r.get("arm") == arm]
        label = "training loss" if arm is None else f"{arm}: training loss"
        handles += ax.plot([r["step"] for r in mine], [r["loss"] for r in mine], marker=".", color=f"C{index}",
                           label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (objective J)")
    validated = [r for r in reports if isinstance(r.get("validation"), Mapping)]
    if validated:
        if not any(metric in r["validation"] for r in validated):
            known = ", ".join(sorted({key for r in validated for key in r["validation"]}))
            raise ValueError(f"The validation reports have no {metric!r}; they have: {known}.")
        points = [r for r in validated if metric in r["validation"]]
        right = ax.twinx()
        handles += right.plot([r["step"] for r in points], [r["validation"][metric] for r in points], marker="o",
                              linestyle="--", color=f"C{len(arms)}", label=f"validation {_metric_name(metric)}")
        right.set_ylabel(f"validation {_metric_name(metric)}")
        if metric != "loss":
            right.set_ylim(-0.02, 1.02)  # a rate: its whole range, so a flat line reads as flat
    ax.legend(handles=handles, loc="best")
    ax.set_title("Training")
    return ax


# -- sweeps -----------------------------------------------------------------------------------

def sweep_plot(result: Any, metric: str | None = None, ax: Any = None) -> Any:
    """An ``experiment/sweep``: the metric's mean over the folds by the swept value (sorted), a
    band of ± one standard deviation, and the daemon's best value starred. ``metric`` is checked
    against the sweep's own (a sweep scores one metric); None takes the sweep's."""
    result = as_dict(result)
    swept = result.get("metric", "f1")
    if metric is not None and metric != swept:
        raise ValueError(f"This sweep scored {swept!r}, not {metric!r}: run experiment/sweep with metric={metric!r}.")
    entries = sorted(result.get("results") or [], key=lambda entry: entry["value"])
    if not entries:
        raise ValueError("This sweep has no results to plot.")
    values = np.array([entry["value"] for entry in entries], dtype=float)
    means = np.array([entry["mean"] for entry in entries], dtype=float)
    sds = np.array([entry["sd"] for entry in entries], dtype=float)
    ax = _axes(ax)
    name = _metric_name(swept)
    line, = ax.plot(values, means, marker="o", label=f"mean {name}")
    ax.fill_between(values, means - sds, means + sds, alpha=0.2, color=line.get_color(), label="± 1 sd")
    best = result.get("best")
    param = str(result.get("param", "value"))
    if isinstance(best, Mapping) and "value" in best and "mean" in best:
        ax.plot([best["value"]], [best["mean"]], marker="*", markersize=15, linestyle="none", color="C3",
                label=f"best: {param} = {best['value']:g} ({name} {best['mean']:.3f})")
    plan = result.get("folds")  # the fold plan that ran (protocol 1.8): each value has folds × repeats scores
    if isinstance(plan, Mapping) and isinstance(plan.get("used"), int):
        repeats = plan.get("repeats")
        folds = f"{plan['used']} folds" + (f" × {repeats} repeats" if isinstance(repeats, int) and repeats > 1 else "")
    else:
        folds = f"{max(len(entry.get('folds') or []) for entry in entries)} folds"
    ax.set_xlabel(SWEEP_PARAMS.get(param, param))
    ax.set_ylabel(f"{name}, mean ± sd over {folds}")
    ax.set_title(f"Sweep of {param}")
    ax.legend(loc="best")
    return ax


# -- calibration ------------------------------------------------------------------------------

def reliability_bins(probabilities: Any, is_positive: Any, bins: int = 10) -> dict[str, np.ndarray]:
    """Equal-width bins of the predicted P(positive) with the edges of
    ``np.linspace(0, 1, bins + 1)``, each ``[edge_k, edge_k+1)`` and the last closed (as
    ``np.histogram``): for each bin holding rows, ``mean_predicted``, ``fraction_positive``,
    ``count`` and its ``bin`` number. Empty bins are left out."""
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins is a whole number of at least 1, not {bins!r}.")
    p = np.asarray(probabilities, dtype=float).ravel()
    y = np.asarray(is_positive, dtype=bool).ravel()
    if p.shape != y.shape:
        raise ValueError(f"{p.size} probabilities and {y.size} truths: give one truth per row.")
    if p.size == 0 or not np.all(np.isfinite(p)) or p.min() < 0 or p.max() > 1:
        raise ValueError("Probabilities must be finite numbers from 0 to 1, at least one.")
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
    counts = np.bincount(index, minlength=bins)
    sums = np.bincount(index, weights=p, minlength=bins)
    hits = np.bincount(index, weights=y.astype(float), minlength=bins)
    held = counts > 0
    return {"bin": np.flatnonzero(held), "count": counts[held],
            "mean_predicted": sums[held] / counts[held], "fraction_positive": hits[held] / counts[held]}


def _positive_probabilities(source: Any, positive: Any, classes: Sequence[Any] | None, role: str) -> tuple[np.ndarray, Any]:
    """P(positive) per row from an array (rows, or rows × classes) or a model/predict result;
    also the truth the result carries, if any."""
    source = as_dict(source)
    truth = None
    if isinstance(source, Mapping):
        classes = source.get("classes", classes)
        truth = source.get("truth")
        source = source.get("probabilities")
    p = np.asarray(source, dtype=float)
    if p.ndim == 2 and p.shape[1] == 1:
        p = p[:, 0]
    if p.ndim == 2:
        if classes is None or positive is None:
            raise ValueError(f"{role} has a column per class: give classes (or pass model/predict's result) and positive.")
        names = [str(c) for c in classes]
        if str(positive) not in names:
            raise ValueError(f"positive {positive!r} is not one of the classes {names}.")
        if len(names) != p.shape[1]:
            raise ValueError(f"{role} has {p.shape[1]} columns for {len(names)} classes.")
        p = p[:, names.index(str(positive))]
    elif p.ndim != 1:
        raise ValueError(f"{role} must be one probability per row, or a row per row with one column per class.")
    return p, truth


def reliability_diagram(probabilities_before: Any, probabilities_after: Any, truth: Any = None, positive: Any = None,
                        bins: int = 10, ax: Any = None, *, classes: Sequence[Any] | None = None) -> Any:
    """The observed fraction of positives against the mean predicted P(positive), bin by bin
    (see :func:`reliability_bins`), before and after prior correction (``model/predict`` with
    ``prior_correction`` false and true), beside the diagonal of perfect calibration; each
    line's Brier score is in the legend.

    The probabilities are P(positive) per row, or rows × classes with ``classes`` (or
    ``model/predict``'s results, which carry their classes and, for a dataset, the ``truth``).
    ``truth`` is each row's label, compared with ``positive`` as text, or booleans."""
    before, truth_before = _positive_probabilities(probabilities_before, positive, classes, "probabilities_before")
    after, truth_after = _positive_probabilities(probabilities_after, positive, classes, "probabilities_after")
    if truth is None:
        truth = truth_before if truth_before is not None else truth_after
    if truth is None:
        raise ValueError("Give truth: each row's label (model/predict on a dataset returns it as 'truth').")
    truth = np.asarray(truth)
    if truth.dtype == bool:
        is_positive = truth
    else:
        if positive is None:
            raise ValueError("Give positive: the label of the rare class, to compare the truth with.")
        is_positive = truth.astype(str) == str(positive)
    if not (before.shape == after.shape == is_positive.shape):
        raise ValueError(f"{before.size} probabilities before, {after.size} after and {is_positive.size} truths: "
                         "give one of each per row.")
    ax = _axes(ax)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    for name, p, marker in (("before prior correction", before, "o"), ("after prior correction", after, "s")):
        table = reliability_bins(p, is_positive, bins)
        brier = float(np.mean((p - is_positive) ** 2))
        ax.plot(table["mean_predicted"], table["fraction_positive"], marker=marker, label=f"{name} (Brier {brier:.4f})")
    suffix = f" = {positive}" if positive is not None else ""
    return _finish_unit_square(ax, f"mean predicted P(class{suffix})", "observed fraction of positives",
                               f"Reliability ({bins} bins)", "upper left")
