"""Export Ballast runs to MLflow: one MLflow run per Ballast run, so they show in MLflow's UI and in
``mlflow.search_runs`` beside runs from anywhere else.

``mlflow`` is an optional dependency (``pip install mlflow``), imported only here. What one exported
run holds (clients/python/README.md, "Export to MLflow"):

- **params**: the request's params as sent, flattened to dotted keys (``loss.type``,
  ``optimizer.lr``; a list as JSON), without the client's ``progress_token``;
- **tags**: ``ballast.run``, ``ballast.method``, ``ballast.status``, ``ballast.started``,
  ``ballast.model``, ``ballast.model_type``, ``ballast.loss``, ``ballast.message``, and per dataset
  role ``ballast.dataset.<role>`` (its name) and ``ballast.fingerprint.<role>`` (its content hash);
- **metrics**: each step's ``loss`` and validation figures from ``run/events`` (``validation.f1``,
  ``validation.recall``, ``validation.precision``, ``validation.pr_auc``, ``validation.loss``;
  prefixed with the arm in a comparison), then the final metrics of ``run/list`` at the last step,
  so a metric's latest value is its final one;
- **status and times**: completed → FINISHED, failed and interrupted → FAILED, cancelled → KILLED;
  the run's start and end;
- **artifacts**: ``ballast/run.json`` (``run/describe``: params, resolved config, result) and,
  for a completed training, ``model/<name>.json``, the model file as ``model/save`` writes it.

The model file is written by the daemon, which may write only inside its write roots (its working
directory, its state directory, each ``ballastd --write-root DIR``). Give ``model_dir``, a folder
inside one of them that this process can read; without it the exporter asks the daemon to write
into a fresh temporary folder, and when that is refused, into a fresh hidden folder it makes inside
one of the roots the refusal names (the daemon is on this machine), removed once the file is
logged. A model that cannot be had (the daemon no longer holds it, the name now holds a later
run's model, no root is reachable) is left out with a warning and the tag
``ballast.model_artifact`` says why.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from datetime import datetime
from typing import Any, Iterable

from .client import RPCError

__all__ = ["export_run", "export_runs", "flatten_params", "MLFLOW_STATUS"]

#: A Ballast run's status → MLflow's.
MLFLOW_STATUS = {"completed": "FINISHED", "failed": "FAILED", "interrupted": "FAILED", "cancelled": "KILLED"}

#: The figures of a training step's validation report (``$/progress``), at threshold 0.5.
STEP_VALIDATION_FIGURES = ("loss", "f1", "recall", "precision", "pr_auc")

# MLflow's per-request limits for log_batch (params and tags are also limited to 100 each).
_BATCH_METRICS = 1000
_BATCH_PARAMS = 100
_PARAM_VALUE_LIMIT = 6000


def _mlflow():
    try:
        import mlflow  # noqa: F401
        from mlflow.tracking import MlflowClient
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("Exporting to MLflow needs the mlflow package: pip install mlflow") from error
    return MlflowClient


def flatten_params(params: Any, prefix: str = "") -> dict[str, str]:
    """A request's params as MLflow params: nested objects to dotted keys, strings as they are,
    every other value as JSON (``0.01``, ``true``, ``[64, 32]``)."""
    flat: dict[str, str] = {}
    if not isinstance(params, dict):
        return flat
    for key, value in params.items():
        if not prefix and key == "progress_token":
            continue  # the client's handle on its progress, not a setting of the run
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten_params(value, name + "."))
        else:
            text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
            flat[name] = text if len(text) <= _PARAM_VALUE_LIMIT else text[:_PARAM_VALUE_LIMIT - 1] + "…"
    return flat


def _millis(iso: str | None) -> int | None:
    if not iso:
        return None
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def _step_metrics(events: list[dict], start_ms: int) -> tuple[list[tuple[str, float, int, int]], int]:
    """``(key, value, timestamp_ms, step)`` for each figure of each report event, and the last step."""
    points: list[tuple[str, float, int, int]] = []
    last_step = 0
    for event in events:
        step = event.get("step")
        if event.get("kind") != "report" or not isinstance(step, int):
            continue
        last_step = max(last_step, step)
        at = start_ms + int(1000 * (event.get("elapsed_s") or 0))
        prefix = f"{event['arm']}." if event.get("arm") else ""
        if isinstance(event.get("loss"), (int, float)):
            points.append((prefix + "loss", float(event["loss"]), at, step))
        validation = event.get("validation") or {}
        for figure in STEP_VALIDATION_FIGURES:
            if isinstance(validation.get(figure), (int, float)):
                points.append((f"{prefix}validation.{figure}", float(validation[figure]), at, step))
    return points, last_step


def _tags(summary: dict) -> dict[str, str]:
    tags = {"ballast.run": summary["run"], "ballast.method": summary.get("method", ""),
            "ballast.status": summary.get("status", ""), "ballast.started": summary.get("started", "")}
    for key in ("model", "model_type", "loss", "message"):
        if summary.get(key):
            tags[f"ballast.{key}"] = str(summary[key])
    for dataset in summary.get("datasets", []):
        role = dataset.get("role", "dataset")
        tags[f"ballast.dataset.{role}"] = dataset.get("name", "")
        if dataset.get("fingerprint"):
            tags[f"ballast.fingerprint.{role}"] = dataset["fingerprint"]
    return tags


def _save_model(client, model: str, run: str, model_dir: str | os.PathLike | None) -> tuple[str | None, str | None, str | None]:
    """``(file, folder to remove afterwards, None)`` with the model file written by the daemon, or
    ``(None, None, why not)``."""
    try:
        described = client.call("model/describe", {"model": model})
    except RPCError as error:
        return None, None, f"the daemon holds no model named {model!r} now ({error.message})"
    trained_by = (described.get("model") or {}).get("run")
    if trained_by != run:
        return None, None, (f"the model named {model!r} now comes from "
                            + (f"run {trained_by}" if trained_by else "a file") + f", not from run {run}")
    file_name = f"{model}.json"
    if model_dir is not None:
        folder = os.path.abspath(model_dir)
        os.makedirs(folder, exist_ok=True)
        try:
            return client.call("model/save", {"model": model, "path": os.path.join(folder, file_name)})["path"], None, None
        except RPCError as error:
            return None, None, f"model/save refused {folder}: {error.message}"
    folder = tempfile.mkdtemp(prefix="ballast-mlflow-")
    try:
        return client.call("model/save", {"model": model, "path": os.path.join(folder, file_name)})["path"], folder, None
    except RPCError as error:
        shutil.rmtree(folder, ignore_errors=True)
        data = error.data if isinstance(error.data, dict) else {}
        if data.get("kind") != "outside_write_roots":
            return None, None, f"model/save failed: {error.message}"
        roots = data.get("write_roots") or []
    # The roots in reverse: --write-root folders, then the state directory, before the daemon's
    # working directory, which is most often the person's own project folder.
    for root in reversed(roots):
        if not (os.path.isdir(root) and os.access(root, os.W_OK | os.X_OK)):
            continue
        folder = tempfile.mkdtemp(prefix=".ballast-mlflow-export-", dir=root)
        try:
            return client.call("model/save", {"model": model, "path": os.path.join(folder, file_name)})["path"], folder, None
        except RPCError:
            shutil.rmtree(folder, ignore_errors=True)
    return None, None, ("the daemon may write only inside " + ", ".join(roots or ["its write roots"])
                        + ", and a fresh folder in none of them could be made here and written there; pass model_dir= a folder "
                        "inside one of them (or start ballastd with --write-root DIR)")


def _experiment_id(mlflow_client, name: str, artifact_location: str | None) -> str:
    experiment = mlflow_client.get_experiment_by_name(name)
    if experiment is not None:
        return experiment.experiment_id
    return mlflow_client.create_experiment(name, artifact_location=artifact_location)


def _already_exported(mlflow_client, experiment_id: str, summary: dict) -> str | None:
    found = mlflow_client.search_runs(
        [experiment_id], filter_string=f"tags.`ballast.run` = '{summary['run']}' and tags.`ballast.started` = '{summary['started']}'",
        max_results=1)
    return found[0].info.run_id if found else None


def export_run(client, run: str, *, tracking_uri: str | None = None, experiment: str = "ballast",
               artifact_location: str | None = None, model_dir: str | os.PathLike | None = None,
               models: bool = True, skip_exported: bool = True) -> str:
    """Export one run (an id such as ``"r3"``) to MLflow; returns the MLflow run id.

    ``tracking_uri`` is MLflow's (``sqlite:///mlflow.db``, ``http://host:5000``; default MLflow's
    own default or ``$MLFLOW_TRACKING_URI``); ``experiment`` is made, with ``artifact_location``,
    when it does not exist. ``models=False`` leaves the model file out. A run exported before to
    the same experiment (same id and start time) is not exported again: its MLflow id is returned
    (``skip_exported=False`` exports it anew). A run still running is refused with ValueError.
    """
    MlflowClient = _mlflow()
    mlflow_client = MlflowClient(tracking_uri=tracking_uri)
    experiment_id = _experiment_id(mlflow_client, experiment, artifact_location)
    return _export(client, mlflow_client, experiment_id, run, model_dir=model_dir, models=models,
                   skip_exported=skip_exported)


def export_runs(client, runs: Iterable[str] | None = None, *, tracking_uri: str | None = None,
                experiment: str = "ballast", artifact_location: str | None = None,
                model_dir: str | os.PathLike | None = None, models: bool = True, skip_exported: bool = True,
                **filters: Any) -> dict[str, str]:
    """Export runs to MLflow; returns ``{ballast run id: MLflow run id}``.

    The runs are ``runs`` (ids), or else every run ``run/list`` gives for ``filters`` (its params:
    ``dataset``, ``status``, ``since``, ``sort_by``, …; all pages), where a run still running is
    skipped with a warning. The other options are :func:`export_run`'s.
    """
    if runs is not None and filters:
        raise ValueError("Give runs or run/list filters, not both.")
    MlflowClient = _mlflow()
    mlflow_client = MlflowClient(tracking_uri=tracking_uri)
    experiment_id = _experiment_id(mlflow_client, experiment, artifact_location)
    if runs is None:
        ids = []
        for summary in client.run.iter(**filters):
            if summary.get("status") == "running":
                warnings.warn(f"Run {summary['run']} is still running: not exported.", stacklevel=2)
            else:
                ids.append(summary["run"])
    else:
        ids = [runs] if isinstance(runs, str) else list(runs)
    return {run: _export(client, mlflow_client, experiment_id, run, model_dir=model_dir, models=models,
                         skip_exported=skip_exported) for run in ids}


def _export(client, mlflow_client, experiment_id: str, run: str, *, model_dir, models: bool, skip_exported: bool) -> str:
    from mlflow.entities import Metric, Param, RunTag

    described = client.run.describe(run)
    summary = described["summary"]
    status = summary.get("status")
    if status not in MLFLOW_STATUS:
        raise ValueError(f"Run {run} is {status}: only a finished run can be exported (cancel it or wait for it).")
    if skip_exported:
        existing = _already_exported(mlflow_client, experiment_id, summary)
        if existing is not None:
            return existing
    start_ms = _millis(summary.get("started")) or 0
    events = list(client.run.iter_events(run))
    points, last_step = _step_metrics(events, start_ms)
    end_ms = _millis(summary.get("ended")) or max([start_ms] + [at for _, _, at, _ in points])
    final_step = max(last_step, int(summary.get("metrics", {}).get("steps", 0) or 0))

    tags = _tags(summary)
    name = run + (f" {summary['model']}" if summary.get("model") else "")
    mlflow_run = mlflow_client.create_run(experiment_id, start_time=start_ms, tags=tags, run_name=name)
    run_id = mlflow_run.info.run_id
    try:
        params = [Param(key, value) for key, value in flatten_params(described.get("params")).items()]
        for i in range(0, len(params), _BATCH_PARAMS):
            mlflow_client.log_batch(run_id, params=params[i:i + _BATCH_PARAMS])
        metrics = [Metric(key, value, at, step) for key, value, at, step in points]
        metrics += [Metric(key, float(value), end_ms, final_step) for key, value in sorted(summary.get("metrics", {}).items())
                    if isinstance(value, (int, float))]
        for i in range(0, len(metrics), _BATCH_METRICS):
            mlflow_client.log_batch(run_id, metrics=metrics[i:i + _BATCH_METRICS])
        mlflow_client.log_dict(run_id, described, "ballast/run.json")
        if models and summary.get("model") and summary.get("method") == "model/train" and status == "completed":
            path, folder, why_not = _save_model(client, summary["model"], run, model_dir)
            if path is not None:
                try:
                    mlflow_client.log_artifact(run_id, path, artifact_path="model")
                finally:
                    if folder is not None:
                        shutil.rmtree(folder, ignore_errors=True)
                mlflow_client.set_tag(run_id, "ballast.model_artifact", f"model/{os.path.basename(path)}")
            else:
                warnings.warn(f"Run {run}: the model file is not exported: {why_not}.", stacklevel=3)
                mlflow_client.set_tag(run_id, "ballast.model_artifact", f"not exported: {why_not}")
        mlflow_client.set_terminated(run_id, status=MLFLOW_STATUS[status], end_time=end_ms)
    except BaseException:
        # Half an export is not left to be taken for a whole one by the next export.
        mlflow_client.delete_run(run_id)
        raise
    return run_id
