"""Results as HTML for notebooks: self-contained fragments (inline styles only, no script, no
``<style>`` element, so they survive the sanitisers of JupyterLab, VS Code and nbviewer) that read
in light and dark themes (text keeps the theme's colour; shading is translucent).

Each function takes the plain result dict the daemon returns (protocol/README.md, section 7), or
an object with ``to_dict()``, and returns a string. Every name that comes from the daemon or the
user (dataset, label, arm, column) is escaped. The best row of a table is marked three ways, so
it shows whatever the renderer keeps: a ★ in its first cell, bold text and a tinted background,
plus ``data-best="true"`` on its ``<tr>`` for programs.
"""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any, Callable, Iterable, Mapping, Sequence

__all__ = ["metrics_report_html", "compare_html", "sweep_html", "tune_html", "table_html", "as_dict"]

# Translucent colours read on white and on dark backgrounds alike.
_BORDER = "1px solid rgba(128,128,128,0.35)"
_BEST_BACKGROUND = "rgba(255,193,7,0.28)"
_DIAGONAL_BACKGROUND = "rgba(40,167,69,0.22)"
_RARE_BACKGROUND = "rgba(0,123,255,0.14)"
_BOX = "font-family:inherit;color:inherit;margin:0.3em 0 0.8em 0;"
_TABLE = "border-collapse:collapse;font-size:0.92em;color:inherit;margin:0.3em 0;"
_CELL = f"border:{_BORDER};padding:0.2em 0.6em;"
_CAPTION = "caption-side:top;text-align:left;font-weight:600;padding:0.2em 0;"
_MUTED = "opacity:0.75;"
BEST_MARK = "★"


def as_dict(result: Any) -> Any:
    """A result object's plain form: ``to_dict()`` when it has one, else the value itself."""
    to_dict = getattr(result, "to_dict", None)
    return to_dict() if callable(to_dict) else result


def plain_scalar(value: Any) -> Any:
    """A numpy scalar (``np.float32``, ``np.int64``, ``np.bool_``: what arrays and frames hand out)
    as the Python number it holds, so it is formatted, aligned and compared as one; anything else
    as it is. numpy is not imported for this."""
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        return value.item()
    return value


# -- cells ------------------------------------------------------------------------------------

def format_value(value: Any) -> str:
    """A value as a person reads it in a table (not escaped)."""
    value = plain_scalar(value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if value == 0 or 1e-3 <= abs(value) < 1e3:
            return f"{value:.4f}"
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item) if not isinstance(item, Mapping) else _compact(item) for item in value)
    if isinstance(value, Mapping):
        return _compact(value)
    return str(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def _cell(text: str, *, header: bool = False, style: str = "", title: str | None = None,
          numeric: bool = False) -> str:
    tag = "th" if header else "td"
    align = "text-align:right;" if numeric else "text-align:left;"
    title_attribute = f' title="{escape(title)}"' if title else ""
    return f'<{tag} style="{_CELL}{align}{style}"{title_attribute}>{escape(text)}</{tag}>'


def _value_cell(value: Any, *, style: str = "", max_chars: int = 80) -> str:
    value = plain_scalar(value)
    text = format_value(value)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if len(text) > max_chars:  # a fingerprint or a long list: shortened, whole in the tooltip
        return _cell(text[: max_chars - 1] + "…", style=style, title=text, numeric=numeric)
    return _cell(text, style=style, numeric=numeric)


def _row(cells: Iterable[str], *, best: bool = False, style: str = "") -> str:
    if best:
        return (f'<tr data-best="true" style="background:{_BEST_BACKGROUND};font-weight:700;{style}">'
                + "".join(cells) + "</tr>")
    return f'<tr style="{style}">' + "".join(cells) + "</tr>"


def _table(caption: str | None, header: Sequence[str], rows: Iterable[str]) -> str:
    caption_html = f'<caption style="{_CAPTION}">{escape(caption)}</caption>' if caption else ""
    head = "".join(_cell(name, header=True) for name in header)
    return (f'<table style="{_TABLE}">{caption_html}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _box(*parts: str) -> str:
    return f'<div class="ballast-view" style="{_BOX}">' + "".join(parts) + "</div>"


def _note(text: str) -> str:
    return f'<div style="{_MUTED}font-size:0.88em;">{escape(text)}</div>'


def _warnings(result: Mapping[str, Any]) -> str:
    warnings = result.get("warnings") or []
    if not warnings:
        return ""
    items = "".join(f"<li>{escape(str(w))}</li>" for w in warnings)
    return f'<div style="font-size:0.88em;">Warnings:<ul style="margin:0.2em 0;">{items}</ul></div>'


def _marked(first_cell: str, best: bool) -> str:
    return f"{BEST_MARK} {first_cell}" if best else first_cell


def _is_number(value: Any) -> bool:
    value = plain_scalar(value)
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)


def best_indices(values: Sequence[Any]) -> list[int]:
    """The positions of the largest number (every one of them when tied); none when no number."""
    numbers = [v for v in values if _is_number(v)]
    if not numbers:
        return []
    top = max(numbers)
    return [i for i, v in enumerate(values) if _is_number(v) and v == top]


# -- metrics reports --------------------------------------------------------------------------

_HEADLINE = [("threshold", "threshold"), ("pr_auc", "PR-AUC (AP)"), ("roc_auc", "ROC-AUC"), ("mcc", "MCC"),
             ("balanced_accuracy", "balanced accuracy"), ("g_mean", "G-mean"), ("macro_f1", "macro F1"),
             ("accuracy", "accuracy"), ("log_loss", "log loss"), ("brier", "Brier")]


def metrics_report_html(report: Any, *, title: str | None = None) -> str:
    """A metrics report (``model/evaluate``'s result, or ``model/train``'s ``metrics.train`` /
    ``metrics.validation``): the rare class's precision, recall and F1 first, the other figures,
    the per-class table (the rare class's row tinted) and the confusion matrix (rows the truth,
    columns the prediction, labelled with the classes, the diagonal tinted).

    A whole ``model/train`` result is shown as its summary and one report per dataset."""
    report = as_dict(report)
    if not isinstance(report, Mapping):
        raise TypeError(f"A metrics report is a dict (model/evaluate's result), not {type(report).__name__}.")
    if "metrics" in report and isinstance(report["metrics"], Mapping) and "per_class" not in report:
        return _training_html(report, title)
    return _box(_report_body(report, title))


def _report_body(report: Mapping[str, Any], title: str | None) -> str:
    parts = []
    if title:
        parts.append(f'<div style="font-weight:600;margin:0.2em 0;">{escape(title)}</div>')
    positive = report.get("positive")
    if isinstance(positive, Mapping):
        rare = (f"rare class {positive.get('label')!s}: precision {format_value(positive.get('precision'))}, "
                f"recall {format_value(positive.get('recall'))}, F1 {format_value(positive.get('f1'))} "
                f"(support {format_value(positive.get('support'))})")
        parts.append(f'<div style="font-size:1.05em;font-weight:700;margin:0.2em 0;">{escape(rare)}</div>')
    figures = [(name, report[key]) for key, name in _HEADLINE if key in report]
    if figures:
        parts.append(_table(None, [name for name, _ in figures], [_row(_value_cell(v) for _, v in figures)]))
    per_class = report.get("per_class") or []
    rare_label = positive.get("label") if isinstance(positive, Mapping) else None
    if per_class:
        rows = []
        for entry in per_class:
            is_rare = rare_label is not None and entry.get("label") == rare_label
            style = f"background:{_RARE_BACKGROUND};" if is_rare else ""
            label = str(entry.get("label")) + (" (rare)" if is_rare else "")
            rows.append(_row([_cell(label, style=style)]
                             + [_value_cell(entry.get(k), style=style) for k in ("precision", "recall", "f1", "support")]))
        parts.append(_table("Per class", ["class", "precision", "recall", "F1", "support"], rows))
    confusion = report.get("confusion")
    if confusion:
        labels = [str(entry.get("label")) for entry in per_class] or [str(i) for i in range(len(confusion))]
        parts.append(_confusion_table(confusion, labels))
    curves = report.get("curves")
    if isinstance(curves, Mapping) and curves:
        sizes = ", ".join(f"{name}: {len(points)} points" for name, points in curves.items())
        parts.append(_note(f"Curves ({sizes}): plot them with ballast_client.plots.pr_curves / roc_curves."))
    parts.append(_warnings(report))
    return "".join(parts)


def _confusion_table(confusion: Sequence[Sequence[Any]], labels: Sequence[str]) -> str:
    header = ["truth ↓ / predicted →"] + [str(label) for label in labels]
    rows = []
    for i, counts in enumerate(confusion):
        label = labels[i] if i < len(labels) else str(i)
        cells = [_cell(label, header=True)]
        for j, count in enumerate(counts):
            style = f"background:{_DIAGONAL_BACKGROUND};" if i == j else ""
            cells.append(_value_cell(count, style=style))
        rows.append(_row(cells))
    return _table("Confusion matrix (rows: truth, columns: prediction)", header, rows)


def _training_html(result: Mapping[str, Any], title: str | None) -> str:
    facts = [(key, result[key]) for key in ("model", "run", "steps", "stop_reason", "objective", "threshold", "seconds")
             if key in result]
    parts = []
    if title:
        parts.append(f'<div style="font-weight:600;margin:0.2em 0;">{escape(title)}</div>')
    if facts:
        parts.append(_table("Training", [k for k, _ in facts], [_row(_value_cell(v) for _, v in facts)]))
    calibration = result.get("calibration")
    if isinstance(calibration, Mapping) and calibration:
        parts.append(_table("Calibration (before / after prior correction)", list(calibration),
                            [_row(_value_cell(v) for v in calibration.values())]))
    for name, report in result["metrics"].items():
        if isinstance(report, Mapping):
            parts.append(_report_body(report, f"On the {name} data"))
    return _box(*parts)


# -- experiments ------------------------------------------------------------------------------

_COMPARE_COLUMNS = ["arm", "description", "recall", "precision", "f1", "pr_auc", "roc_auc", "mcc", "threshold", "seconds"]
_COMPARE_NAMES = {"f1": "F1", "pr_auc": "PR-AUC", "roc_auc": "ROC-AUC", "mcc": "MCC"}


def compare_html(result: Any) -> str:
    """``experiment/compare``: one row per configuration (arm) with the rare class's figures on
    the test data; the row with the highest F1 is marked (every row sharing it, when tied)."""
    result = as_dict(result)
    rows = list(result.get("rows") or [])
    best = set(best_indices([row.get("f1") for row in rows]))
    columns = _COMPARE_COLUMNS + [k for row in rows for k in row if k not in _COMPARE_COLUMNS]
    columns = list(dict.fromkeys(columns))
    body = []
    for i, row in enumerate(rows):
        cells = [_cell(_marked(str(row.get(columns[0], "")), i in best))]
        cells += [_value_cell(row.get(column)) for column in columns[1:]]
        body.append(_row(cells, best=i in best))
    run = result.get("run")
    caption = f"experiment/compare{f' {run}' if run else ''}: the rare class's figures on the test data"
    parts = [_table(caption, [_COMPARE_NAMES.get(c, c) for c in columns], body)]
    if best:
        parts.append(_note(f"{BEST_MARK} the best F1 of the rare class."))
    skipped = result.get("skipped") or {}
    if skipped:
        items = "".join(f"<li>{escape(str(arm))}: {escape(str(reason))}</li>" for arm, reason in skipped.items())
        parts.append(f'<div style="font-size:0.88em;">Skipped:<ul style="margin:0.2em 0;">{items}</ul></div>')
    parts.append(_warnings(result))
    return _box(*parts)


def sweep_html(result: Any) -> str:
    """``experiment/sweep``: one row per value of the swept parameter with the metric's mean ± sd
    over the folds and each fold's score; the daemon's best value is marked."""
    result = as_dict(result)
    entries = list(result.get("results") or [])
    best = _sweep_best(entries, result.get("best"))
    metric = str(result.get("metric", "metric"))
    param = str(result.get("param", "value"))
    body = []
    for i, entry in enumerate(entries):
        spread = f"{format_value(entry.get('mean'))} ± {format_value(entry.get('sd'))}"
        cells = [_cell(_marked(format_value(entry.get("value")), i in best), numeric=True),
                 _cell(spread, numeric=True), _value_cell(entry.get("folds"), max_chars=120)]
        body.append(_row(cells, best=i in best))
    run = result.get("run")
    caption = f"experiment/sweep{f' {run}' if run else ''}: {metric} over {_sweep_folds(result, entries)} by {param}"
    parts = [_table(caption, [param, f"{metric} mean ± sd", f"{metric} per fold"], body)]
    if best:
        parts.append(_note(f"{BEST_MARK} the best mean {metric}."))
    plan = result.get("folds")
    if isinstance(plan, Mapping) and plan.get("note"):
        parts.append(_note(str(plan["note"])))
    return _box(*parts)


def _sweep_folds(result: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> str:
    """"5 folds", or "3 folds × 5 repeats" from the fold plan (protocol 1.8); a result without one
    counts each value's scores."""
    plan = result.get("folds")
    if isinstance(plan, Mapping) and isinstance(plan.get("used"), int):
        return _fold_plan(plan)
    folds = max((len(entry.get("folds") or []) for entry in entries), default=0)
    return f"{folds} folds"


def _fold_plan(plan: Mapping[str, Any]) -> str:
    used, repeats = plan.get("used"), plan.get("repeats")
    text = f"{used} folds"
    if isinstance(repeats, int) and repeats > 1:
        text += f" × {repeats} repeats"
    return text


def _sweep_best(entries: Sequence[Mapping[str, Any]], best: Any) -> set[int]:
    """The rows of the daemon's ``best`` (it knows which way its metric goes); the highest mean
    when a result carries no ``best``."""
    if isinstance(best, Mapping) and _is_number(best.get("value")):
        chosen = {i for i, entry in enumerate(entries) if entry.get("value") == best["value"]}
        if chosen:
            return chosen
    return set(best_indices([entry.get("mean") for entry in entries]))


def tune_html(result: Any) -> str:
    """``experiment/tune``: the leaderboard (each candidate's objective mean ± sd over the folds,
    its tuned threshold and time; the winner marked), the winner and why, the honest estimate
    (with its metrics report), the calibration before and after, then what was skipped and the
    notes (folds adapted, fallbacks)."""
    result = as_dict(result)
    objective = result.get("objective") if isinstance(result.get("objective"), Mapping) else {}
    measure = str(objective.get("name") or objective.get("type") or "objective")
    winner = result.get("winner") if isinstance(result.get("winner"), Mapping) else {}
    chosen = winner.get("candidate")
    body = []
    for entry in result.get("leaderboard") or []:
        is_winner = chosen is not None and entry.get("candidate") == chosen
        spread = f"{format_value(entry.get('mean'))} ± {format_value(entry.get('sd'))}"
        cells = [_value_cell(entry.get("rank")), _cell(_marked(str(entry.get("candidate", "")), is_winner)),
                 _cell(str(entry.get("description") or "")), _cell(spread, numeric=True),
                 _value_cell(entry.get("threshold")), _value_cell(entry.get("seconds"))]
        body.append(_row(cells, best=is_winner))
    run = result.get("run")
    plan = result.get("folds") if isinstance(result.get("folds"), Mapping) else {}
    over = f" over {_fold_plan(plan)}" if isinstance(plan.get("used"), int) else ""
    direction = "" if objective.get("higher_is_better") is not False else " (lower is better)"
    caption = f"experiment/tune{f' {run}' if run else ''}: {measure}{direction} by candidate{over}"
    parts = [_table(caption, ["rank", "candidate", "description", f"{measure} mean ± sd", "threshold", "seconds"], body)]
    if winner:
        headline = f"{BEST_MARK} Winner: {chosen}"
        if winner.get("description"):
            headline += f" ({winner['description']})"
        if result.get("model"):
            headline += f", stored as model {result['model']}"
        if _is_number(winner.get("threshold")):
            headline += f", threshold {format_value(winner['threshold'])}"
        parts.append(f'<div style="font-size:1.05em;font-weight:700;margin:0.2em 0;">{escape(headline)}</div>')
        if winner.get("why"):
            parts.append(f'<div style="margin:0.2em 0;">{escape(str(winner["why"]))}</div>')
    if plan.get("note"):
        parts.append(_note(str(plan["note"])))
    parts.append(_estimate_html(result.get("estimate"), measure))
    parts.append(_calibration_html(result.get("calibration")))
    skipped = result.get("skipped") or {}
    if skipped:
        items = "".join(f"<li>{escape(str(name))}: {escape(str(reason))}</li>" for name, reason in skipped.items())
        parts.append(f'<div style="font-size:0.88em;">Skipped:<ul style="margin:0.2em 0;">{items}</ul></div>')
    notes = result.get("notes") or []
    if notes:
        items = "".join(f"<li>{escape(str(note))}</li>" for note in notes)
        parts.append(f'<div style="font-size:0.88em;">Notes:<ul style="margin:0.2em 0;">{items}</ul></div>')
    parts.append(_warnings(result))
    return _box(*parts)


def _estimate_html(estimate: Any, measure: str) -> str:
    if not isinstance(estimate, Mapping):
        return ""
    method = estimate.get("method")
    if method == "none" or not _is_number(estimate.get("objective")):
        return _note("No honest estimate was asked for (estimate: none): the leaderboard's figures chose the "
                     "winner, so they flatter it.")
    value = format_value(estimate["objective"])
    if _is_number(estimate.get("sd")):
        value += f" ± {format_value(estimate['sd'])}"
    rows = estimate.get("rows")
    where = {"holdout": "on a held-out part the selection never saw",
             "nested": "by nested cross-validation (each outer fold's selection never saw its test rows)"}
    text = f"Honest estimate: {measure} {value} {where.get(str(method), f'({method})')}"
    if isinstance(rows, int):
        text += f", {rows:,} rows"
    parts = [f'<div style="font-weight:600;margin:0.4em 0 0.2em 0;">{escape(text + ".")}</div>']
    scores = list(estimate.get("scores") or [])
    winners = list(estimate.get("winners") or [])
    if method == "nested" and scores:
        folds = [_row([_value_cell(i + 1), _value_cell(score), _cell(str(winners[i]) if i < len(winners) else "—")])
                 for i, score in enumerate(scores)]
        parts.append(_table("Outer folds", ["fold", measure, "winner"], folds))
    metrics = estimate.get("metrics")
    if isinstance(metrics, Mapping) and metrics:
        parts.append(_report_body(metrics, None))
    return "".join(parts)


def _calibration_html(calibration: Any) -> str:
    if not isinstance(calibration, Mapping) or not calibration:
        return ""
    before = calibration.get("before") if isinstance(calibration.get("before"), Mapping) else {}
    after = calibration.get("after") if isinstance(calibration.get("after"), Mapping) else {}
    rows = [_row([_cell(when)] + [_value_cell(figures.get(name)) for name in ("brier", "log_loss")])
            for when, figures in (("before", before), ("after", after))]
    on = {"holdout": "the held-out rows", "outer_folds": "the outer folds' test rows",
          "oof": "out-of-fold predictions"}.get(str(calibration.get("on")), str(calibration.get("on", "")))
    caption = f"Calibration: {calibration.get('method')}, measured on {on}"
    parts = [_table(caption, ["", "Brier", "log loss"], rows)]
    facts = []
    parameters = calibration.get("parameters")
    if isinstance(parameters, Mapping) and parameters:
        facts.append(", ".join(f"{name} = {format_value(value)}" for name, value in parameters.items()))
    if calibration.get("applied_to_model") is True:
        facts.append("folded into the stored model: its probabilities are calibrated")
    elif calibration.get("applied_to_model") is False:
        facts.append("not folded into the stored model: its probabilities stay uncalibrated, its threshold "
                     "gives the calibrated decision")
    if _is_number(calibration.get("threshold_calibrated")):
        facts.append(f"calibrated threshold {format_value(calibration['threshold_calibrated'])}")
    if facts:
        parts.append(_note("; ".join(facts) + "."))
    bins = []
    for when, figures in (("before", before), ("after", after)):
        for point in figures.get("reliability") or []:
            if isinstance(point, Mapping):
                bins.append(_row([_cell(when)] + [_value_cell(point.get(name))
                                                  for name in ("mean_predicted", "fraction_positive", "count")]))
    if bins:
        parts.append(_table("Reliability (uniform bins of P(positive); TuneResult.calibration.to_pandas() has them)",
                            ["", "mean predicted", "fraction positive", "rows"], bins))
    return "".join(parts)


# -- any list of records ----------------------------------------------------------------------

def _flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def table_html(rows: Any, *, best: int | str | Iterable[int] | Callable[[Mapping[str, Any]], bool] | None = None,
               columns: Sequence[str] | None = None, caption: str | None = None) -> str:
    """Any list of dicts (``run/list``'s runs, ``run/compare``'s records, predictions) as a table.

    Nested dicts become dotted columns (``metrics.validation.f1``); the columns are those of the
    rows in order of appearance unless ``columns`` names them. ``best`` marks rows: a row number,
    several row numbers, a column name (the rows with its highest number) or a predicate on the
    row (given the flattened row)."""
    rows = as_dict(rows)
    if isinstance(rows, Mapping):
        raise TypeError("table_html takes a list of dicts (such as run/list's 'runs'), not one dict.")
    records = [_flatten(as_dict(row)) if isinstance(as_dict(row), Mapping) else {"value": row} for row in rows]
    if columns is None:
        columns = list(dict.fromkeys(key for record in records for key in record))
    marked = _marked_rows(records, best)
    body = []
    for i, record in enumerate(records):
        cells = [_value_cell(record.get(column)) for column in columns]
        if i in marked and cells:
            first = format_value(record.get(columns[0]))
            cells[0] = _cell(_marked(first, True))
        body.append(_row(cells, best=i in marked))
    parts = [_table(caption, list(columns), body)]
    if marked and isinstance(best, str):
        parts.append(_note(f"{BEST_MARK} the highest {best}."))
    return _box(*parts)


def _marked_rows(records: Sequence[Mapping[str, Any]], best: Any) -> set[int]:
    if best is None:
        return set()
    if isinstance(best, bool):
        raise TypeError("best is a row number, row numbers, a column name or a predicate, not a bool.")
    if isinstance(best, int):
        return {best if best >= 0 else len(records) + best}
    if isinstance(best, str):
        if not any(best in record for record in records):
            known = ", ".join(dict.fromkeys(key for record in records for key in record))
            raise KeyError(f"No row has a column {best!r} to pick the best by (columns: {known}).")
        return set(best_indices([record.get(best) for record in records]))
    if callable(best):
        return {i for i, record in enumerate(records) if best(record)}
    return {int(i) for i in best}
