"""BallastClassifier against a real daemon: scikit-learn's results, composition, persistence.

Coefficients are compared with ``LogisticRegression`` on float32-representable data, so that only
the two optimisers' stopping points differ: Ballast's L-BFGS runs in float32 to ``tol=1e-5`` on the
gradient of the mean objective, scikit-learn's in float64 to 1e-10. On these well-conditioned
problems that leaves the coefficients within COEF_TOLERANCE (absolute and relative) of each other.
"""

from __future__ import annotations

import gc
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ballast_client.estimator import BallastClassifier
from conftest import Daemon

COEF_TOLERANCE = 2e-3
TIGHT = dict(tol=1e-5, max_iter=2000)


def float32_data(n=1500, features=6, classes=2, weights=None, seed=0):
    X, y = make_classification(n_samples=n, n_features=features, n_informative=4, n_redundant=1,
                               n_classes=classes, weights=weights, class_sep=1.0, random_state=seed)
    return X.astype(np.float32).astype(np.float64), y


def reference(**params) -> LogisticRegression:
    return LogisticRegression(tol=1e-10, max_iter=100_000, **params)


@pytest.fixture
def connected(daemon, monkeypatch):
    """Estimators with ``connection=None`` talk to this test's daemon."""
    monkeypatch.setenv("BALLAST_CONNECTION_FILE", str(daemon.connection_file))
    return daemon


def model_names(client) -> list[str]:
    return [model["name"] for model in client.call("model/list")["models"]]


def dataset_names(client) -> list[str]:
    return [dataset["name"] for dataset in client.call("dataset/list")["datasets"]]


# -- scikit-learn's numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("class_weight", [None, "balanced", {0: 1.0, 1: 7.5}])
def test_binary_coefficients_equal_logistic_regression(connected, class_weight):
    X, y = float32_data(weights=[0.85])
    ours = BallastClassifier(C=0.3, class_weight=class_weight, **TIGHT).fit(X, y)
    theirs = reference(C=0.3, class_weight=class_weight).fit(X, y)
    assert ours.coef_.shape == theirs.coef_.shape == (1, 6)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-3)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=1e-2, atol=5e-3)
    assert ours.stop_reason_ == "converged"


def test_sample_weights_give_logistic_regressions_coefficients(connected):
    X, y = float32_data(weights=[0.8], seed=1)
    # Heavier on the rare class, so that "balanced" counted by weight (scikit-learn) and by rows differ.
    sample_weight = np.random.default_rng(1).uniform(0.2, 3.0, size=len(y)) * np.where(y == 1, 4.0, 1.0)
    sample_weight = sample_weight.astype(np.float32).astype(np.float64)
    ours = BallastClassifier(C=2.0, class_weight="balanced", **TIGHT).fit(X, y, sample_weight=sample_weight)
    theirs = reference(C=2.0, class_weight="balanced").fit(X, y, sample_weight=sample_weight)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    unweighted = BallastClassifier(C=2.0, class_weight="balanced", **TIGHT).fit(X, y)
    assert np.abs(unweighted.coef_ - ours.coef_).max() > 10 * COEF_TOLERANCE  # the weights did arrive


@pytest.mark.parametrize("class_weight", [None, "balanced", {"red": 2.0, "blue": 0.5}])
def test_multiclass_is_softmax_with_logistic_regressions_coefficients(connected, class_weight):
    X, y = float32_data(classes=3, seed=2)
    y = np.array(["red", "green", "blue"])[y]
    ours = BallastClassifier(C=0.7, class_weight=class_weight, **TIGHT).fit(X, y)
    theirs = reference(C=0.7, class_weight=class_weight).fit(X, y)
    assert list(ours.classes_) == ["blue", "green", "red"] == list(theirs.classes_)
    assert ours.model_file_["model"]["type"] == "softmax"
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    np.testing.assert_array_equal(ours.predict(X) == theirs.predict(X), True)


def test_a_ballast_weight_scheme_is_logistic_regression_with_those_class_weights(connected):
    X, y = float32_data(weights=[0.9], seed=3)
    counts = np.bincount(y)
    inverse = (1 / counts) / (1 / counts).sum()  # the seed's `inverse` scheme: ∝ 1/n_c, summing to 1
    ours = BallastClassifier(weights="inverse", C=5.0, **TIGHT).fit(X, y)
    theirs = reference(C=5.0, class_weight={0: inverse[0], 1: inverse[1]}).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    assert ours.model_file_["config"]["loss"]["type"] == "wce"


def test_labels_the_daemon_orders_differently_come_back_in_classes_order(connected):
    X, y = float32_data(seed=4)
    y = np.where(y == 1, 2, 10)  # as text "10" sorts before "2"
    ours = BallastClassifier(**TIGHT).fit(X, y)
    theirs = reference().fit(X, y)
    assert list(ours.classes_) == [2, 10]
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


# -- other models, losses and thresholds ----------------------------------------------------------


def test_mlp_fits_and_predicts(connected):
    X, y = float32_data(n=800, seed=5)
    clf = BallastClassifier(model="mlp", hidden=(16,), epochs=80, lr=0.01, batch_size=32, random_state=0).fit(X, y)
    assert clf.model_file_["model"]["type"] == "mlp"
    assert clf.score(X, y) > 0.85
    probabilities = clf.predict_proba(X)
    assert probabilities.shape == (800, 2)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    assert not hasattr(clf, "coef_") and not hasattr(clf, "decision_function")


def test_focal_loss_and_a_fixed_threshold(connected):
    X, y = float32_data(weights=[0.9], seed=6)
    clf = BallastClassifier(loss="focal", gamma=2.0, alpha=0.25, threshold=0.3).fit(X, y)
    assert clf.model_file_["config"]["loss"]["type"] == "focal"
    assert clf.threshold_ == pytest.approx(0.3)
    np.testing.assert_array_equal(clf.predict(X), np.where(clf.predict_proba(X)[:, 1] >= 0.3, 1, 0))


def test_best_f1_threshold_is_chosen_on_a_held_out_share(connected):
    X, y = float32_data(n=3000, weights=[0.93], seed=7)
    clf = BallastClassifier(threshold="best_f1", validation_fraction=0.25, random_state=0).fit(X, y)
    assert 0 < clf.threshold_ < 1 and clf.threshold_ != 0.5
    np.testing.assert_array_equal(clf.predict(X), np.where(clf.predict_proba(X)[:, 1] >= clf.threshold_, 1, 0))


@pytest.mark.parametrize("params, words", [
    ({"model": "forest"}, "model must be one of"),
    ({"loss": "hinge"}, "loss must be one of"),
    ({"class_weight": "balanced", "weights": "inverse"}, "Give class weights once"),
    ({"threshold": 1.5}, "threshold must be"),
    ({"C": 0}, "C must be"),
    ({"gamma": 2.0}, "need loss='focal'"),
    ({"hidden": (4,)}, "needs model='mlp'"),
    ({"solver": "adam", "tol": 1e-3}, "ballastd refused"),  # tol belongs to lbfgs: the daemon says so
])
def test_bad_parameters_are_value_errors_that_say_why(connected, params, words):
    X, y = float32_data(n=100)
    with pytest.raises(ValueError, match=words):
        BallastClassifier(**params).fit(X, y)


# -- composition ----------------------------------------------------------------------------------


def test_pipeline_grid_search_and_cross_validation(connected):
    X, y = float32_data(n=900, weights=[0.8], seed=8)
    X = X * 40 + 7  # something for the scaler to do
    pipeline = make_pipeline(StandardScaler(), BallastClassifier())
    assert pipeline.fit(X, y).score(X, y) > 0.85

    search = GridSearchCV(pipeline, {"ballastclassifier__C": [0.01, 1.0],
                                     "ballastclassifier__class_weight": [None, "balanced"]},
                          scoring="f1", cv=3).fit(X, y)
    assert search.best_params_["ballastclassifier__C"] in (0.01, 1.0)
    assert search.best_estimator_.predict(X).shape == y.shape

    scores = cross_val_score(BallastClassifier(class_weight="balanced"), X, y, cv=4, scoring="balanced_accuracy")
    assert scores.shape == (4,) and np.all((scores > 0.6) & (scores <= 1))


def test_parallel_cross_validation_reaches_the_daemon_from_worker_processes(daemon):
    X, y = float32_data(n=600, seed=12)
    with daemon.client() as client:
        client.initialize("test")
        estimator = BallastClassifier(connection=client)  # pickled to the workers as its connection file
        scores = cross_val_score(estimator, X, y, cv=3, n_jobs=2)
        assert scores.shape == (3,) and np.all(scores > 0.8)


def test_feature_names_are_kept_and_checked(connected):
    pandas = pytest.importorskip("pandas")
    X, y = float32_data(n=300, seed=9)
    frame = pandas.DataFrame(X[:, :3], columns=["amount", "age", "score"])
    clf = BallastClassifier().fit(frame, y)
    assert list(clf.feature_names_in_) == ["amount", "age", "score"] and clf.n_features_in_ == 3
    with pytest.raises(ValueError, match="feature names"):
        clf.predict(frame[["age", "amount", "score"]])


def test_clone_shares_a_client_and_copies_the_rest(daemon):
    with daemon.client() as client:
        client.initialize("test")
        clf = BallastClassifier(C=3.0, hidden=None, class_weight={0: 1, 1: 2}, connection=client)
        copy = clone(clf)
        assert copy.connection is client and copy.get_params()["C"] == 3.0
        assert copy.class_weight == {0: 1, 1: 2} and copy.class_weight is not clf.class_weight


# -- the daemon side: names, cleanup, pickling, restarts -----------------------------------------


def test_each_fit_leaves_one_model_and_no_dataset(daemon):
    X, y = float32_data(n=200)
    with daemon.client() as client:
        client.initialize("test")
        first, second = BallastClassifier(connection=client), BallastClassifier(connection=client)
        first.fit(X, y)
        second.fit(X, y)
        names = model_names(client)
        assert first._daemon_model in names and second._daemon_model in names
        assert first._daemon_model != second._daemon_model
        assert dataset_names(client) == []

        earlier = first._daemon_model
        first.fit(X, y)  # a refit replaces the estimator's model
        assert earlier not in model_names(client) and first._daemon_model in model_names(client)

        gone = second._daemon_model
        del second
        gc.collect()
        assert gone not in model_names(client)  # dropped when the estimator went away


def test_a_pickled_estimator_predicts_alike(connected):
    X, y = float32_data(n=400, classes=3, seed=10)
    clf = BallastClassifier(**TIGHT).fit(X, y)
    expected = clf.predict_proba(X)
    copy = pickle.loads(pickle.dumps(clf))
    assert "_daemon_model" not in copy.__dict__  # the copy loads its own model from the file
    np.testing.assert_array_equal(copy.predict_proba(X), expected)
    np.testing.assert_array_equal(copy.coef_, clf.coef_)
    assert copy._daemon_model != clf._daemon_model


def test_a_client_connection_is_not_pickled(connected):
    X, y = float32_data(n=200)
    with connected.client() as client:
        client.initialize("test")
        clf = BallastClassifier(connection=client).fit(X, y)
        copy = pickle.loads(pickle.dumps(clf))
        assert copy.connection == str(connected.connection_file)  # the same daemon, through its file
        np.testing.assert_array_equal(copy.predict(X), clf.predict(X))


def test_a_daemon_restart_between_fit_and_predict_reloads_the_model(tmp_path):
    X, y = float32_data(n=500, seed=11)
    first = Daemon(tmp_path, "--ephemeral")
    try:
        clf = BallastClassifier(connection=str(first.connection_file), **TIGHT).fit(X, y)
        expected = clf.predict_proba(X)
    finally:
        assert first.terminate() == 0
        first.close()
    second = Daemon(tmp_path, "--ephemeral")  # the same connection file, a daemon that never saw the model
    try:
        np.testing.assert_array_equal(clf.predict_proba(X), expected)
        with second.client() as client:
            client.initialize("test")
            assert clf._daemon_model in model_names(client)
    finally:
        assert second.terminate() == 0
        second.close()


def test_values_float32_cannot_hold_are_refused_before_sending(connected):
    X, y = float32_data(n=100)
    X[3, 2] = 1e39  # finite in float64, infinite in float32
    with pytest.raises(ValueError, match="too large for float32"):
        BallastClassifier().fit(X, y)


# -- one daemon model per estimator, whatever the threads ------------------------------------------


def sklearn_models(client) -> list[str]:
    return [name for name in model_names(client) if name.startswith("sklearn-")]


def test_predicts_from_many_threads_share_one_daemon_model_dropped_with_the_estimator(connected):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    X, y = float32_data(n=300)
    clf = BallastClassifier().fit(X, y)
    expected = clf.predict_proba(X)
    alone = []  # each predict from a thread of its own; compared here, since a thread's exception fails nothing
    for _ in range(5):
        thread = threading.Thread(target=lambda: alone.append(clf.predict_proba(X)))
        thread.start()
        thread.join(120)
    assert len(alone) == 5
    for result in alone:
        np.testing.assert_array_equal(result, expected)
    with ThreadPoolExecutor(max_workers=4) as pool:  # and at the same time
        results = list(pool.map(lambda _: clf.predict_proba(X), range(16)))
    for result in results:
        np.testing.assert_array_equal(result, expected)
    with connected.client() as observer:
        observer.initialize("observer")
        assert sklearn_models(observer) == [clf._daemon_model]
        del clf
        gc.collect()
        assert sklearn_models(observer) == []


def test_a_closed_user_client_still_gets_its_model_dropped(daemon):
    X, y = float32_data(n=200)
    with daemon.client() as observer:
        observer.initialize("observer")
        with daemon.client() as client:
            client.initialize("user")
            clf = BallastClassifier(connection=client).fit(X, y)
            assert sklearn_models(observer) == [clf._daemon_model]
        assert client.closed
        del clf
        gc.collect()
        assert sklearn_models(observer) == []


def test_a_failed_refit_leaves_the_estimator_unfitted(connected):
    from sklearn.exceptions import NotFittedError

    X, y = float32_data(n=300)
    clf = BallastClassifier().fit(X, y)
    text = np.where(y == 1, "fraud", "ok")
    with pytest.raises(ValueError, match="ballastd refused"):
        clf.set_params(lr=0.1).fit(X, text)  # lr is not L-BFGS's: the daemon refuses the training
    with pytest.raises(NotFittedError):
        clf.predict(X)  # not the old model's predictions under the new classes
    assert not hasattr(clf, "classes_") and not hasattr(clf, "n_features_in_")
    with connected.client() as observer:
        observer.initialize("observer")
        assert sklearn_models(observer) == [] and dataset_names(observer) == []
    assert set(clf.set_params(lr=None).fit(X, text).predict(X)) == {"fraud", "ok"}


def test_equal_sample_weights_are_not_sent_and_still_scale_c(connected, monkeypatch):
    from ballast_client.client import Client

    X, y = float32_data(weights=[0.8], seed=3)
    sent = []
    original = Client.call

    def recording_call(self, method, params=None, *args, **kwargs):
        if method == "model/train":
            sent.append(("sample_weight" in params, len(kwargs.get("buffers") or [])))
        return original(self, method, params, *args, **kwargs)

    monkeypatch.setattr(Client, "call", recording_call)
    weights = np.full(len(y), 3.0)
    ours = BallastClassifier(C=0.5, **TIGHT).fit(X, y, sample_weight=weights)
    BallastClassifier(**TIGHT).fit(X, y)
    assert sent == [(False, 0), (False, 0)]
    theirs = reference(C=0.5).fit(X, y, sample_weight=weights)  # weights 3 are C 1.5 to scikit-learn
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=COEF_TOLERANCE, atol=COEF_TOLERANCE)


def test_a_fit_never_sends_a_frame_the_daemon_would_drop(start_daemon, monkeypatch):
    """A daemon with a 64 KiB frame limit: 20,000 rows' features (480 KB) go in chunks, no weights
    frame goes without sample weights, and uneven weights (80 KB) are refused before sending,
    naming the limit; nothing is left in the daemon. (libzmq drops a frame over the limit without
    a reply: without these the fit would wait forever, which the thread's bound catches.)"""
    import threading

    daemon = start_daemon("--max-message-bytes", "65536")
    monkeypatch.setenv("BALLAST_CONNECTION_FILE", str(daemon.connection_file))
    with daemon.client() as probe:
        probe.initialize("probe")
        assert probe.max_message_bytes == 65536, "initialize announces the daemon's limit"
    X, y = float32_data(n=20_000)
    outcome: dict = {}

    def fits():
        try:
            outcome["plain"] = BallastClassifier().fit(X, y).score(X, y)
            weights = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
            with pytest.raises(ValueError, match=r"80,000 bytes.*65,536 bytes.*--max-message-bytes"):
                BallastClassifier().fit(X, y, sample_weight=weights)
            outcome["done"] = True
        except BaseException as error:  # noqa: BLE001 - reported below
            outcome["error"] = error

    thread = threading.Thread(target=fits, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the fit hung: a frame over --max-message-bytes was sent"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["done"] and outcome["plain"] > 0.7
    gc.collect()
    with daemon.client() as observer:
        observer.initialize("observer")
        assert sklearn_models(observer) == [] and dataset_names(observer) == []


def test_a_collection_during_a_daemon_call_drops_after_the_call(connected, monkeypatch):
    """A finalizer fired by a collection while a request is in flight must not send on the same
    socket mid-call: its drop waits for the call to end, then happens."""
    from ballast_client import estimator_daemon
    from ballast_client.client import Client

    X, y = float32_data(n=200)
    clf = BallastClassifier().fit(X, y)
    doomed = BallastClassifier().fit(X, y)
    doomed.cycle = doomed  # collected only by gc.collect(), which we run inside the call
    gone = doomed._daemon_model
    del doomed
    seen = {}
    original = Client.wait

    def collecting_wait(self, request_id, *args, **kwargs):
        if self._methods.get(("request", request_id)) == "model/predict" and "pending" not in seen:
            gc.collect()
            seen["pending"] = [name for _, name, _ in estimator_daemon._pending_drops]
        return original(self, request_id, *args, **kwargs)

    monkeypatch.setattr(Client, "wait", collecting_wait)
    clf.predict(X)
    monkeypatch.undo()
    assert seen["pending"] == [gone]  # not dropped mid-call
    with connected.client() as observer:
        observer.initialize("observer")
        assert sklearn_models(observer) == [clf._daemon_model]  # dropped once the call ended


def test_models_are_dropped_at_interpreter_exit(connected):
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import threading
        from sklearn.datasets import make_classification
        from ballast_client.estimator import BallastClassifier
        X, y = make_classification(n_samples=200, random_state=0)
        kept = BallastClassifier().fit(X, y)  # alive at exit
        threading.Thread(target=kept.predict, args=(X,)).start()
        print(kept._daemon_model)
    """)
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                              cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert finished.returncode == 0, finished.stderr
    with connected.client() as observer:
        observer.initialize("observer")
        assert finished.stdout.strip().startswith("sklearn-")
        assert sklearn_models(observer) == []
