"""scikit-learn's own estimator checks, run against a real daemon.

Every check runs (none is skipped). The ones BallastClassifier cannot meet are named, each with its reason, by
``BallastClassifier._expected_failed_checks`` and reported as expected failures (strict: a listed
check that starts passing fails the suite, so the list cannot go stale).
"""

from __future__ import annotations

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from ballast_client.estimator import BallastClassifier
from conftest import Daemon


@pytest.fixture(scope="module")
def module_daemon(tmp_path_factory):
    daemon = Daemon(tmp_path_factory.mktemp("estimator-checks"), "--ephemeral")
    yield daemon
    try:
        assert daemon.terminate() == 0, daemon.log()
    finally:
        daemon.close()


@pytest.fixture(autouse=True)
def default_daemon(module_daemon, monkeypatch):
    """The estimators under check have ``connection=None``: point the default connection file at the
    module's daemon. ``SCIPY_ARRAY_API=1`` lets ``check_array_api_input`` run (with numpy arrays,
    the only namespace installed) instead of skipping itself."""
    monkeypatch.setenv("BALLAST_CONNECTION_FILE", str(module_daemon.connection_file))
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")


ESTIMATORS = [
    BallastClassifier(),
    BallastClassifier(model="mlp", hidden=(8,), epochs=60, lr=0.01, batch_size=16, random_state=0),
    BallastClassifier(loss="focal", class_weight="balanced", C=10.0),
    BallastClassifier(loss="wce", weights="inverse"),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda estimator: estimator._expected_failed_checks(),
                         xfail_strict=True)
def test_scikit_learn_checks(estimator, check):
    check(estimator)
