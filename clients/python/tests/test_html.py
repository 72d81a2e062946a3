"""ballast_client.html on real results from a real daemon: the fragments parse, show the numbers
the daemon sent, mark the best row that the test works out itself, and escape hostile names."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import pytest

from ballast_client.html import BEST_MARK, compare_html, metrics_report_html, sweep_html, table_html

# A label file could say anything: these labels would run a script if pasted into the page as is.
HOSTILE_NEGATIVE = "<b>legit</b>"
HOSTILE_POSITIVE = "fraud</td><script>alert('x')</script> & \"more\""
VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr"}


class Page(HTMLParser):
    """The tables of a fragment as lists of rows, each row (attributes, [cell texts], [is header]);
    fails on a closing tag that closes nothing open, or on elements left open."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[str] = []
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()
        assert not self.open, f"elements left open: {self.open}"

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in VOID:
            self.open.append(tag)
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "tr":
            self.tables[-1]["rows"].append({"attrs": dict(attrs), "cells": [], "headers": []})
        elif tag in ("td", "th"):
            self._cell = []
            self.tables[-1]["rows"][-1]["headers"].append(tag == "th")
        elif tag == "caption":
            self._cell = []

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:] or 'nothing'}"
        self.open.pop()
        if tag in ("td", "th"):
            self.tables[-1]["rows"][-1]["cells"].append("".join(self._cell))
            self._cell = None
        elif tag == "caption":
            self.tables[-1]["caption"] = "".join(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def table(self, caption_start: str) -> list[dict]:
        found = [t for t in self.tables if t["caption"].startswith(caption_start)]
        assert len(found) == 1, f"one table captioned {caption_start!r}, found {[t['caption'] for t in self.tables]}"
        return found[0]["rows"]

    def marked(self, rows: list[dict]) -> list[dict]:
        return [row for row in rows if row["attrs"].get("data-best") == "true"]


def number(cell: str) -> float:
    return float(cell.replace(BEST_MARK, "").strip())


def close(cell: str, value: float) -> bool:
    """A cell shows the value to four decimals (or four significant digits)."""
    return math.isclose(number(cell), value, rel_tol=5e-4, abs_tol=5e-5)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Real results, once for the module: a fraud split, two trainings, an evaluation, a
    comparison and a sweep, plus an evaluation on a file whose labels are HTML."""
    from conftest import Daemon

    folder = tmp_path_factory.mktemp("html")
    rows = ["x1,x2,label"]
    for i in range(300):
        positive = i % 10 == 0
        rows.append(f"{(i % 17) / 4 + (3 if positive else 0)},{(i % 5) - (2 if positive else 0)},"
                    + ('"' + (HOSTILE_POSITIVE if positive else HOSTILE_NEGATIVE).replace('"', '""') + '"'))
    hostile_csv = folder / "hostile.csv"
    hostile_csv.write_text("\n".join(rows) + "\n", encoding="utf-8")

    daemon = Daemon(folder, "--ephemeral")
    try:
        with daemon.client() as client:
            client.initialize("test_html")
            client.call("dataset/generate", {"preset": "fraud", "rows": 20000, "seed": 1, "name": "cards"})
            client.call("dataset/split", {"dataset": "cards", "test": 0.3, "validation": 0.2, "seed": 0})
            train = client.call("model/train", {"dataset": "cards.train", "validation": "cards.validation", "name": "ce"})
            client.call("model/train", {"dataset": "cards.train", "validation": "cards.validation", "name": "wce",
                                        "loss": {"type": "wce"}})
            out = {
                "train": train,
                "evaluate": client.call("model/evaluate", {"model": "ce", "dataset": "cards.test"}),
                "compare": client.call("experiment/compare", {"train": "cards.train", "test": "cards.test",
                                                              "validation": "cards.validation"}),
                "sweep": client.call("experiment/sweep", {"dataset": "cards.train", "param": "w",
                                                          "grid": [0.5, 0.7, 0.9, 0.99], "folds": 3}),
                "runs": client.call("run/list", {"method": "model/train"})["runs"],
            }
            client.call("dataset/load", {"path": str(hostile_csv), "name": "hostile"})
            client.call("model/train", {"dataset": "hostile", "name": "hostile"})
            out["hostile"] = client.call("model/evaluate", {"model": "hostile", "dataset": "hostile"})
            client.call("dataset/generate", {"preset": "multiclass", "rows": 2000, "seed": 2, "name": "three"})
            client.call("model/train", {"dataset": "three", "name": "three"})
            out["multiclass"] = client.call("model/evaluate", {"model": "three", "dataset": "three"})
        yield out
    finally:
        status = daemon.terminate()
        daemon.close()
    assert status == 0, daemon.log()


def test_metrics_report_shows_the_rare_class_the_table_and_the_confusion_matrix(results):
    report = results["evaluate"]
    page = Page(metrics_report_html(report))
    labels = [entry["label"] for entry in report["per_class"]]

    confusion = page.table("Confusion matrix")
    assert confusion[0]["cells"][1:] == labels, "columns: the predicted classes"
    assert [row["cells"][0] for row in confusion[1:]] == labels, "rows: the true classes"
    assert [[int(cell) for cell in row["cells"][1:]] for row in confusion[1:]] == report["confusion"]

    per_class = page.table("Per class")
    assert per_class[0]["cells"] == ["class", "precision", "recall", "F1", "support"]
    for row, entry in zip(per_class[1:], report["per_class"], strict=True):
        assert row["cells"][0].startswith(entry["label"])
        for cell, key in zip(row["cells"][1:4], ("precision", "recall", "f1")):
            assert close(cell, entry[key]), (key, cell, entry[key])
        assert int(row["cells"][4]) == entry["support"]
    rare = [row for row in per_class[1:] if "(rare)" in row["cells"][0]]
    assert [row["cells"][0] for row in rare] == [f"{report['positive']['label']} (rare)"]

    html = metrics_report_html(report)
    positive = report["positive"]
    headline = (f"rare class {positive['label']}: precision {positive['precision']:.4f}, "
                f"recall {positive['recall']:.4f}, F1 {positive['f1']:.4f}")
    assert headline in html
    figures = next(t["rows"] for t in page.tables if t["rows"][0]["cells"][0] == "threshold")
    shown = dict(zip(figures[0]["cells"], figures[1]["cells"]))
    assert close(shown["PR-AUC (AP)"], report["pr_auc"]) and close(shown["ROC-AUC"], report["roc_auc"])
    assert close(shown["MCC"], report["mcc"]) and close(shown["threshold"], report["threshold"])


def test_a_multiclass_report_has_its_classes_on_both_sides_and_no_rare_class(results):
    report = results["multiclass"]
    page = Page(metrics_report_html(report))
    confusion = page.table("Confusion matrix")
    assert confusion[0]["cells"][1:] == ["0", "1", "2"]
    assert [[int(cell) for cell in row["cells"][1:]] for row in confusion[1:]] == report["confusion"]
    assert len(report["confusion"]) == 3
    assert "rare class" not in metrics_report_html(report)


def test_hostile_labels_are_shown_as_text_never_as_markup(results):
    report = results["hostile"]
    assert {entry["label"] for entry in report["per_class"]} == {HOSTILE_NEGATIVE, HOSTILE_POSITIVE}, \
        "the daemon keeps the labels as the file wrote them"
    html = metrics_report_html(report)
    page = Page(html)
    assert "script" not in page.tags and "b" not in page.tags, f"markup from a label: {set(page.tags)}"
    assert "<script>" not in html and "<b>legit" not in html
    confusion = page.table("Confusion matrix")
    assert set(confusion[0]["cells"][1:]) == {HOSTILE_NEGATIVE, HOSTILE_POSITIVE}, "the label reads as written"
    assert [[int(cell) for cell in row["cells"][1:]] for row in confusion[1:]] == report["confusion"]
    assert f"rare class {HOSTILE_POSITIVE}:" in _text(html)


def _text(html: str) -> str:
    """The text of a fragment, markup taken away and entities decoded."""
    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append
    parser.feed(html)
    parser.close()
    return "".join(parts)


def test_compare_marks_the_rows_with_the_best_rare_class_f1(results):
    result = results["compare"]
    top = max(row["f1"] for row in result["rows"])
    best_arms = {row["arm"] for row in result["rows"] if row["f1"] == top}

    page = Page(compare_html(result))
    rows = page.table("experiment/compare")
    header, body = rows[0]["cells"], rows[1:]
    assert header[:5] == ["arm", "description", "recall", "precision", "F1"]
    assert [row["cells"][0].replace(BEST_MARK, "").strip() for row in body] == [r["arm"] for r in result["rows"]]
    for row, sent in zip(body, result["rows"], strict=True):
        assert close(row["cells"][4], sent["f1"]) and close(row["cells"][2], sent["recall"])
    marked = page.marked(body)
    assert {row["cells"][0].replace(BEST_MARK, "").strip() for row in marked} == best_arms
    assert all(row["cells"][0].startswith(BEST_MARK) for row in marked), "the mark shows without colours"
    assert not any(BEST_MARK in row["cells"][0] for row in body if row not in marked)
    assert all("background" in row["attrs"]["style"] for row in marked)

    # A tie marks every row that shares the best F1.
    tied = {**result, "rows": [dict(row) for row in result["rows"]]}
    loser = next(i for i, row in enumerate(tied["rows"]) if row["arm"] not in best_arms)
    tied["rows"][loser]["f1"] = top
    tied_rows = Page(compare_html(tied)).table("experiment/compare")[1:]
    marked_arms = {row["cells"][0].replace(BEST_MARK, "").strip() for row in Page(compare_html(tied)).marked(tied_rows)}
    assert marked_arms == best_arms | {tied["rows"][loser]["arm"]}


def test_sweep_shows_mean_and_sd_and_marks_the_best_value(results):
    result = results["sweep"]
    best_value = max(result["results"], key=lambda entry: entry["mean"])["value"]

    page = Page(sweep_html(result))
    rows = page.table("experiment/sweep")
    assert rows[0]["cells"] == ["w", "f1 mean ± sd", "f1 per fold"]
    for row, entry in zip(rows[1:], result["results"], strict=True):
        assert close(row["cells"][0], entry["value"])
        mean, sd = row["cells"][1].split("±")
        assert close(mean, entry["mean"]) and close(sd, entry["sd"])
        folds = [float(cell) for cell in row["cells"][2].split(",")]
        assert folds == pytest.approx(entry["folds"], abs=5e-5)
    marked = page.marked(rows[1:])
    assert len(marked) == 1 and close(marked[0]["cells"][0], best_value)
    assert marked[0]["cells"][0].startswith(BEST_MARK)


def test_a_training_result_shows_its_summary_and_both_reports(results):
    train = results["train"]
    page = Page(metrics_report_html(train))
    matrices = [t["rows"] for t in page.tables if t["caption"].startswith("Confusion matrix")]
    assert [[[int(c) for c in row["cells"][1:]] for row in m[1:]] for m in matrices] == \
        [train["metrics"]["train"]["confusion"], train["metrics"]["validation"]["confusion"]]
    summary = page.table("Training")
    facts = dict(zip(summary[0]["cells"], summary[1]["cells"]))
    assert facts["model"] == "ce" and int(facts["steps"]) == train["steps"] and facts["stop_reason"] == train["stop_reason"]


def test_table_marks_the_best_row_by_a_column_a_number_or_a_test_and_escapes_everything(results):
    runs = results["runs"]
    assert len(runs) == 2
    best_run = max(runs, key=lambda run: run["metrics"]["validation.f1"])["run"]
    page = Page(table_html(runs, best="metrics.validation.f1", columns=["run", "model", "metrics.validation.f1"]))
    rows = page.tables[0]["rows"]
    assert rows[0]["cells"] == ["run", "model", "metrics.validation.f1"]
    assert [row["cells"][0].replace(BEST_MARK, "").strip() for row in page.marked(rows[1:])] == [best_run]
    for row, run in zip(rows[1:], runs, strict=True):
        assert close(row["cells"][2], run["metrics"]["validation.f1"])

    every_column = Page(table_html(runs)).tables[0]["rows"][0]["cells"]
    assert "metrics.validation.f1" in every_column and "status" in every_column, "nested dicts become dotted columns"

    second = Page(table_html(runs, best=1, columns=["run"]))
    assert [row["cells"] for row in second.marked(second.tables[0]["rows"])] == [[f"{BEST_MARK} {runs[1]['run']}"]]
    picked = Page(table_html(runs, best=lambda row: row["model"] == "wce"))
    assert [r["cells"][list(every_column).index("model")] for r in picked.marked(picked.tables[0]["rows"])] == ["wce"]
    with pytest.raises(KeyError, match="validation.f2"):
        table_html(runs, best="validation.f2")

    hostile = [{"<img src=x onerror=alert(1)>": "<script>alert(2)</script>", "n": 1}]
    html = table_html(hostile, best=0)
    hostile_page = Page(html)
    assert "img" not in hostile_page.tags and "script" not in hostile_page.tags
    assert hostile_page.tables[0]["rows"][0]["cells"] == ["<img src=x onerror=alert(1)>", "n"]
    assert hostile_page.tables[0]["rows"][1]["cells"][0] == f"{BEST_MARK} <script>alert(2)</script>"


def test_result_objects_are_taken_through_to_dict(results):
    class Result:
        def __init__(self, data):
            self.data = data

        def to_dict(self):
            return self.data

    assert compare_html(Result(results["compare"])) == compare_html(results["compare"])
    assert sweep_html(Result(results["sweep"])) == sweep_html(results["sweep"])
    assert metrics_report_html(Result(results["evaluate"])) == metrics_report_html(results["evaluate"])


def test_numpy_numbers_read_compare_and_align_as_numbers():
    """Records built from arrays or frames hold numpy scalars: they show and are marked as the
    Python numbers they hold (np.float32 to four decimals, right-aligned; the best of them starred)."""
    np = pytest.importorskip("numpy")
    rows = [{"arm": "a", "f1": np.float32(0.25), "n": np.int64(3), "ok": np.bool_(True)},
            {"arm": "b", "f1": np.float32(0.75), "n": np.int64(12), "ok": np.bool_(False)},
            {"arm": "c", "f1": np.float64(np.inf), "n": np.int32(-1), "ok": np.bool_(True)}]
    page = Page(table_html(rows[:2], best="f1"))
    body = page.tables[0]["rows"][1:]
    assert [row["cells"] for row in body] == [["a", "0.2500", "3", "true"], [f"{BEST_MARK} b", "0.7500", "12", "false"]]
    assert page.marked(body) == [body[1]]
    assert 'text-align:right;">0.2500</td>' in table_html(rows[:1])
    assert [row["cells"][1] for row in Page(table_html(rows)).tables[0]["rows"][1:]] == ["0.2500", "0.7500", "∞"]
    swept = {"metric": "f1", "param": "w",
             "results": [{"value": np.float64(0.5), "mean": np.float32(0.5), "sd": 0.1, "folds": [0.5]},
                         {"value": np.float64(0.9), "mean": np.float32(0.7), "sd": 0.1, "folds": [0.7]}]}
    page = Page(sweep_html(swept))
    assert [row["cells"][0] for row in page.marked(page.tables[0]["rows"])] == [f"{BEST_MARK} 0.9000"]
