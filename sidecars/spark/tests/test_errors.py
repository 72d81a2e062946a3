"""Faults come back as error events a person can act on, at the field that is wrong, and the
sidecar keeps serving."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SIDECAR_DIR, sidecar_environment

GOOD_ROWS = ["1.0,2.0,0", "0.5,-1.0,1", "2.5,0.0,0", "-1.0,1.5,1", "0.0,0.25,0", "3.0,-2.0,1"]


def small_csv(directory: Path, name: str, rows: list[str], header: str = "f1,f2,Class") -> Path:
    path = directory / name
    path.write_text("\n".join([header] + rows) + "\n", encoding="utf-8")
    return path


def small_request(path: Path, **overrides):
    request = {"path": str(path), "format": "csv", "csv": {"delimiter": ",", "header": True}, "label": "Class",
               "features": ["f1", "f2"], "classes": ["0", "1"], "positive": 1, "class_weights": None,
               "family": "binomial", "l2": 1e-2, "max_iter": 100, "tol": 1e-6}
    request.update(overrides)
    return request


def expect_error(sidecar, kind: str, field, *phrases: str, **request) -> dict:
    answer, _ = sidecar.fit(**request)
    assert answer["event"] == "error", answer
    assert (answer["kind"], answer["field"]) == (kind, field), answer
    for phrase in phrases:
        assert phrase in answer["message"], answer
    assert "\n" not in answer["message"] and "Traceback" not in answer["message"], answer
    return answer


def test_a_path_spark_cannot_find(sidecar, data_dir):
    missing = data_dir / "no-such-file.csv"
    expect_error(sidecar, "data", "path", str(missing), "cannot find", **small_request(missing))


def test_a_feature_column_the_file_lacks(sidecar, data_dir):
    path = small_csv(data_dir, "good.csv", GOOD_ROWS)
    expect_error(sidecar, "data", "features[1]", "'f9'", "f1, f2, Class", **small_request(path, features=["f1", "f9"]))


def test_a_label_column_the_file_lacks(sidecar, data_dir):
    path = small_csv(data_dir, "good.csv", GOOD_ROWS)
    expect_error(sidecar, "data", "label", "'Target'", **small_request(path, label="Target"))


def test_other_class_counts_than_the_dataset_are_refused_before_fitting(sidecar, data_dir):
    path = small_csv(data_dir, "good.csv", GOOD_ROWS)
    expect_error(sidecar, "data", "class_counts", "0: 3, 1: 3", "0: 4, 1: 3", **small_request(path, class_counts=[4, 3]))
    # The dataset's own counts pass, and the sidecar serves on.
    answer, _ = sidecar.fit(**small_request(path, class_counts=[3, 3]))
    assert answer["event"] == "result", answer


def test_a_label_outside_the_classes(sidecar, data_dir):
    path = small_csv(data_dir, "unknown-label.csv", GOOD_ROWS + ["1.0,1.0,2", "2.0,2.0,2"])
    expect_error(sidecar, "data", "label", "2 rows", "'2'", "0, 1", **small_request(path))


def test_a_row_without_a_label(sidecar, data_dir):
    path = small_csv(data_dir, "no-label.csv", GOOD_ROWS + ["1.0,1.0,NA"])
    expect_error(sidecar, "data", "label", "1 row ", "no label", **small_request(path))


def test_missing_feature_values_name_the_column_and_the_count(sidecar, data_dir):
    path = small_csv(data_dir, "missing.csv", GOOD_ROWS + ["1.0,,0", "2.0,NA,1", "?,1.0,1"])
    # Reported at the request's index of the column: f2 is features[0] here.
    expect_error(sidecar, "data", "features[0]", "'f2'", "2 rows", "missing", **small_request(path, features=["f2", "f1"]))


def test_text_in_a_feature_column(sidecar, data_dir):
    path = small_csv(data_dir, "text.csv", GOOD_ROWS + ["1.0,oops,0"])
    expect_error(sidecar, "data", "features[1]", "'f2'", "'oops'", "1 row ", **small_request(path))


def test_an_infinite_feature_value(sidecar, data_dir):
    path = small_csv(data_dir, "inf.csv", GOOD_ROWS + ["inf,1.0,0", "1e39,1.0,1"])
    expect_error(sidecar, "data", "features[0]", "'f1'", "2 rows", "infinite", **small_request(path))


def test_a_class_with_no_rows_leaves_nothing_to_fit(sidecar, data_dir):
    path = small_csv(data_dir, "one-class.csv", ["1.0,2.0,0", "0.5,-1.0,0"])
    expect_error(sidecar, "data", "label", "no positive rows", **small_request(path))


def test_numeric_labels_match_the_classes_as_numbers(sidecar, data_dir):
    """A file that writes its labels 0.0 and 1.0 matches classes "0" and "1", as Ballast reads them."""
    path = small_csv(data_dir, "float-labels.csv", [r[:-1] + r[-1] + ".0" for r in GOOD_ROWS])
    as_text, _ = sidecar.fit(**small_request(small_csv(data_dir, "good.csv", GOOD_ROWS)))
    as_numbers, _ = sidecar.fit(**small_request(path))
    assert as_numbers["event"] == "result", as_numbers
    assert as_numbers["coefficients"] == as_text["coefficients"]


@pytest.mark.parametrize("overrides, field", [
    ({"features": []}, "features"),
    ({"features": ["f1", "Class"]}, "features[1]"),
    ({"features": ["f1", "f1"]}, "features[1]"),
    ({"classes": ["0"]}, "classes"),
    ({"class_weights": [1.0]}, "class_weights"),
    ({"class_weights": [1.0, -2.0]}, "class_weights"),
    ({"positive": 2}, "positive"),
    ({"family": "poisson"}, "family"),
    ({"l2": -1}, "l2"),
    ({"max_iter": 0}, "max_iter"),
    ({"format": "json"}, "format"),
    ({"csv": {"delimiter": ";;", "header": True}}, "csv.delimiter"),
    ({"path": ""}, "path"),
    ({"columns": ["f1", "f2", "f1"]}, "columns[2]"),
    ({"columns": []}, "columns"),
])
def test_a_malformed_fit_is_refused_at_its_field(sidecar, data_dir, overrides, field):
    path = small_csv(data_dir, "good.csv", GOOD_ROWS)
    request = small_request(path)
    request.update(overrides)
    request_id = sidecar.start_fit(**request)
    answer, _ = sidecar.wait_for(lambda e: e.get("id") == request_id)
    assert (answer["event"], answer["kind"], answer["field"]) == ("error", "request", field), answer


def test_headerless_column_names_that_do_not_match_the_file(sidecar, data_dir):
    path = small_csv(data_dir, "headerless.csv", GOOD_ROWS[1:], header=GOOD_ROWS[0])
    expect_error(sidecar, "data", "columns", "has 3 columns", "names 2",
                 **small_request(path, csv={"delimiter": ",", "header": False}, columns=["f1", "Class"], features=["f1"]))


def test_lines_that_are_not_requests_are_answered_without_an_id(sidecar):
    sidecar.send_raw(b"this is not json\n")
    answer, _ = sidecar.wait_for(lambda e: e["event"] == "error" and e["id"] is None)
    assert answer["kind"] == "request" and "not JSON" in answer["message"], answer
    sidecar.send({"op": "train", "id": "x"})
    answer, _ = sidecar.wait_for(lambda e: e["event"] == "error" and e["id"] is None)
    assert (answer["kind"], answer["field"]) == ("request", "op"), answer
    sidecar.send_raw(b"\xff\xfe\n")
    answer, _ = sidecar.wait_for(lambda e: e["event"] == "error" and e["id"] is None)
    assert "UTF-8" in answer["message"], answer


def run_without_spark(env: dict, tmp_path: Path) -> tuple[int, list[str], str]:
    result = subprocess.run([sys.executable, "-m", "ballast_spark"], input=b"", capture_output=True, env=env,
                            cwd=tmp_path, timeout=120)
    return result.returncode, result.stdout.decode().splitlines(), result.stderr.decode()


def test_without_java_the_sidecar_says_how_to_install_it(tmp_path):
    # A folder holding only this Python: the interpreter's own folder (/usr/bin on Debian) has java too.
    only_python = tmp_path / "bin"
    only_python.mkdir()
    (only_python / "python3").symlink_to(sys.executable)
    env = sidecar_environment(PATH=str(only_python), JAVA_HOME=None)
    code, lines, stderr = run_without_spark(env, tmp_path)
    assert code == 1, stderr
    assert len(lines) == 1, lines
    assert '"kind":"spark"' in lines[0] and "Java is not installed" in lines[0] and "install-deps.sh --spark" in lines[0]


def run_with_fake_pyspark(tmp_path, init_source: str):
    """The sidecar started with a stand-in `pyspark` package whose `__init__.py` is `init_source`."""
    fake = tmp_path / "fake" / "pyspark"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(init_source)
    env = sidecar_environment()
    env["PYTHONPATH"] = str(tmp_path / "fake") + ":" + str(SIDECAR_DIR)
    return run_without_spark(env, tmp_path)


def test_without_pyspark_the_sidecar_says_how_to_install_it(tmp_path):
    code, lines, stderr = run_with_fake_pyspark(tmp_path, "raise ImportError('No module named pyspark (a test stand-in)')\n")
    assert code == 1, stderr
    assert len(lines) == 1 and "pyspark is not installed" in lines[0] and "install-deps.sh --spark" in lines[0], lines


def test_pyspark_3_is_refused_at_start_with_the_install_hint(tmp_path):
    code, lines, stderr = run_with_fake_pyspark(
        tmp_path, "__version__ = '3.5.3'  # a test stand-in: imports, but lacks Column.try_cast\n")
    assert code == 1, stderr
    assert len(lines) == 1, lines
    assert '"kind":"spark"' in lines[0] and "pyspark 3.5.3" in lines[0] and "needs pyspark 4" in lines[0], lines
    assert "install-deps.sh --spark" in lines[0], lines
