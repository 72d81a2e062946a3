"""Spark's fits agree with scikit-learn's on Ballast's objective, J = Σwℓ/Σw + (l2/2)‖β‖², which
scikit-learn reaches with C = 1/(l2·Σw)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from conftest import float32_text, fit_request, write_csv

RELATIVE = 1e-4


def reference(X: np.ndarray, y: np.ndarray, weights: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's fit of the same objective: coefficients (rows) and intercepts."""
    model = LogisticRegression(C=1.0 / (l2 * weights.sum()), tol=1e-12, max_iter=100_000)
    model.fit(X, y, sample_weight=weights)
    return model.coef_, model.intercept_


def assert_agrees(result: dict, coefficients: np.ndarray, intercepts: np.ndarray) -> None:
    got = np.array(result["coefficients"])
    got_intercepts = np.array(result["intercepts"])
    assert got.shape == coefficients.shape and got_intercepts.shape == intercepts.shape
    np.testing.assert_allclose(got, coefficients, rtol=RELATIVE, atol=0)
    np.testing.assert_allclose(got_intercepts, intercepts, rtol=RELATIVE, atol=0)


def balanced(y: np.ndarray, k: int) -> list[float]:
    """scikit-learn's (and Ballast's) balanced class weights: n / (K·n_k)."""
    counts = np.bincount(y, minlength=k)
    return [len(y) / (k * c) for c in counts]


def test_cross_entropy_binary_agrees_with_scikit_learn(sidecar, binary_data):
    answer, progress = sidecar.fit(**fit_request(binary_data))
    assert answer["event"] == "result", answer
    coefficients, intercepts = reference(binary_data.X, binary_data.y, np.ones(len(binary_data.y)), 1e-4)
    assert_agrees(answer, coefficients, intercepts)
    assert answer["rows"] == 3000 and answer["weight_sum"] == 3000.0
    assert answer["class_counts"] == np.bincount(binary_data.y).tolist()
    assert answer["iterations"] >= 1 and len(answer["objective_history"]) >= 2
    assert answer["objective_history"][-1] <= answer["objective_history"][0]
    assert {p["stage"] for p in progress} >= {"reading", "fitting"}


def test_balanced_weighted_cross_entropy_binary_agrees_with_scikit_learn(sidecar, binary_data):
    weights = balanced(binary_data.y, 2)
    answer, _ = sidecar.fit(**fit_request(binary_data, class_weights=weights))
    assert answer["event"] == "result", answer
    row_weights = np.array(weights)[binary_data.y]
    coefficients, intercepts = reference(binary_data.X, binary_data.y, row_weights, 1e-4)
    assert_agrees(answer, coefficients, intercepts)
    assert answer["weight_sum"] == pytest.approx(row_weights.sum(), rel=1e-12)


def test_positive_class_first_in_classes_models_its_probability(sidecar, binary_data):
    """positive = 0: Spark models P(label == classes[0]); the coefficients are the negation."""
    answer, _ = sidecar.fit(**fit_request(binary_data, positive=0, l2=1e-2))
    assert answer["event"] == "result", answer
    coefficients, intercepts = reference(binary_data.X, 1 - binary_data.y, np.ones(len(binary_data.y)), 1e-2)
    assert_agrees(answer, coefficients, intercepts)


def test_multinomial_cross_entropy_agrees_with_scikit_learn(sidecar, multiclass_data):
    answer, _ = sidecar.fit(**fit_request(multiclass_data, label="kind", family="multinomial", positive=None))
    assert answer["event"] == "result", answer
    coefficients, intercepts = reference(multiclass_data.X, multiclass_data.y, np.ones(len(multiclass_data.y)), 1e-4)
    assert np.array(answer["coefficients"]).shape == (3, 4)
    assert_agrees(answer, coefficients, intercepts)


def test_multinomial_weighted_cross_entropy_agrees_with_scikit_learn(sidecar, multiclass_data):
    weights = balanced(multiclass_data.y, 3)
    answer, _ = sidecar.fit(**fit_request(multiclass_data, label="kind", family="multinomial", positive=None,
                                          class_weights=weights, l2=1e-3))
    assert answer["event"] == "result", answer
    row_weights = np.array(weights)[multiclass_data.y]
    coefficients, intercepts = reference(multiclass_data.X, multiclass_data.y, row_weights, 1e-3)
    assert_agrees(answer, coefficients, intercepts)


def test_parquet_and_a_headerless_semicolon_csv_give_the_csv_fit(sidecar, binary_data, data_dir):
    pyarrow = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    columns = {name: binary_data.X[:, i].astype(np.float32) for i, name in enumerate(binary_data.features)}
    columns["Class"] = binary_data.y.astype(np.int64)      # a numeric label column matches the classes "0", "1"
    parquet = data_dir / "binary.parquet"
    pq.write_table(pyarrow.table(columns), parquet)
    headerless = write_csv(data_dir / "binary-noheader.csv", binary_data.X.astype(np.float32),
                           [str(v) for v in binary_data.y], [], delimiter=";", header=False)
    expected, _ = sidecar.fit(**fit_request(binary_data))
    from_parquet, _ = sidecar.fit(**fit_request(binary_data, path=str(parquet), format="parquet", csv=None))
    from_headerless, _ = sidecar.fit(**fit_request(binary_data, path=str(headerless), csv={"delimiter": ";", "header": False},
                                                   label="label", features=["x1", "x2", "x3", "x4", "x5"]))
    for answer in (from_parquet, from_headerless):
        assert answer["event"] == "result", answer
        np.testing.assert_allclose(answer["coefficients"], expected["coefficients"], rtol=1e-9)
        np.testing.assert_allclose(answer["intercepts"], expected["intercepts"], rtol=1e-9)


def test_a_headerless_csv_with_the_label_in_the_middle_is_read_by_the_given_column_names(sidecar, binary_data, data_dir):
    # Ballast's loader names a headerless file's columns x1…xN around the label column, wherever it
    # sits; the daemon sends those names as `columns`, in file order.
    path = data_dir / "binary-label-third.csv"
    X = binary_data.X.astype(np.float32)
    with open(path, "w", encoding="utf-8") as f:
        for row, y in zip(X, binary_data.y):
            cells = [float32_text(v) for v in row]
            f.write(",".join(cells[:2] + [str(y)] + cells[2:]) + "\n")
    expected, _ = sidecar.fit(**fit_request(binary_data))
    answer, _ = sidecar.fit(**fit_request(binary_data, path=str(path), csv={"delimiter": ",", "header": False},
                                          columns=["x1", "x2", "label", "x3", "x4", "x5"],
                                          label="label", features=["x1", "x2", "x3", "x4", "x5"]))
    assert answer["event"] == "result", answer
    np.testing.assert_allclose(answer["coefficients"], expected["coefficients"], rtol=1e-9)
    np.testing.assert_allclose(answer["intercepts"], expected["intercepts"], rtol=1e-9)


def test_a_subset_of_features_in_another_order(sidecar, binary_data):
    order = [3, 0, 4]
    answer, _ = sidecar.fit(**fit_request(binary_data, features=[binary_data.features[i] for i in order], l2=1e-3))
    assert answer["event"] == "result", answer
    coefficients, intercepts = reference(binary_data.X[:, order], binary_data.y, np.ones(len(binary_data.y)), 1e-3)
    assert_agrees(answer, coefficients, intercepts)
