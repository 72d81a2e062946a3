"""The daemon's record of runs: ``run/list``, ``run/describe``, ``run/compare``, ``run/delete`` and
``run/events`` as :class:`Client` methods (protocol/README.md, "Runs"). Each returns the result as
the daemon sent it (dicts, lists, numbers, strings), so it can be printed, stored as JSON or handed
to any table library.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

__all__ = ["RunRecords", "comparison_records", "iso_time"]


def iso_time(moment: Any) -> Any:
    """A ``datetime`` as ISO 8601 in UTC (a naive one is taken as UTC), as ``since`` and ``until``
    take it; anything else unchanged, for the daemon to judge."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return moment


def _run_ids(runs: str | Iterable[str]) -> list[str]:
    """One id or many, as a list: ``"r3"`` and ``["r3", "r4"]`` both work."""
    if isinstance(runs, str):
        return [runs]
    ids = list(runs)
    if not all(isinstance(run, str) for run in ids):
        raise TypeError(f"Runs are named by their ids, strings such as 'r3', not {ids!r}.")
    return ids


class RunRecords:
    """The run methods of :class:`Client` (it inherits them); each waits like ``call``."""

    def run_list(self, *, timeout: float | None = None, **filters: Any) -> dict:
        """``run/list``: one page of runs, newest first unless sorted otherwise.

        ``filters`` are ``run/list``'s params: ``dataset``, ``model``, ``model_type``, ``loss``,
        ``status``, ``method``, ``since``, ``until`` (ISO 8601 strings or ``datetime``),
        ``sort_by`` (``started``, ``ended``, ``seconds`` or a metric such as ``validation.f1``),
        ``order`` (``desc`` or ``asc``), ``limit`` and ``offset``. A filter given as None is left
        out. Returns ``{"runs": [...], "total": N, "next_offset": M}`` (``next_offset`` is absent or
        None on the last page). The daemon refuses an unknown filter, naming the known ones.
        """
        params = {key: iso_time(value) for key, value in filters.items() if value is not None}
        return self.call("run/list", params, timeout)

    def iter_runs(self, *, timeout: float | None = None, **filters: Any) -> Iterator[dict]:
        """Every run matching ``filters`` (as :meth:`run_list` takes them), a page at a time:
        each run summary in turn, following ``next_offset`` to the last page."""
        filters = dict(filters)
        while True:
            page = self.run_list(timeout=timeout, **filters)
            yield from page.get("runs", [])
            next_offset = page.get("next_offset")
            if next_offset is None or not page.get("runs"):
                return
            filters["offset"] = next_offset

    def run_describe(self, run: str, *, timeout: float | None = None) -> dict:
        """``run/describe``: ``{"summary", "params" (as sent), "config" (resolved), "result",
        "event_count"}``."""
        return self.call("run/describe", {"run": run}, timeout)

    def run_compare(self, runs: str | Iterable[str], metrics: Iterable[str] | None = None,
                    params: Iterable[str] | None = None, *, timeout: float | None = None) -> dict:
        """``run/compare``: ``{"metrics": [names], "params": [paths], "rows": [{"run", "metrics":
        [value or None per name], "params": [value per path]}]}``, one row per run in the order
        given. ``metrics`` default to every metric the runs have, ``params`` to the dotted paths
        whose values differ. :func:`comparison_records` turns it into one flat dict per run."""
        request: dict[str, Any] = {"runs": _run_ids(runs)}
        if metrics is not None:
            request["metrics"] = [metrics] if isinstance(metrics, str) else list(metrics)
        if params is not None:
            request["params"] = [params] if isinstance(params, str) else list(params)
        return self.call("run/compare", request, timeout)

    def run_delete(self, runs: str | Iterable[str], *, timeout: float | None = None) -> list[str]:
        """``run/delete``: forgets finished runs and their events (a running run is refused:
        cancel it first); the models they trained are kept. Returns the ids deleted."""
        return self.call("run/delete", {"runs": _run_ids(runs)}, timeout).get("deleted", [])

    def run_events(self, run: str, since_seq: int | None = None, *, limit: int | None = None,
                   timeout: float | None = None) -> dict:
        """``run/events``: ``{"run", "events": [...], "complete", "next_since_seq"?}``, the run's
        records after ``since_seq`` (all of them by default), at most ``limit`` (the daemon's
        default is 10,000); ``next_since_seq`` is present when more follow.
        :meth:`iter_run_events` follows the pages."""
        params: dict[str, Any] = {"run": run}
        if since_seq is not None:
            params["since_seq"] = since_seq
        if limit is not None:
            params["limit"] = limit
        return self.call("run/events", params, timeout)

    def iter_run_events(self, run: str, since_seq: int | None = None, *, limit: int | None = None,
                        timeout: float | None = None) -> Iterator[dict]:
        """Every record of the run after ``since_seq``, a page (``limit`` records) at a time,
        following ``next_since_seq``."""
        while True:
            page = self.run_events(run, since_seq, limit=limit, timeout=timeout)
            yield from page.get("events", [])
            since_seq = page.get("next_since_seq")
            if since_seq is None:
                return


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
