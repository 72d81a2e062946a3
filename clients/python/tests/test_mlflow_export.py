"""Export to MLflow, proved with MLflow's SQLite backend: runs trained by a real daemon show in
``mlflow.search_runs`` with their params, final metrics, step-metric history and model file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import mlflow  # clients/python/requirements-test.txt: an optional dependency of the client, needed here
import pytest
from mlflow.tracking import MlflowClient

from ballast_client import RPCError
from ballast_client.mlflow_export import export_run, export_runs


def train_two(client) -> tuple[str, str]:
    client.initialize("test_mlflow_export")
    client.call("dataset/generate", {"preset": "fraud", "rows": 3000, "seed": 5, "name": "cards"})
    client.call("dataset/split", {"dataset": "cards", "test": 0.3, "validation": 0.2, "seed": 1})
    ce = client.call("model/train", {"dataset": "cards.train", "validation": "cards.validation", "name": "ce",
                                     "loss": {"type": "ce"}, "optimizer": {"type": "adam", "lr": 0.05, "epochs": 6}})
    wce = client.call("model/train", {"dataset": "cards.train", "validation": "cards.validation", "name": "wce",
                                      "loss": {"type": "wce", "weights": {"scheme": "inverse"}},
                                      "optimizer": {"type": "adam", "lr": 0.05, "epochs": 8}})
    return ce["run"], wce["run"]


def tracking(tmp_path: Path) -> dict:
    return {"tracking_uri": f"sqlite:///{tmp_path / 'mlflow.db'}", "artifact_location": (tmp_path / "artifacts").as_uri()}


def test_two_trainings_show_in_mlflow_with_params_metrics_history_and_model(start_daemon, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    daemon = start_daemon("--write-root", str(models))
    with daemon.client() as client:
        ce, wce = train_two(client)
        exported = export_runs(client, [ce, wce], experiment="cards", model_dir=models, **tracking(tmp_path))
        described = {run: client.run.describe(run) for run in (ce, wce)}
        events = {run: client.run.events(run)["events"] for run in (ce, wce)}
    assert set(exported) == {ce, wce}

    mlflow.set_tracking_uri(tracking(tmp_path)["tracking_uri"])
    found = mlflow.search_runs(experiment_names=["cards"], output_format="list")
    assert {run.info.run_id for run in found} == set(exported.values())
    by_ballast = {run.data.tags["ballast.run"]: run for run in found}
    store = MlflowClient(tracking(tmp_path)["tracking_uri"])
    for ballast_run, mlflow_id in exported.items():
        run = by_ballast[ballast_run]
        summary = described[ballast_run]["summary"]
        assert run.info.run_id == mlflow_id
        assert run.info.status == "FINISHED"
        assert run.data.params["dataset"] == "cards.train" and run.data.params["validation"] == "cards.validation"
        assert run.data.params["loss.type"] == summary["loss"]
        assert run.data.params["optimizer.lr"] == "0.05" and run.data.params["name"] == summary["model"]
        assert run.data.tags["ballast.method"] == "model/train"
        assert run.data.tags["ballast.dataset.dataset"] == "cards.train"
        fingerprints = {d["role"]: d["fingerprint"] for d in summary["datasets"]}
        assert run.data.tags["ballast.fingerprint.dataset"] == fingerprints["dataset"]
        assert run.data.tags["ballast.fingerprint.validation"] == fingerprints["validation"]
        # Final metrics: each one's latest value is the run's final figure.
        for name, value in summary["metrics"].items():
            assert run.data.metrics[name] == value, name
        # Step metrics: the training loss at every reported step, in order, with the step numbers.
        reports = [e for e in events[ballast_run] if e["kind"] == "report" and "loss" in e]
        assert len(reports) >= 2
        history = store.get_metric_history(mlflow_id, "loss")
        assert [(m.step, m.value) for m in history] == [(e["step"], e["loss"]) for e in reports]
        f1_history = store.get_metric_history(mlflow_id, "validation.f1")
        assert len(f1_history) == len([e for e in reports if "validation" in e]) + 1, "each step's, then the final"
        assert max(f1_history, key=lambda m: (m.step, m.timestamp)).value == summary["metrics"]["validation.f1"]
        # Times: MLflow's start is the run's.
        assert abs(run.info.start_time - _millis(summary["started"])) <= 1
        # The model file, as model/save wrote it, is an artifact; so is the run's record.
        artifacts = {a.path for a in store.list_artifacts(mlflow_id, "model")}
        assert artifacts == {f"model/{summary['model']}.json"}
        local = Path(store.download_artifacts(mlflow_id, f"model/{summary['model']}.json", str(tmp_path / "download" / mlflow_id)))
        assert local.read_bytes() == (models / f"{summary['model']}.json").read_bytes()
        record = json.loads(Path(store.download_artifacts(mlflow_id, "ballast/run.json", str(tmp_path / "download" / mlflow_id))).read_text())
        assert record["summary"]["run"] == ballast_run


def test_without_model_dir_the_daemon_writes_into_a_root_and_nothing_is_left(start_daemon, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    daemon = start_daemon("--write-root", str(root))
    with daemon.client() as client:
        ce, wce = train_two(client)
        first = export_run(client, ce, experiment="one", **tracking(tmp_path))
        again = export_runs(client, experiment="one", loss="ce", **tracking(tmp_path))
        by_filter = export_runs(client, experiment="two", status="completed", **tracking(tmp_path))
    assert again == {ce: first}, "a run exported before is not exported twice"
    assert set(by_filter) == {ce, wce}
    assert list(root.iterdir()) == [], "the exporter's temporary folder is gone"
    store = MlflowClient(tracking(tmp_path)["tracking_uri"])
    assert [a.path for a in store.list_artifacts(first, "model")] == ["model/ce.json"]
    assert store.get_run(first).data.tags["ballast.model_artifact"] == "model/ce.json"


def test_a_model_the_daemon_no_longer_holds_is_left_out_with_a_reason_and_a_failure_is_failed(start_daemon, tmp_path):
    daemon = start_daemon()
    with daemon.client() as client:
        ce, _ = train_two(client)
        client.call("model/drop", {"model": "ce"})
        with pytest.warns(UserWarning, match="the model file is not exported"):
            exported = export_run(client, ce, experiment="dropped", **tracking(tmp_path))
        with pytest.raises(RPCError):
            client.call("model/train", {"dataset": "cards.train", "model": {"type": "mlp", "hidden": [0]}, "name": "broken"})
        (failed,) = client.run.list(status="failed")["runs"]
        failed_export = export_run(client, failed["run"], experiment="dropped", **tracking(tmp_path))
    store = MlflowClient(tracking(tmp_path)["tracking_uri"])
    run = store.get_run(exported)
    assert run.info.status == "FINISHED"
    assert run.data.tags["ballast.model_artifact"].startswith("not exported: the daemon holds no model named 'ce'")
    failure = store.get_run(failed_export)
    assert failure.info.status == "FAILED"
    assert failure.data.tags["ballast.status"] == "failed"
    assert "hidden layer" in failure.data.tags["ballast.message"]
    assert "ballast.model_artifact" not in failure.data.tags, "a failed training made no model to look for"
    assert failure.data.params["model.hidden"] == "[0]"


def _millis(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)
