"""experiment/tune through the Python client, against a real daemon: the leaderboard as a frame,
the winner stored and reproducible from its config, the honest estimate, calibration, the live
bar, Ctrl-C, the folds that adapt to a tiny class, and the notebook view."""

from __future__ import annotations

import _thread
import statistics
import threading
from html.parser import HTMLParser

import numpy as np
import pytest

from ballast_client import Interrupted, RPCError
from ballast_client.html import BEST_MARK, sweep_html, tune_html
from ballast_client.results import HonestEstimate, MetricsReport, TuneCalibration, TuneResult
from helpers import validate

DEFAULT_BINARY = ["ce", "wce_w0.6", "wce_w0.75", "wce_w0.9", "wce_w0.97", "wce_balanced", "focal_g0.5", "focal_g1",
                  "focal_g2", "over", "under", "smote"]
FEW = ["ce", "wce_w0.9", "wce_balanced"]


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    """One daemon for the module's real results: a fraud split tuned with the defaults, a cost
    objective with Platt calibration and a nested estimate, and the same request twice."""
    from conftest import Daemon

    daemon = Daemon(tmp_path_factory.mktemp("tune"), "--ephemeral")
    try:
        with daemon.client() as bl:
            bl.initialize("test_tune")
            bl.dataset.generate(preset="fraud", name="cards", rows=3000, seed=3, positive_rate=0.05)
            bl.dataset.split("cards", test=0.3, seed=0)
            out = {
                "default": bl.experiment.tune("cards.train", name="chosen", seed=0, progress=False),
                "held_out": bl.experiment.tune("cards.train", name="held", candidates=FEW, holdout=0.2, seed=0,
                                               progress=False),
                "cost": bl.experiment.tune("cards.train", name="cheap", candidates=FEW, calibrate="platt",
                                           objective={"type": "cost", "fp": 1, "fn": 10}, estimate="nested",
                                           outer_folds=3, seed=1, progress=False),
                "once": bl.experiment.tune("cards.train", name="once", candidates=FEW, estimate="none", seed=7,
                                           progress=False),
                "twice": bl.tune("cards.train", name="twice", candidates=FEW, estimate="none", seed=7, progress=False),
            }
            # What the stored models do on the test part, and a model trained again from the winner's config.
            out["chosen_on_test"] = bl.model.predict("chosen", dataset="cards.test")
            config = dict(out["default"].winner.config)
            bl.model.train("cards.train", name="again", progress=False, **config)
            out["again_on_test"] = bl.model.predict("again", dataset="cards.test")
            out["chosen_described"] = bl.model.describe("chosen")
            out["evaluated"] = bl.model.evaluate("chosen", "cards.test", curves=False)
        yield out
    finally:
        status = daemon.terminate()
        daemon.close()
    assert status == 0, daemon.log()


@pytest.fixture
def bl(start_daemon):
    daemon = start_daemon("--ephemeral")
    with daemon.client() as client:
        client.initialize("test_tune")
        yield client


# -- the result -------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["default", "cost", "once", "twice"])
def test_each_result_is_what_the_schema_says(tuned, which):
    validate(tuned[which].raw, "experiment.tune.result")


def test_the_leaderboard_is_a_frame_of_every_candidate_best_first(tuned):
    result = tuned["default"]
    assert isinstance(result, TuneResult)
    board = result.leaderboard
    assert list(board.columns[:5]) == ["rank", "mean", "sd", "threshold", "seconds"]
    assert board.index.name == "candidate"
    ran = set(board.index)
    assert ran | set(result.skipped) == set(DEFAULT_BINARY) and not ran & set(result.skipped)
    assert list(board["rank"]) == list(range(1, len(board) + 1))
    assert board["mean"].iloc[1:].is_monotonic_decreasing, "after the winner, F1 best first"
    # The winner is the best mean, or listed before it and within one standard error of it.
    best = board["mean"].idxmax()
    n = len(board.loc[best, "scores"])
    assert board["mean"].iloc[0] >= board.loc[best, "mean"] - board.loc[best, "sd"] / n ** 0.5
    assert board.index[0] == result.winner.candidate
    plan = result.folds
    assert plan["requested"] == 5 and plan["used"] == 5 and plan["repeats"] >= 1
    for candidate, row in board.iterrows():
        scores = row["scores"]
        assert len(scores) == plan["used"] * plan["repeats"], candidate
        assert row["mean"] == pytest.approx(statistics.fmean(scores), abs=1e-9)
        assert row["sd"] == pytest.approx(statistics.stdev(scores), abs=1e-9)
        assert 0 <= row["threshold"] <= 1 and row["seconds"] >= 0
    assert result.to_pandas().equals(board)
    assert result.raw == dict(result) and result.raw is not result.raw, "raw: a plain copy as the daemon sent it"


def test_the_winner_says_why_and_is_stored_with_its_tuned_threshold(tuned):
    result = tuned["default"]
    winner = result.winner
    assert winner.candidate in winner.why and "F1" in winner.why
    assert result.model == "chosen" and result.run.startswith("r")
    assert tuned["chosen_described"].model["name"] == "chosen"
    assert tuned["evaluated"].threshold == pytest.approx(winner.threshold, abs=1e-6)
    assert result.objective["type"] == "f1" and result.objective["higher_is_better"] is True


def test_the_winners_config_trains_the_same_model_again(tuned):
    """`winner.config` is model/train's params: sent back, they give the stored model's predictions."""
    chosen, again = tuned["chosen_on_test"], tuned["again_on_test"]
    assert chosen.labels == again.labels
    assert np.allclose(np.asarray(chosen.probabilities), np.asarray(again.probabilities), atol=1e-5)


def test_the_default_estimate_is_nested_and_scores_every_training_row_once(tuned):
    estimate = tuned["default"].estimate
    assert isinstance(estimate, HonestEstimate) and estimate.method == "nested"
    assert estimate.rows == 2100 and len(estimate.winners) == 3
    assert sum(map(sum, estimate.metrics.confusion)) == 2100


def test_the_holdout_estimate_scores_rows_the_selection_never_saw(tuned):
    estimate = tuned["held_out"].estimate
    assert isinstance(estimate, HonestEstimate) and estimate.method == "holdout"
    assert 380 <= estimate.rows <= 460, "a fifth of the 2,100 training rows"
    report = estimate.metrics
    assert isinstance(report, MetricsReport)
    assert sum(map(sum, report.confusion)) == estimate.rows
    assert estimate.objective == pytest.approx(report.f1, abs=1e-6)
    assert estimate.winners == [tuned["held_out"].winner.candidate]
    assert tuned["held_out"].calibration is None, "no calibration was asked for"


def test_a_cost_objective_with_platt_calibration_and_a_nested_estimate(tuned):
    result = tuned["cost"]
    assert result.objective["type"] == "cost" and result.objective["higher_is_better"] is False
    assert result.leaderboard["mean"].iloc[1:].is_monotonic_increasing, "expected cost: lower is better, best first"
    assert set(result.leaderboard.index) == set(FEW)

    estimate = result.estimate
    assert estimate.method == "nested"
    folds = estimate.to_pandas()
    assert list(folds.index) == [0, 1, 2] and set(folds["winner"]) <= set(FEW)
    assert estimate.objective == pytest.approx(statistics.fmean(estimate.scores), abs=1e-9)
    assert estimate.sd == pytest.approx(statistics.stdev(estimate.scores), abs=1e-9)

    calibration = result.calibration
    assert isinstance(calibration, TuneCalibration) and calibration.method == "platt"
    assert set(calibration.parameters) == {"a", "b"} and calibration.applied_to_model is True
    assert calibration.on == "outer_folds"
    losses = calibration.losses()
    assert list(losses.index) == ["before", "after"] and list(losses.columns) == ["brier", "log_loss"]
    assert losses.to_numpy().min() > 0
    bins = calibration.to_pandas()
    assert set(bins["when"]) == {"before", "after"}
    for when in ("before", "after"):
        part = bins[bins["when"] == when]
        assert part["count"].sum() == estimate.rows, when
        assert part["mean_predicted"].between(0, 1).all() and part["fraction_positive"].between(0, 1).all()


def test_the_same_request_gives_the_same_result(tuned):
    """Client.tune is experiment.tune; the same seed gives the same leaderboard, bit for bit."""
    once, twice = tuned["once"].leaderboard, tuned["twice"].leaderboard
    assert list(once.index) == list(twice.index)
    assert once[["mean", "sd", "threshold"]].equals(twice[["mean", "sd", "threshold"]])
    assert list(once["scores"]) == list(twice["scores"])
    assert tuned["once"].estimate.method == "none"


# -- through the daemon, one request each -----------------------------------------------------


def test_folds_adapt_to_a_class_of_four_rows_and_say_so(bl):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 3)).astype("float32")
    y = np.array(["rare"] * 4 + ["usual"] * 56)
    X[:4] += 2.0
    bl.dataset.put(X, y, name="tiny", positive="rare")
    result = bl.experiment.tune("tiny", candidates=FEW, estimate="none", progress=False)
    assert result.folds["requested"] == 5 and result.folds["used"] == 4 and result.folds["repeats"] == 5
    assert "4 rows" in result.folds["note"]
    assert all(len(scores) == 20 for scores in result.leaderboard["scores"])


def test_a_class_of_one_row_is_refused_with_the_field_that_says_where(bl):
    X = np.arange(40, dtype="float32").reshape(20, 2)
    y = np.array(["rare"] + ["usual"] * 19)
    bl.dataset.put(X, y, name="lonely", positive="rare")
    with pytest.raises(RPCError) as refused:
        bl.experiment.tune("lonely", progress=False)
    assert refused.value.code == -32602 and "only 1 row" in refused.value.message


def test_objectives_that_need_a_parameter_or_two_classes_are_refused(bl):
    bl.dataset.generate(preset="multiclass", name="three", rows=600, seed=2)
    bl.dataset.generate(preset="fraud", name="cards", rows=600, seed=2, positive_rate=0.1)
    with pytest.raises(RPCError) as fbeta:
        bl.experiment.tune("three", objective={"type": "fbeta", "beta": 2}, progress=False)
    assert fbeta.value.code == -32602
    with pytest.raises(RPCError) as duplicate:
        bl.experiment.tune("cards", candidates=["ce", "ce"], progress=False)
    assert duplicate.value.code == -32602


def test_a_multiclass_tune_has_no_threshold_and_its_own_candidates(bl):
    bl.dataset.generate(preset="multiclass", name="three", rows=900, seed=2)
    result = bl.experiment.tune("three", objective="balanced_accuracy", estimate="none", folds=3, progress=False)
    board = result.leaderboard
    assert set(board.index) | set(result.skipped) == {"ce", "wce_balanced", "wce_inverse_sqrt", "focal_g1", "focal_g2"}
    assert "threshold" not in board.columns or board["threshold"].isna().all()
    assert result.winner.get("threshold") is None
    assert board["mean"].between(0, 1).all()


def test_model_train_resamples_its_data_when_asked(bl):
    bl.dataset.generate(preset="fraud", name="cards", rows=2000, seed=4, positive_rate=0.05)
    plain = bl.model.train("cards", name="plain", seed=1, progress=False)
    smote = bl.model.train("cards", name="smote", resample="smote", seed=1, progress=False)
    under = bl.model.train("cards", name="under", resample={"method": "under", "ratio": 0.5}, seed=1, progress=False)
    assert {plain.model, smote.model, under.model} == {"plain", "smote", "under"}
    # Training on rebalanced data moves the rare class's predicted probabilities up.
    rare = [bl.model.predict(name, dataset="cards").to_pandas() for name in ("plain", "smote")]
    positive = [column for column in rare[0].columns if column.startswith("P(")][-1]
    assert rare[1][positive].mean() > rare[0][positive].mean()


def test_a_tune_shows_a_bar_of_fits_naming_the_candidate_unless_told_not_to(bl, capsys):
    bl.dataset.generate(preset="fraud", name="cards", rows=1500, seed=3, positive_rate=0.08)
    bl.experiment.tune("cards", candidates=FEW, estimate="none", progress=False)
    assert capsys.readouterr().err == ""
    bl.experiment.tune("cards", candidates=FEW, estimate="none")
    shown = capsys.readouterr().err
    total = 3 * 5 + 1  # three candidates × five folds, then the final fit
    assert "Tuning" in shown and f"0/{total} fits" in shown, "counted in fits from the start"
    assert f"{total}/{total} fits" in shown and "winner=" in shown
    assert "candidate=" in shown and "stage=" in shown


@pytest.fixture
def patient_grace(monkeypatch):
    monkeypatch.setattr("ballast_client.client.CANCEL_GRACE", 60.0)


def test_ctrl_c_cancels_the_tune_and_stores_nothing(bl, patient_grace):
    bl.dataset.generate(preset="fraud", name="cards", rows=20000, seed=3)
    started = threading.Event()

    def interrupt_once_fitting(value):
        if value.get("kind") == "report" and not started.is_set():
            started.set()
            threading.Timer(0.2, _thread.interrupt_main).start()  # as Ctrl-C, while the call waits

    with pytest.raises(Interrupted) as interrupted:
        bl.call("experiment/tune", {"dataset": "cards", "name": "never", "include_mlp": True,
                                    "estimate": "nested", "repeats": 20},
                on_progress=interrupt_once_fitting)
    assert interrupted.value.answered and interrupted.value.method == "experiment/tune"
    partial = interrupted.value.partial
    assert partial["run"].startswith("r")
    assert bl.run.describe(partial["run"]).summary["status"] == "cancelled"
    with pytest.raises(RPCError) as no_model:
        bl.model.describe("never")
    assert no_model.value.code == -32001, "a cancelled tune stores no model"


# -- the notebook view ------------------------------------------------------------------------


class Rows(HTMLParser):
    """Every table row's cell texts, and whether the row is marked best."""

    def __init__(self, page: str):
        super().__init__()
        self.rows: list[tuple[bool, list[str]]] = []
        self._cells: list[str] | None = None
        self._best = False
        self._text: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._cells, self._best = [], dict(attrs).get("data-best") == "true"
        elif tag in ("td", "th") and self._cells is not None:
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._text is not None:
            self._cells.append("".join(self._text).strip())
            self._text = None
        elif tag == "tr" and self._cells is not None:
            self.rows.append((self._best, self._cells))
            self._cells = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def test_the_notebook_view_shows_the_leaderboard_the_winner_and_why_and_the_estimate(tuned):
    result = tuned["default"]
    page = result._repr_html_()
    rows = Rows(page).rows
    board = result.leaderboard
    candidate_rows = [(best, cells) for best, cells in rows if len(cells) == 6 and cells[0].isdigit()]
    assert [cells[1].replace(BEST_MARK, "").strip() for _, cells in candidate_rows] == list(board.index)
    assert [best for best, _ in candidate_rows] == [True] + [False] * (len(board) - 1)
    assert candidate_rows[0][1][1].startswith(BEST_MARK)
    assert f"{BEST_MARK} Winner: {result.winner.candidate}" in page and "stored as model chosen" in page
    assert result.winner.why.replace("'", "&#x27;") in page
    assert "Honest estimate: F1" in page and "nested cross-validation" in page
    assert "Confusion matrix" in page, "the estimate's metrics report"


def test_the_notebook_view_of_a_cost_tune_shows_calibration_and_outer_folds(tuned):
    page = tuned["cost"]._repr_html_()
    assert "(lower is better)" in page and "Calibration: platt" in page and "Outer folds" in page
    assert "folded into the stored model" in page


def test_the_view_escapes_names_and_lists_skipped_and_notes():
    hostile = "<script>alert(1)</script>"
    result = {"run": "r9", "model": hostile, "objective": {"type": "f1", "name": "F1", "higher_is_better": True},
              "leaderboard": [{"rank": 1, "candidate": hostile, "description": "mine", "mean": 0.5, "sd": 0.1,
                               "scores": [0.4, 0.6], "threshold": 0.3, "seconds": 0.01}],
              "winner": {"candidate": hostile, "description": "mine", "threshold": 0.3, "why": f"{hostile} won"},
              "folds": {"requested": 5, "used": 3, "repeats": 5, "note": "Class '1' has only 3 rows"},
              "estimate": {"method": "none"}, "skipped": {"smote": "too few <rows>"},
              "notes": ["a <note>"], "seconds": 1.0}
    page = tune_html(TuneResult(result))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "3 folds × 5 repeats" in page and "Class &#x27;1&#x27; has only 3 rows" in page
    assert "too few &lt;rows&gt;" in page and "a &lt;note&gt;" in page
    assert "estimate: none" in page
    assert TuneResult(result).calibration is None and TuneResult(result).estimate.method == "none"
    assert TuneResult(result).estimate.to_pandas().empty


def test_the_sweep_view_says_the_fold_plan_it_ran():
    swept = {"run": "r2", "param": "w", "metric": "f1", "best": {"value": 0.9},
             "results": [{"value": 0.9, "mean": 0.5, "sd": 0.1, "folds": [0.5] * 15}],
             "folds": {"requested": 5, "used": 3, "repeats": 5, "note": "Class '1' has only 3 rows, fewer than 5"}}
    page = sweep_html(swept)
    assert "f1 over 3 folds × 5 repeats by w" in page and "has only 3 rows" in page
    del swept["folds"]
    assert "f1 over 15 folds by w" in sweep_html(swept), "a result before protocol 1.8 counts its scores"
