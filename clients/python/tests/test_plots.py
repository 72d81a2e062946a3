"""ballast_client.plots on real results from a real daemon: each plot draws exactly the points the
daemon sent (or, for the reliability diagram, the bins a numpy reference computes here), with the
lines, legend and axis labels a reader needs."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ballast_client.plots import (  # noqa: E402
    pr_curves, reliability_bins, reliability_diagram, roc_curves, sweep_plot, training_curves,
)

from helpers import HERE  # noqa: E402

GRID = [0.5, 0.9, 0.7, 0.99]  # not sorted: the plot sorts it


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Real results, once for the module, on a fraud split."""
    from conftest import Daemon

    daemon = Daemon(tmp_path_factory.mktemp("plots"), "--ephemeral")
    try:
        with daemon.client() as client:
            client.initialize("test_plots")
            client.call("dataset/generate", {"preset": "fraud", "rows": 20000, "seed": 1, "name": "cards"})
            client.call("dataset/split", {"dataset": "cards", "test": 0.3, "validation": 0.2, "seed": 0})
            client.call("model/train", {"dataset": "cards.train", "name": "ce"})
            client.call("model/train", {"dataset": "cards.train", "name": "wce", "loss": {"type": "wce"}})
            progress: list = []
            mlp = client.call("model/train", {"dataset": "cards.train", "validation": "cards.validation", "name": "mlp",
                                              "model": {"type": "mlp", "hidden": [16]},
                                              "optimizer": {"type": "adam", "epochs": 30, "batch_size": 64}},
                              on_progress=progress.append)
            compare = client.call("experiment/compare", {"train": "cards.train", "test": "cards.test",
                                                         "arms": ["ce", "focal"], "model": {"type": "mlp", "hidden": [4]},
                                                         "optimizer": {"type": "adam", "epochs": 8, "batch_size": 64}})
            test_rows = client.call("dataset/describe", {"dataset": "cards.test"})["dataset"]["rows"]
            truth = []
            while len(truth) < test_rows:
                page = client.call("dataset/head", {"dataset": "cards.test", "rows": 1000, "offset": len(truth)})
                truth += [row["label"] for row in page["rows"]]
            out = {
                "ce": client.call("model/evaluate", {"model": "ce", "dataset": "cards.test"}),
                "wce": client.call("model/evaluate", {"model": "wce", "dataset": "cards.test"}),
                "progress": progress,
                "events": client.call("run/events", {"run": mlp["run"]}),
                "compare_events": client.call("run/events", {"run": compare["run"]}),
                "sweep": client.call("experiment/sweep", {"dataset": "cards.train", "param": "w", "grid": GRID, "folds": 3}),
                "predict": client.call("model/predict", {"model": "wce", "dataset": "cards.test"}),
                "weights": client.call("weights/compute", {"dataset": "cards.train", "scheme": "inverse"}),
                "truth": truth,
            }
            client.call("dataset/generate", {"preset": "multiclass", "rows": 2000, "seed": 2, "name": "three"})
            client.call("model/train", {"dataset": "three", "name": "three"})
            out["multiclass"] = client.call("model/evaluate", {"model": "three", "dataset": "three"})
        yield out
    finally:
        status = daemon.terminate()
        daemon.close()
    assert status == 0, daemon.log()


def legend_texts(ax) -> list[str]:
    return [text.get_text() for text in ax.get_legend().get_texts()]


def points(report: dict, kind: str) -> tuple[np.ndarray, np.ndarray]:
    curve = report["curves"][kind]
    return np.array([p["x"] for p in curve]), np.array([p["y"] for p in curve])


class Result:
    """Stands for the library's result objects: anything with to_dict()."""

    def __init__(self, data):
        self.data = data

    def to_dict(self):
        return self.data


def test_pr_curves_of_two_models_share_one_axes_with_their_average_precision(results):
    ce, wce = results["ce"], results["wce"]
    ax = pr_curves({"ce": ce, "wce": Result(wce)})
    assert len(ax.lines) == 2
    assert legend_texts(ax) == [f"ce (AP {ce['pr_auc']:.3f})", f"wce (AP {wce['pr_auc']:.3f})"]
    for line, report in zip(ax.lines, (ce, wce)):
        recall, precision = points(report, "pr")
        np.testing.assert_array_equal(line.get_xdata(), recall)
        np.testing.assert_array_equal(line.get_ydata(), precision)
    assert ax.get_xlabel() == "Recall (class 1)" and ax.get_ylabel() == "Precision (class 1)"

    fig, given = plt.subplots()
    drawn = pr_curves([ce, wce], ax=given, labels=["plain", "weighted"], chance=True)
    assert drawn is given and len(given.lines) == 3, "both models and one chance line: the same test data"
    prevalence = ce["positive"]["support"] / sum(entry["support"] for entry in ce["per_class"])
    np.testing.assert_allclose(given.lines[2].get_ydata(), [prevalence, prevalence])
    assert legend_texts(given) == [f"plain (AP {ce['pr_auc']:.3f})", f"weighted (AP {wce['pr_auc']:.3f})",
                                   f"chance (prevalence {prevalence:.4f})"]

    with pytest.raises(ValueError, match="1 labels were given for 2 results"):
        pr_curves([ce, wce], labels=["one"])


def test_roc_curves_carry_the_auc_and_the_chance_diagonal(results):
    ce, wce = results["ce"], results["wce"]
    ax = roc_curves([ce, wce], labels=["ce", "wce"])
    assert len(ax.lines) == 3, "two models and the diagonal"
    assert legend_texts(ax) == [f"ce (AUC {ce['roc_auc']:.3f})", f"wce (AUC {wce['roc_auc']:.3f})", "chance (AUC 0.500)"]
    for line, report in zip(ax.lines, (ce, wce)):
        false_positive_rate, true_positive_rate = points(report, "roc")
        np.testing.assert_array_equal(line.get_xdata(), false_positive_rate)
        np.testing.assert_array_equal(line.get_ydata(), true_positive_rate)
    np.testing.assert_array_equal(ax.lines[2].get_xydata(), [[0, 0], [1, 1]])
    assert ax.get_xlabel() == "False positive rate" and ax.get_ylabel() == "True positive rate (class 1)"
    assert len(roc_curves(ce, chance=False).lines) == 1, "one result alone"


def test_a_result_without_curves_is_refused_by_name(results):
    assert "curves" not in results["multiclass"]
    with pytest.raises(ValueError, match="'softmax' has no ROC curve"):
        roc_curves({"softmax": results["multiclass"]})


def test_training_curves_draw_the_loss_and_the_validation_metric_on_two_axes(results):
    events = results["events"]["events"]
    reports = [e for e in events if e["kind"] == "report"]
    validated = [e for e in reports if "validation" in e]
    assert validated, "the first report of a training with validation carries its figures"

    for source in (results["events"], events, results["progress"], Result(results["events"])):
        ax = training_curves(source, metric="recall")
        twins = [other for other in ax.figure.axes if other is not ax]
        assert len(ax.lines) == 1 and len(twins) == 1 and len(twins[0].lines) == 1
        np.testing.assert_array_equal(ax.lines[0].get_xdata(), [e["step"] for e in reports])
        np.testing.assert_array_equal(ax.lines[0].get_ydata(), [e["loss"] for e in reports])
        np.testing.assert_array_equal(twins[0].lines[0].get_xdata(), [e["step"] for e in validated])
        np.testing.assert_array_equal(twins[0].lines[0].get_ydata(), [e["validation"]["recall"] for e in validated])
        assert ax.get_xlabel() == "step" and ax.get_ylabel() == "training loss (objective J)"
        assert twins[0].get_ylabel() == "validation recall"
        assert legend_texts(ax) == ["training loss", "validation recall"]
        plt.close(ax.figure)

    f1 = training_curves(results["events"])
    assert f1.figure.axes[1].get_ylabel() == "validation F1"
    np.testing.assert_array_equal(f1.figure.axes[1].lines[0].get_ydata(), [e["validation"]["f1"] for e in validated])
    with pytest.raises(ValueError, match="no 'mcc'; they have: f1, loss, pr_auc, precision, recall"):
        training_curves(results["events"], metric="mcc")


def test_training_curves_of_a_comparison_draw_one_loss_line_per_arm(results):
    events = results["compare_events"]["events"]
    steps = [e for e in events if e["kind"] == "report" and "step" in e and "loss" in e]
    arms = list(dict.fromkeys(e["arm"] for e in steps))
    assert arms, "a comparison of trained arms reports their steps"
    ax = training_curves(events)
    assert len(ax.figure.axes) == 1, "no validation axis without validation figures"
    assert legend_texts(ax) == [f"{arm}: training loss" for arm in arms]
    for line, arm in zip(ax.lines, arms, strict=True):
        np.testing.assert_array_equal(line.get_ydata(), [e["loss"] for e in steps if e["arm"] == arm])


def test_sweep_plot_draws_the_mean_the_sd_band_and_the_best_value(results):
    sweep = results["sweep"]
    ordered = sorted(sweep["results"], key=lambda entry: entry["value"])
    values = np.array([entry["value"] for entry in ordered])
    means = np.array([entry["mean"] for entry in ordered])
    sds = np.array([entry["sd"] for entry in ordered])
    best = max(sweep["results"], key=lambda entry: entry["mean"])

    ax = sweep_plot(Result(sweep))
    assert len(ax.lines) == 2, "the means and the best point"
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), values)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), means)
    assert ax.lines[1].get_xdata().tolist() == [best["value"]] and ax.lines[1].get_ydata().tolist() == [best["mean"]]
    band = ax.collections[0].get_paths()[0].vertices
    for value, mean, sd in zip(values, means, sds):
        at_value = band[np.isclose(band[:, 0], value)][:, 1]
        assert np.isclose(at_value, mean + sd).any() and np.isclose(at_value, mean - sd).any()
    assert legend_texts(ax) == ["mean F1", "± 1 sd", f"best: w = {best['value']:g} (F1 {best['mean']:.3f})"]
    assert ax.get_xlabel() == "w (the rare class's weight in binary WCE)"
    plan = sweep["folds"]  # 3 folds asked for; repeated when the rare class is small (protocol 1.8)
    assert plan["used"] == 3 and all(len(entry["folds"]) == 3 * plan["repeats"] for entry in sweep["results"])
    repeated = f" × {plan['repeats']} repeats" if plan["repeats"] > 1 else ""
    assert ax.get_ylabel() == f"F1, mean ± sd over 3 folds{repeated}"
    with pytest.raises(ValueError, match="scored 'f1', not 'pr_auc'"):
        sweep_plot(sweep, metric="pr_auc")


def reference_bins(p: np.ndarray, y: np.ndarray, bins: int):
    """numpy's own histogram, bin by bin: mean predicted, fraction positive, count (non-empty bins)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts, _ = np.histogram(p, edges)
    sums, _ = np.histogram(p, edges, weights=p)
    hits, _ = np.histogram(p, edges, weights=y.astype(float))
    held = counts > 0
    return sums[held] / counts[held], hits[held] / counts[held], counts[held]


def test_reliability_bins_match_numpy_on_the_edges_of_the_bins():
    p = np.array([0.0, 0.1, 0.2, 0.3, 0.30000001, 0.29999999, 0.5, 0.7, 0.95, 1.0, 1.0, 0.05])
    y = np.array([0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0], dtype=bool)
    for bins in (1, 3, 10, 20):
        table = reliability_bins(p, y, bins)
        mean, fraction, count = reference_bins(p, y, bins)
        np.testing.assert_allclose(table["mean_predicted"], mean, rtol=1e-12)
        np.testing.assert_allclose(table["fraction_positive"], fraction, rtol=1e-12)
        np.testing.assert_array_equal(table["count"], count)
    with pytest.raises(ValueError, match="from 0 to 1"):
        reliability_bins([0.5, 1.5], [True, False])
    with pytest.raises(ValueError, match="at least 1"):
        reliability_bins(p, y, 0)


def test_reliability_diagram_before_and_after_prior_correction(results):
    predicted = results["predict"]
    classes = predicted["classes"]
    before = np.array(predicted["probabilities"])[:, classes.index("1")]
    weights = {entry["label"]: entry["weight"] for entry in results["weights"]["classes"]}
    logit = np.log(before) - np.log1p(-before) - math.log(weights["1"] / weights["0"])
    after = 1 / (1 + np.exp(-logit))  # the prior correction of a weighted logistic model
    truth = np.array(results["truth"])
    assert truth.shape == before.shape and set(truth) == {"0", "1"}
    positive = truth == "1"

    ax = reliability_diagram(before, after, truth, "1", bins=10)
    assert len(ax.lines) == 3, "the diagonal, before and after"
    for line, p in zip(ax.lines[1:], (before, after)):
        mean, fraction, _ = reference_bins(p, positive, 10)
        np.testing.assert_allclose(line.get_xdata(), mean, rtol=1e-12)
        np.testing.assert_allclose(line.get_ydata(), fraction, rtol=1e-12)
    brier_before, brier_after = (float(np.mean((p - positive) ** 2)) for p in (before, after))
    assert brier_after < brier_before, "weighted training moves probabilities away from the true rates"
    assert legend_texts(ax) == ["perfectly calibrated", f"before prior correction (Brier {brier_before:.4f})",
                                f"after prior correction (Brier {brier_after:.4f})"]
    assert ax.get_xlabel() == "mean predicted P(class = 1)" and ax.get_ylabel() == "observed fraction of positives"

    # model/predict's result as it came (a column per class), and booleans for the truth.
    corrected = {"classes": classes, "probabilities": np.column_stack([1 - after, after])}
    same = reliability_diagram(Result(predicted), corrected, positive, "1", bins=10)
    for ours, theirs in zip(same.lines, ax.lines):
        np.testing.assert_allclose(ours.get_xydata(), theirs.get_xydata(), rtol=1e-6)

    five = reliability_diagram(before, after, truth, "1", bins=5)
    np.testing.assert_allclose(five.lines[1].get_ydata(), reference_bins(before, positive, 5)[1], rtol=1e-12)
    with pytest.raises(ValueError, match="give classes"):
        reliability_diagram(predicted["probabilities"], after, truth, "1")
    with pytest.raises(ValueError, match="one of each per row"):
        reliability_diagram(before, after[:-1], truth, "1")


def test_the_client_imports_without_matplotlib():
    """The plots module loads matplotlib only when a plot is drawn."""
    code = ("import sys, ballast_client, ballast_client.plots, ballast_client.html; "
            "assert 'matplotlib' not in sys.modules, sorted(m for m in sys.modules if 'matplotlib' in m)")
    subprocess.run([sys.executable, "-c", code], cwd=HERE.parent, check=True)


def test_the_typed_api_results_draw_and_render_as_they_come(client):
    """What client.dataset/model/experiment/run return goes straight into the plots and into
    Jupyter's HTML (the real ballast_client.html, no stand-in): no to_dict(), no unpacking."""
    from ballast_client.html import BEST_MARK
    from ballast_client.results import Predictions

    client.initialize("test_plots")
    client.dataset.generate(preset="fraud", rows=20000, seed=1, name="cards")
    client.dataset.split("cards", test=0.3, validation=0.2, seed=0)
    trained = client.model.train("cards.train", validation="cards.validation", name="ce", progress=False)
    net = client.model.train("cards.train", validation="cards.validation", name="net", model={"type": "mlp", "hidden": [4]},
                             optimizer={"type": "adam", "epochs": 4, "batch_size": 256}, progress=False)
    report = client.model.evaluate("ce", "cards.test")
    compared = client.experiment.compare("cards.train", "cards.test", arms=["ce", "wce_inverse"], progress=False)
    swept = client.experiment.sweep("cards.train", "w", [0.5, 0.9], folds=3, progress=False)
    predicted = client.model.predict("ce", dataset="cards.test")
    positive = report.positive.label

    best_arm = compared.best("f1")["arm"]
    assert f"{BEST_MARK} {best_arm}</td>" in compared._repr_html_()
    assert f"{BEST_MARK} {swept.best.value:.4f}</td>" in swept._repr_html_()
    assert "Confusion matrix" in report._repr_html_() and "Confusion matrix" in trained._repr_html_()
    assert ">weight</th>" in client.weights.compute("cards.train")._repr_html_()
    assert f">P({positive})</th>" in predicted._repr_html_()

    assert legend_texts(pr_curves({"CE": report})) == [f"CE (AP {report.pr_auc:.3f})"]
    assert legend_texts(roc_curves([report], labels=["CE"]))[0] == f"CE (AUC {report.roc_auc:.3f})"
    assert len(sweep_plot(swept).lines) == 2, "the mean and the best value"
    events = client.run.events(net.run)
    steps = [record["step"] for record in events.events if record.get("kind") == "report"]
    assert steps[-1] == 4 and list(training_curves(events).lines[0].get_xdata()) == steps

    # model.predict(X) answers with arrays (float32 probabilities, class indices): they plot as they are.
    binary = Predictions({"classes": predicted.classes,
                          "probabilities": np.asarray(predicted.probabilities, dtype=np.float32),
                          "labels": np.asarray([predicted.classes.index(label) for label in predicted.labels],
                                               dtype=np.int32)})
    assert binary.labels == predicted.labels
    truth = []
    while len(truth) < len(predicted.labels):
        truth += [row["label"] for row in client.dataset.head("cards.test", rows=1000, offset=len(truth)).rows]
    ax = reliability_diagram(predicted, binary, truth, positive)
    np.testing.assert_allclose(ax.lines[1].get_xydata(), ax.lines[2].get_xydata(), rtol=1e-6)
    assert f">P({positive})</th>" in binary._repr_html_()
