"""The client's run methods against a real daemon: run/list (filters, sort, pages), run/describe,
run/compare (and comparison_records), run/delete, run/events."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ballast_client import RPCError, comparison_records

# Three small trainings on one split, each with a validation set so validation metrics exist.
TRAININGS = [
    {"name": "ce", "loss": {"type": "ce"}},
    {"name": "wce", "loss": {"type": "wce", "weights": {"scheme": "inverse"}}},
    {"name": "focal", "loss": {"type": "focal", "gamma": 2.0}},
]


def train_three(client) -> list[str]:
    """Trains TRAININGS on a fresh split; returns their run ids, oldest first."""
    client.call("dataset/generate", {"preset": "fraud", "rows": 3000, "seed": 3, "name": "cards"})
    client.call("dataset/split", {"dataset": "cards", "test": 0.3, "validation": 0.2, "seed": 0})
    runs = []
    for training in TRAININGS:
        params = {"dataset": "cards.train", "validation": "cards.validation",
                  "optimizer": {"type": "lbfgs", "max_iter": 30}, **training}
        runs.append(client.call("model/train", params)["run"])
    return runs


def listed_f1(listed, run: str) -> float:
    (summary,) = [summary for summary in listed["runs"] if summary["run"] == run]
    return summary["metrics"]["validation.f1"]


def test_run_list_pages_filters_and_sorts(client):
    client.initialize("test_runs")
    ce, wce, focal = train_three(client)

    listed = client.run.list()
    assert listed["total"] == 3
    assert [run["run"] for run in listed["runs"]] == [focal, wce, ce], "newest first"
    first = listed["runs"][-1]
    assert first["method"] == "model/train" and first["status"] == "completed" and first["model"] == "ce"
    assert {d["role"]: d["name"] for d in first["datasets"]} == {"dataset": "cards.train", "validation": "cards.validation"}
    assert 0 <= first["metrics"]["validation.f1"] <= 1

    assert [run["run"] for run in client.run.list(loss="wce")["runs"]] == [wce]
    assert client.run.list(status="failed", dataset="cards.train")["total"] == 0
    assert client.run.list(status=None, model="focal")["total"] == 1, "a filter given as None is left out"

    by_f1 = client.run.list(sort_by="validation.f1", order="asc")["runs"]
    f1s = [run["metrics"]["validation.f1"] for run in by_f1]
    assert f1s == sorted(f1s)

    page = client.run.list(limit=2)
    assert len(page["runs"]) == 2 and page["total"] == 3 and page["next_offset"] == 2
    last = client.run.list(limit=2, offset=page["next_offset"])
    assert [run["run"] for run in last["runs"]] == [ce] and last.get("next_offset") is None
    assert [run["run"] for run in client.run.iter(limit=1)] == [focal, wce, ce]

    future = datetime.now(timezone.utc) + timedelta(days=1)
    assert client.run.list(since=future)["total"] == 0, "a datetime is sent as ISO 8601"
    assert client.run.list(until=future)["total"] == 3

    with pytest.raises(TypeError, match="colour"):
        client.run.list(colour="blue")  # a typed method knows its params
    with pytest.raises(RPCError) as refused:
        client.call("run/list", {"colour": "blue"})
    assert refused.value.code == -32602

    table = client.run.list(sort_by="validation.f1", order="asc").to_pandas()
    assert list(table.index) == [run["run"] for run in by_f1]
    assert table.loc[wce, "loss"] == "wce" and table.loc[wce, "validation.f1"] == listed_f1(listed, wce)


def test_run_describe_compare_and_delete(client):
    client.initialize("test_runs")
    ce, wce, focal = train_three(client)

    described = client.run.describe(wce)
    assert described["summary"]["run"] == wce and described["summary"]["loss"] == "wce"
    assert described["params"]["loss"] == {"type": "wce", "weights": {"scheme": "inverse"}}, "the params as sent"
    assert described["event_count"] >= 2
    events = client.run.events(wce)
    assert events["complete"] is True and len(events["events"]) == described["event_count"]
    assert [e["kind"] for e in events["events"]][0] == "begin"
    paged = client.run.events(wce, limit=1)
    assert len(paged["events"]) == 1 and paged["next_since_seq"] == paged["events"][0]["seq"]
    assert list(client.run.iter_events(wce, limit=1)) == events["events"], "the pages hold every record once"

    compared = client.run.compare([ce, wce, focal], metrics=["validation.f1", "steps"], params=["loss.type"])
    assert compared["metrics"] == ["validation.f1", "steps"] and compared["params"] == ["loss.type"]
    assert [row["run"] for row in compared["rows"]] == [ce, wce, focal]
    assert list(compared.to_pandas().columns) == ["param.loss.type", "metric.validation.f1", "metric.steps"]
    records = comparison_records(compared)
    assert [record["param.loss.type"] for record in records] == ["ce", "wce", "focal"]
    assert records[1]["metric.validation.f1"] == described["summary"]["metrics"]["validation.f1"]

    default = client.run.compare([ce, wce])
    assert "loss.type" in default["params"], "the params that differ by default"
    assert "validation.f1" in default["metrics"]

    assert client.run.delete(ce).deleted == [ce]
    assert client.run.delete([wce, focal]).deleted == [wce, focal]
    assert client.run.list()["total"] == 0
    with pytest.raises(RPCError):
        client.run.describe(ce)
    with pytest.raises(TypeError):
        client.run.delete([3])


def test_comparison_records_keep_a_param_and_a_metric_of_the_same_name():
    table = {"metrics": ["threshold"], "params": ["threshold"],
             "rows": [{"run": "r1", "metrics": [0.42], "params": ["best_f1"]}]}
    assert comparison_records(table) == [{"run": "r1", "param.threshold": "best_f1", "metric.threshold": 0.42}]
