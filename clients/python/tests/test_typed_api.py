"""The typed API (client.dataset.load(...), client.model.train(...), …) against a real daemon: every
method of protocol/schema has one whose keyword params are the schema's, each works, results read
as attributes and frames, jobs show a live bar, and Ctrl-C cancels with the partial result."""

from __future__ import annotations

import _thread
import inspect
import json
import threading

import pytest

from ballast_client import Client, Interrupted, RPCError
from ballast_client.api import CLIENT_OPTIONS, DatasetAPI, ExperimentAPI, ModelAPI, RunAPI, WeightsAPI
from ballast_client.results import MetricsReport, Result
from helpers import SCHEMAS

NAMESPACES = {"dataset": DatasetAPI, "weights": WeightsAPI, "model": ModelAPI, "experiment": ExperimentAPI,
              "run": RunAPI}
# Not typed: the session's own plumbing (Client.initialize, Client.shutdown) and notifications.
PLUMBING = {"initialize", "shutdown", "exit", "run/event"}
# Methods whose Python params are data (frames, arrays) that the client turns into the protocol's
# chunks and binary frames (ballast_client.data): their signatures are the spec's, not the schema's.
DATA_SHAPED = {"dataset/put": {"data", "y", "name", "label", "ids", "positive", "keep", "chunk_bytes", "progress"},
               "dataset/get": {"dataset", "progress"}}
# model/predict's X is sent as the protocol's `features` (a binary matrix) and `count` (its rows);
# y (X's true labels) stays in the client, as the predictions' truth.
STANDS_FOR = {"model/predict": ({"features", "count"}, {"X", "y"})}

def schema_methods() -> dict[str, dict]:
    methods = {}
    for path in sorted(SCHEMAS.glob("*.params.json")):
        name = path.name[:-len(".params.json")]
        if name.startswith("_") or name.startswith("repl."):  # repl/*: answered by ballast --stdio, not the daemon
            continue
        method = name.replace(".", "/")
        if method not in PLUMBING:
            methods[method] = json.loads(path.read_text(encoding="utf-8"))
    return methods


def typed_method(method: str):
    namespace, _, name = method.partition("/")
    owner = NAMESPACES[namespace] if name else Client
    return getattr(owner, name or namespace, None)


def protocol_params(function) -> tuple[set[str], set[str]]:
    """(every keyword param, those without a default) of a typed method, the client's own left out."""
    parameters = [p for p in inspect.signature(function).parameters.values() if p.name != "self"]
    assert all(p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in parameters), function
    names = {p.name for p in parameters} - CLIENT_OPTIONS
    return names, {p.name for p in parameters if p.default is inspect.Parameter.empty}


def test_every_schema_method_has_a_typed_method_with_the_schemas_params():
    methods = schema_methods()
    assert {"dataset/load", "model/train", "experiment/sweep", "run/list", "ping", "status"} <= set(methods)
    for method, schema in methods.items():
        function = typed_method(method)
        assert function is not None, f"{method} has no typed method"
        assert function.__doc__ and f"``{method}``" in function.__doc__, f"{method}'s docstring names it"
        names, required = protocol_params(function)
        if method in DATA_SHAPED:
            assert names | CLIENT_OPTIONS >= DATA_SHAPED[method] - CLIENT_OPTIONS, method
            continue
        expected = set(schema.get("properties", {})) - {"progress_token"}
        replaced, by = STANDS_FOR.get(method, (set(), set()))
        expected = (expected - replaced) | by
        assert names == expected, f"{method}: typed {sorted(names)} but the schema has {sorted(expected)}"
        schema_required = set(schema.get("required", []))
        assert required == schema_required, f"{method}: required {sorted(required)}, schema {sorted(schema_required)}"


def test_every_typed_method_is_a_protocol_method():
    methods = set(schema_methods()) | set(DATA_SHAPED)
    for namespace, owner in NAMESPACES.items():
        for name, _ in inspect.getmembers(owner, inspect.isfunction):
            if name.startswith("_") or name in ("iter", "iter_events"):  # iter*: pages of list/events
                continue
            assert f"{namespace}/{name}" in methods, f"client.{namespace}.{name} is no protocol method"


@pytest.fixture
def bl(start_daemon, tmp_path):
    daemon = start_daemon("--write-root", str(tmp_path))
    with daemon.client() as client:
        client.initialize("test_typed_api")
        yield client


def test_datasets_and_weights(bl, tmp_path):
    cards = bl.dataset.generate(preset="fraud", name="cards", rows=3000, seed=3, positive_rate=0.05)
    assert cards.name == "cards" and cards.rows == 3000 and cards["rows"] == 3000
    classes = cards.to_pandas()
    assert classes["count"].sum() == 3000 and list(classes.index) == [c["label"] for c in cards.classes]

    described = bl.dataset.describe("cards")
    assert described.dataset.rows == 3000 and described.fingerprint
    assert list(described.to_pandas().index) == cards.feature_names

    head = bl.dataset.head("cards", rows=3, offset=2)
    frame = head.to_pandas()
    assert list(frame.index) == [2, 3, 4] and list(frame.columns) == cards.feature_names + ["label"]

    split = bl.dataset.split("cards", test=0.3, validation=0.2, seed=0)
    assert (split.train, split.validation, split.test) == ("cards.train", "cards.validation", "cards.test")
    assert set(split.to_pandas().index) == {"cards.train", "cards.validation", "cards.test"}

    folds = bl.dataset.kfold("cards.train", folds=3, seed=1)
    assert list(folds.to_pandas().index) == [0, 1, 2] or len(folds.folds) == 3

    over = bl.dataset.resample("cards.train", "over", ratio=0.5, seed=1)
    assert over.name == "cards.train.over"
    counts = over.to_pandas()["count"]
    assert counts.min() * 2 == pytest.approx(counts.max(), abs=1)

    standardized = bl.dataset.standardize("cards.train", apply=["cards.test"])
    assert len(standardized.mean) == len(cards.feature_names) and standardized.outputs

    weights = bl.weights.compute("cards.train", scheme="binary", w=0.9)
    table = weights.to_pandas()
    assert table.loc[cards.positive, "weight"] == pytest.approx(0.9)

    csv = tmp_path / "small.csv"
    csv.write_text("a,b,label\n" + "".join(f"{i},{i % 7},{'yes' if i % 5 == 0 else 'no'}\n" for i in range(60)))
    loaded = bl.dataset.load(str(csv), name="small", progress=False)
    assert loaded.rows == 60 and loaded.dataset["name"] == "small" and loaded.positive == "yes"
    assert loaded.to_pandas().loc["yes", "count"] == 12 and loaded.storage == "memory"
    on_disk = bl.dataset.load(str(csv), name="small.disk", storage="disk", keep=False, progress=False)
    assert on_disk.storage == "disk" and on_disk.disk_bytes == 60 * 3 * 4 and on_disk.rows == 60
    assert on_disk.to_pandas().equals(loaded.to_pandas())
    assert bl.dataset.drop("small.disk").dropped == "small.disk"

    listed = bl.dataset.list()
    assert {"cards", "cards.train", "small"} <= set(listed.to_pandas().index)
    assert bl.dataset.drop("small").dropped == "small"
    with pytest.raises(RPCError) as unknown:
        bl.dataset.describe("small")
    assert unknown.value.code == -32001


def test_model_train_sends_engine_and_source(bl, tmp_path):
    # Refused before Spark is asked, so no JVM is needed: the params reach the daemon as typed.
    bl.dataset.generate(preset="fraud", name="cards", rows=300, seed=3)
    with pytest.raises(RPCError) as no_file:
        bl.model.train("cards", engine="spark", progress=False)
    assert no_file.value.code == -32602 and no_file.value.data["field"] == "source"
    with pytest.raises(RPCError) as focal:
        bl.model.train("cards", engine="spark", source=str(tmp_path / "cards.csv"), loss="focal", progress=False)
    assert focal.value.data["field"] == "loss.type" and "focal loss stays local" in focal.value.message
    with pytest.raises(RPCError) as local:
        bl.model.train("cards", source={"path": str(tmp_path / "cards.csv"), "format": "csv"}, progress=False)
    assert local.value.data["field"] == "source"


def test_sweep_sends_engine_and_source(bl, tmp_path):
    # Refused before Spark is asked, so no JVM is needed: the params reach the daemon as typed.
    bl.dataset.generate(preset="fraud", name="cards", rows=300, seed=3, positive_rate=0.2)
    with pytest.raises(RPCError) as no_file:
        bl.experiment.sweep("cards", "w", [0.5, 0.8], folds=3, engine="spark", progress=False)
    assert no_file.value.code == -32602 and no_file.value.data["field"] == "source"
    with pytest.raises(RPCError) as focal:
        bl.experiment.sweep("cards", "gamma", [1, 2], engine="spark", source=str(tmp_path / "cards.csv"), progress=False)
    assert focal.value.data["field"] == "param" and "focal loss stays local" in focal.value.message
    with pytest.raises(RPCError) as ranking:
        bl.experiment.sweep("cards", "w", [0.5], metric="pr_auc", engine="spark", progress=False)
    assert ranking.value.data["field"] == "metric"
    with pytest.raises(RPCError) as local:
        bl.experiment.sweep("cards", "w", [0.5], source={"path": str(tmp_path / "cards.csv")}, progress=False)
    assert local.value.data["field"] == "source"


def test_models(bl, tmp_path):
    bl.dataset.generate(preset="fraud", name="cards", rows=3000, seed=3, positive_rate=0.05)
    bl.dataset.split("cards", test=0.3, validation=0.2, seed=0)
    trained = bl.model.train("cards.train", validation="cards.validation", name="wce",
                             loss={"type": "wce", "weights": {"scheme": "balanced"}},
                             optimizer={"type": "lbfgs", "max_iter": 30}, threshold="best_f1", progress=False)
    assert trained.model == "wce" and trained.run.startswith("r") and trained.steps > 0
    assert isinstance(trained.metrics.validation, MetricsReport)
    assert trained.metrics.validation.f1 == trained.metrics.validation.positive["f1"]
    assert list(trained.to_pandas().index) == ["train", "validation"]

    report = bl.model.evaluate("wce", "cards.test", curves=True)
    per_class = report.to_pandas()
    assert list(per_class.columns) == ["precision", "recall", "f1", "support"]
    confusion = report.confusion_to_pandas()
    assert confusion.to_numpy().sum() == per_class["support"].sum() == 900
    assert confusion.index.name == "truth" and list(confusion.columns) == list(per_class.index)
    assert set(report.curves.to_pandas()["curve"]) == {"pr", "roc"}

    predicted = bl.model.predict("wce", dataset="cards.test")
    frame = predicted.to_pandas()
    labels = predicted.classes
    assert list(frame.columns)[-len(labels) - 1:] == [f"P({label})" for label in labels] + ["predicted"]
    assert len(frame) == 900 and frame[[f"P({label})" for label in labels]].sum(axis=1).round(4).eq(1).all()
    one = bl.model.predict("wce", rows=[[0.0] * 30])
    assert len(one.labels) == 1 and one.labels[0] in labels

    assert bl.model.describe("wce").model["name"] == "wce"
    assert "wce" in bl.model.list().to_pandas().index
    saved = bl.model.save("wce", str(tmp_path / "wce.json"))
    assert saved.bytes > 0
    loaded = bl.model.load(str(tmp_path / "wce.json"), name="again", dataset="cards.test")
    assert loaded.name == "again"
    assert bl.model.drop("again").dropped == "again"


def test_experiments_runs_and_the_daemon(bl):
    bl.dataset.generate(preset="fraud", name="cards", rows=3000, seed=3, positive_rate=0.05)
    bl.dataset.split("cards", test=0.3, validation=0.2, seed=0)
    compared = bl.experiment.compare("cards.train", "cards.test", arms=["ce", "wce_balanced"],
                                     optimizer={"type": "lbfgs", "max_iter": 20}, progress=False)
    assert list(compared.to_pandas().index) == ["ce", "wce_balanced"]
    assert compared.best("f1")["arm"] in ("ce", "wce_balanced")
    swept = bl.experiment.sweep("cards.train", "w", [0.5, 0.9], folds=2, optimizer={"type": "lbfgs", "max_iter": 10},
                                progress=False)
    assert list(swept.to_pandas().index) == [0.5, 0.9] and swept.best.value in (0.5, 0.9)

    runs = bl.run.list(method="experiment/compare")
    assert list(runs.to_pandas().index) == [compared.run]
    assert [run.run for run in bl.run.iter(limit=1)] == [swept.run, compared.run]
    assert bl.run.describe(swept.run).summary["status"] == "completed"
    assert bl.run.compare([compared.run, swept.run]).to_pandas().index.tolist() == [compared.run, swept.run]
    events = bl.run.events(swept.run)
    assert events.complete and events.to_pandas()["kind"].iloc[0] == "begin"
    assert list(bl.run.iter_events(swept.run, limit=2)) == events.events
    assert bl.run.cancel(swept.run).cancelled is False, "a finished run is not cancelled"
    assert bl.run.delete(swept.run).deleted == [swept.run]

    assert bl.ping().pong is True
    status = bl.status()
    assert status.pid > 0 and status.sessions >= 1 and status.to_pandas().empty


def test_results_are_dicts_with_attributes_and_plain_copies():
    result = Result({"rows": 3, "nested": {"f1": 0.5}, "values": [1]})
    assert result.rows == 3 and result.nested.f1 == 0.5 and result["values"] == [1]
    assert json.loads(json.dumps(result)) == result.to_dict() == {"rows": 3, "nested": {"f1": 0.5}, "values": [1]}
    with pytest.raises(AttributeError, match="rows, nested, values"):
        result.f1
    with pytest.raises(TypeError, match="not a table"):
        result.to_pandas()


def test_a_job_shows_a_live_bar_with_loss_and_validation_f1_unless_told_not_to(bl, capsys):
    bl.dataset.generate(preset="fraud", name="cards", rows=3000, seed=3, positive_rate=0.05)
    bl.dataset.split("cards", test=0.3, validation=0.2, seed=0)
    training = dict(validation="cards.validation", optimizer={"type": "adam", "epochs": 30})
    bl.model.train("cards.train", progress=False, **training)
    assert capsys.readouterr().err == ""
    bl.model.train("cards.train", **training)
    shown = capsys.readouterr().err
    assert "Training" in shown and "loss=" in shown and "val_f1=" in shown and "30/30 steps" in shown

    bl.experiment.sweep("cards.train", "w", [0.5, 0.9], folds=2, optimizer={"type": "lbfgs", "max_iter": 5})
    assert "100/100 %" in capsys.readouterr().err


@pytest.fixture
def patient_grace(monkeypatch):
    """A generous grace for the daemon's answer after Ctrl-C (5 s by default): two shared cores
    must not make the test depend on how soon a busy machine answers."""
    monkeypatch.setattr("ballast_client.client.CANCEL_GRACE", 60.0)


def test_ctrl_c_cancels_the_training_and_carries_its_partial_result(bl, patient_grace):
    bl.dataset.generate(preset="fraud", name="cards", rows=20000, seed=3)
    bl.dataset.split("cards", test=0.3, validation=0.2, seed=0)
    started = threading.Event()

    def interrupt_once_training(value):
        if value.get("kind") == "report" and not started.is_set():
            started.set()
            threading.Timer(0.3, _thread.interrupt_main).start()  # as Ctrl-C, while the call waits

    with pytest.raises(Interrupted) as interrupted:
        bl.call("model/train", {"dataset": "cards.train", "validation": "cards.validation", "name": "forever",
                                "model": {"type": "mlp"}, "optimizer": {"type": "adam", "epochs": 100000}},
                on_progress=interrupt_once_training)
    error = interrupted.value
    assert isinstance(error, KeyboardInterrupt) and error.answered and error.result is None
    assert error.method == "model/train"
    partial = error.partial
    assert partial["run"].startswith("r") and partial["steps"] >= 1 and "objective" in partial
    assert bl.run.describe(partial["run"]).summary["status"] == "cancelled"
    with pytest.raises(RPCError) as no_model:
        bl.model.describe("forever")
    assert no_model.value.code == -32001, "a cancelled training stores no model"


def test_ctrl_c_during_a_typed_job_raises_interrupted_too(bl, patient_grace):
    bl.dataset.generate(preset="fraud", name="cards", rows=20000, seed=3)
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(Interrupted) as interrupted:
            bl.model.train("cards", name="forever", model="mlp", optimizer={"type": "adam", "epochs": 100000})
    finally:
        timer.cancel()
    assert interrupted.value.answered and interrupted.value.method == "model/train"
    # Cancelled before or during its training (the timer does not know which): either way the
    # daemon runs nothing for nobody, and a partial result names a cancelled run.
    assert bl.status().in_flight == []
    if interrupted.value.partial is not None:
        assert isinstance(interrupted.value.partial, Result), "the typed API's partial result reads as a result"
        assert bl.run.describe(interrupted.value.partial.run).summary["status"] == "cancelled"


def test_binary_data_methods_delegate_to_ballast_client_data(bl):
    data = pytest.importorskip("ballast_client.data")
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3)).astype("float32")
    y = np.where(X[:, 0] > 1.0, "fraud", "ok")
    try:
        summary = bl.dataset.put(X, y, name="uploaded")
    except RPCError as error:
        if error.code == -32601:
            pytest.skip("this daemon has no dataset/put yet")
        raise
    assert summary.rows == 200 and data is not None
    frame = bl.dataset.get("uploaded")
    assert len(frame) == 200
    trained = bl.model.train("uploaded", sample_weight=np.ones(200), progress=False)
    predicted = bl.model.predict(trained.model, X[:5], columns=list(frame.columns[:3]))
    assert predicted.to_pandas().shape[0] == 5 and set(predicted.labels) <= {"fraud", "ok"}


def test_connect_returns_a_client_that_closes_cleanly_as_a_context_manager(daemon):
    from ballast_client import connect

    with connect(daemon.connection_file, start=False) as bl:
        assert bl.session and bl.ping().pong is True
    assert bl.closed and bl.context.closed, "the sockets and the context are closed"
    with pytest.raises(RuntimeError):
        with connect(daemon.connection_file, start=False) as second:
            raise RuntimeError("an error inside the with block")
    assert second.closed, "closed when the block raises too"


def test_results_render_in_jupyter_through_ballast_client_html(monkeypatch):
    import sys
    import types

    import ballast_client
    from ballast_client.results import Comparison, RunList, Sweep, TrainResult

    calls = []
    stub = types.ModuleType("ballast_client.html")
    for name in ("metrics_report_html", "compare_html", "sweep_html"):
        setattr(stub, name, lambda result, name=name: calls.append((name, result)) or f"<{name}>")
    stub.table_html = lambda rows, *, best=None: calls.append(("table_html", rows)) or "<table_html>"
    monkeypatch.setitem(sys.modules, "ballast_client.html", stub)
    monkeypatch.setattr(ballast_client, "html", stub, raising=False)

    report = {"per_class": [{"label": "0", "f1": 0.9}], "confusion": [[1]], "macro_f1": 0.9}
    compared = {"run": "r1", "rows": [{"arm": "ce", "f1": 0.5}], "skipped": {}}
    swept = {"run": "r2", "param": "w", "metric": "f1", "results": [{"value": 0.9, "mean": 0.5}], "best": {}}
    assert Comparison(compared)._repr_html_() == "<compare_html>"
    assert Sweep(swept)._repr_html_() == "<sweep_html>"
    assert MetricsReport(report)._repr_html_() == "<metrics_report_html>"
    trained = TrainResult({"model": "m1", "run": "r3", "metrics": {"train": report}})
    assert trained._repr_html_() == "<table_html>\n<metrics_report_html>"
    assert RunList({"runs": [{"run": "r1", "metrics": {"validation.f1": 0.5}}]})._repr_html_() == "<table_html>"
    assert calls[:3] == [("compare_html", compared), ("sweep_html", swept), ("metrics_report_html", report)]
    assert all(type(result) in (dict, list) for _, result in calls), "the renderers get plain dicts"
    assert calls[-1] == ("table_html", [{"run": "r1", "validation.f1": 0.5}])
