"""Helpers of the run methods (``client.run.list``, ``.compare``, …, in ballast_client/api.py;
protocol/README.md, "Runs"): times as ``run/list`` takes them, run ids, and a ``run/compare``
result as flat records.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

__all__ = ["comparison_records", "iso_time", "run_ids"]


def iso_time(moment: Any) -> Any:
    """A ``datetime`` as ISO 8601 in UTC (a naive one is taken as UTC), as ``since`` and ``until``
    take it; anything else unchanged, for the daemon to judge."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return moment


def run_ids(runs: str | Iterable[str]) -> list[str]:
    """One id or many, as a list: ``"r3"`` and ``["r3", "r4"]`` both work."""
    if isinstance(runs, str):
        return [runs]
    ids = list(runs)
    if not all(isinstance(run, str) for run in ids):
        raise TypeError(f"Runs are named by their ids, strings such as 'r3', not {ids!r}.")
    return ids


def comparison_records(comparison: dict) -> list[dict]:
    """A ``run/compare`` result as one flat dict per run: ``{"run": "r3", "param.loss.type":
    "wce", "metric.validation.f1": 0.77, ...}`` (a metric a run lacks is None), ready for
    ``csv.DictWriter`` or ``pandas.DataFrame``. Params and metrics are kept apart by their
    prefix, so a param and a metric of the same name (``threshold``) are both there."""
    metrics = comparison.get("metrics", [])
    params = comparison.get("params", [])
    records = []
    for row in comparison.get("rows", []):
        record: dict[str, Any] = {"run": row.get("run")}
        record.update((f"param.{path}", value) for path, value in zip(params, row.get("params", [])))
        record.update((f"metric.{name}", value) for name, value in zip(metrics, row.get("metrics", [])))
        records.append(record)
    return records
