"""DataFrames and arrays in and out of a real daemon as binary frames: put_dataset, get_dataset,
predict_matrix (ballast_client/data.py; protocol 1.6 dataset/put, dataset/get, model/predict)."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from ballast_client import RPCError
from ballast_client.data import get_dataset, predict_matrix, put_dataset


@pytest.fixture
def session(client):
    client.initialize("data-test")
    return client


def random_frame(rows: int = 500, columns: int = 6, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.standard_normal((rows, columns)).astype(np.float32),
                         columns=[f"f{i}" for i in range(columns)])
    # Values float32 rounds awkwardly, and the extremes, so "bit-identical" means something.
    frame.iloc[0, 0] = np.float32(0.1)
    frame.iloc[1, 1] = np.finfo(np.float32).max
    frame.iloc[2, 2] = np.finfo(np.float32).tiny / 4  # subnormal
    frame.iloc[3, 3] = -0.0
    frame["label"] = (rng.random(rows) < 0.2).astype(np.int64)
    return frame


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.ascontiguousarray(a, dtype=np.float32), np.ascontiguousarray(b, dtype=np.float32)
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


def test_a_pandas_frame_round_trips_bit_identical(session):
    frame = random_frame()
    result = put_dataset(session, frame, name="pandas")
    summary = result["dataset"]
    assert summary["rows"] == 500 and summary["features"] == 6
    assert summary["feature_names"] == [f"f{i}" for i in range(6)]
    assert [c["label"] for c in summary["classes"]] == ["0", "1"]
    assert summary["positive"] == "1"  # the minority class, as dataset/load chooses

    back = get_dataset(session, "pandas")
    assert list(back.columns) == list(frame.columns)
    assert same_bits(back.drop(columns="label").to_numpy(), frame.drop(columns="label").to_numpy())
    assert back["label"].dtype == np.int64 and (back["label"].to_numpy() == frame["label"].to_numpy()).all()
    assert isinstance(back.index, pd.RangeIndex)
    assert back.attrs["classes"] == ["0", "1"] and back.attrs["label"] == "label"


def test_a_polars_frame_round_trips_bit_identical(session):
    pl = pytest.importorskip("polars")
    frame = random_frame(seed=1)
    polars_frame = pl.from_pandas(frame)
    put_dataset(session, polars_frame, name="polars")
    back = get_dataset(session, "polars")
    assert same_bits(back.drop(columns="label").to_numpy(), polars_frame.drop("label").to_numpy())
    assert (back["label"].to_numpy() == polars_frame["label"].to_numpy()).all()


def test_numpy_arrays_round_trip_bit_identical_with_columns_x0_on(session):
    frame = random_frame(seed=2)
    features = frame.drop(columns="label").to_numpy()
    labels = np.where(frame["label"].to_numpy() == 1, "fraud", "ok")
    result = put_dataset(session, features, labels, name="numpy")
    assert result["dataset"]["feature_names"] == [f"x{i}" for i in range(6)]
    back = get_dataset(session, "numpy")
    assert list(back.columns) == [f"x{i}" for i in range(6)] + ["label"]
    assert same_bits(back.drop(columns="label").to_numpy(), features)
    # Text labels come back as a category in the dataset's class order.
    assert list(back["label"].cat.categories) == ["fraud", "ok"]
    assert (back["label"].astype(str).to_numpy() == labels).all()


def test_a_chunked_upload_and_paged_download_keep_every_row_in_order(session, capsys):
    frame = random_frame(rows=3001, columns=5, seed=3)
    frame.index = [f"row-{i}" for i in range(len(frame))]
    # About 40 rows per chunk (5 features + 1 label + an id): some 75 messages, the last one short.
    result = put_dataset(session, frame, name="chunked", chunk_bytes=1024, progress=True)
    assert result["dataset"]["rows"] == 3001
    assert "3.00k/3.00k" in capsys.readouterr().err  # the tqdm bar reached the end
    back = get_dataset(session, "chunked", progress=True)
    assert same_bits(back.drop(columns="label").to_numpy(), frame.drop(columns="label").to_numpy())
    assert list(back.index) == list(frame.index)  # ids: the frame's own index
    assert (back["label"].to_numpy() == frame["label"].to_numpy()).all()


def test_integer_ids_come_back_as_an_integer_index(session):
    frame = random_frame(rows=50, seed=4).sample(frac=1.0, random_state=0)  # a shuffled index: row ids
    put_dataset(session, frame, name="shuffled")
    back = get_dataset(session, "shuffled")
    assert back.index.dtype == np.int64 and list(back.index) == list(frame.index)


def mixed_frame(rows: int = 400, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "amount": rng.gamma(2.0, 30.0, rows).astype(np.float32),
        "country": pd.Categorical(rng.choice(["DE", "FR", "IT"], rows), categories=["DE", "FR", "IT"]),
        "channel": rng.choice(["web", "app"], rows).astype(object),
        "age": rng.integers(18, 90, rows),
        "label": rng.choice(["fraud", "ok"], rows, p=[0.15, 0.85]),
    })


def test_text_columns_are_one_hot_encoded_as_dataset_load_does_and_come_back_as_categories(session, tmp_path):
    frame = mixed_frame()
    put = put_dataset(session, frame, name="mixed")["dataset"]
    assert put["feature_names"] == ["amount", "country=DE", "country=FR", "country=IT", "channel=app",
                                    "channel=web", "age"]

    # The same frame as CSV through dataset/load: the same schema, the same data bit for bit.
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False)
    loaded = session.call("dataset/load", {"path": str(path), "name": "mixed.csv", "label": "label"})["dataset"]
    assert loaded["feature_names"] == put["feature_names"]
    assert loaded["classes"] == put["classes"] and loaded.get("positive") == put.get("positive")
    described_put = session.call("dataset/describe", {"dataset": "mixed"})
    described_load = session.call("dataset/describe", {"dataset": "mixed.csv"})
    assert described_put["columns"] == described_load["columns"]
    assert described_put["fingerprint"] == described_load["fingerprint"]

    back = get_dataset(session, "mixed")
    assert list(back.columns) == list(frame.columns)
    assert isinstance(back["country"].dtype, pd.CategoricalDtype)
    assert (back["country"].astype(str).to_numpy() == frame["country"].astype(str).to_numpy()).all()
    assert (back["channel"].astype(str).to_numpy() == frame["channel"].to_numpy()).all()
    assert same_bits(back["amount"].to_numpy(), frame["amount"].to_numpy())
    assert (back["age"].to_numpy() == frame["age"].to_numpy()).all()


def test_parquet_becomes_a_dataset_through_pandas_polars_and_pyarrow(session, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = mixed_frame(seed=6)
    path = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)

    from_pandas = put_dataset(session, pd.read_parquet(path), name="via_pandas")["dataset"]
    from_arrow = put_dataset(session, pq.read_table(path), name="via_arrow")["dataset"]
    names = {"via_pandas", "via_arrow"}
    try:
        import polars as pl
    except ImportError:
        pl = None
    if pl is not None:
        put_dataset(session, pl.read_parquet(path), name="via_polars")
        names.add("via_polars")
    fingerprints = {session.call("dataset/describe", {"dataset": n})["fingerprint"] for n in names}
    assert len(fingerprints) == 1, "the same Parquet file read three ways made different datasets"
    assert from_pandas["rows"] == from_arrow["rows"] == 400
    back = get_dataset(session, "via_arrow")
    assert same_bits(back["amount"].to_numpy(), frame["amount"].to_numpy())


def test_labels_from_y_or_a_named_column(session):
    frame = random_frame(rows=60, seed=7)
    target = frame.pop("label").rename("is_fraud")
    assert put_dataset(session, frame, target, name="y_named")["dataset"]["rows"] == 60
    assert get_dataset(session, "y_named").columns[-1] == "is_fraud"
    frame["outcome"] = target.to_numpy()
    put_dataset(session, frame, name="label_named", label="outcome", positive=1)
    back = get_dataset(session, "label_named")
    assert back.columns[-1] == "outcome" and back.attrs["positive"] == "1"


def test_refusals_happen_before_anything_is_sent(session):
    frame = random_frame(rows=20, seed=8)
    with pytest.raises(ValueError, match="No labels"):
        put_dataset(session, frame.drop(columns="label"), name="x")
    with pytest.raises(ValueError, match="still holds"):
        put_dataset(session, frame, frame["label"], name="x")
    broken = frame.copy()
    broken.iloc[7, 2] = np.nan
    with pytest.raises(ValueError, match=r"'f2'.*NaN.*row 7"):
        put_dataset(session, broken, name="x")
    with pytest.raises(ValueError, match="two classes"):
        put_dataset(session, frame.assign(label=1), name="x")
    with pytest.raises(ValueError, match="not one of the classes"):
        put_dataset(session, frame, name="x", positive="maybe")
    too_many = random_frame(rows=40, seed=8).assign(note=[f"n{i}" for i in range(40)])
    with pytest.raises(ValueError, match="'note'.*40 distinct"):
        put_dataset(session, too_many, name="x")
    put_dataset(session, too_many.astype({"note": "category"}).head(3).assign(label=[0, 1, 1]), name="declared")
    assert [d["name"] for d in session.call("dataset/list")["datasets"]] == ["declared"]


def test_an_upload_interrupted_midway_is_discarded(session, monkeypatch):
    frame = random_frame(rows=400, seed=9)
    calls = {"n": 0}
    uploads = []
    original_wait, original_prepare = session.wait, session.prepare_request

    def recording_prepare(method, params=None, **kwargs):
        if method == "dataset/put" and "upload" in (params or {}):
            uploads.append(params["upload"])
        return original_prepare(method, params, **kwargs)

    def interrupted_wait(request_id, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # the third chunk's reply
            original_wait(request_id, *args, **kwargs)
            raise KeyboardInterrupt
        return original_wait(request_id, *args, **kwargs)

    monkeypatch.setattr(session, "wait", interrupted_wait)
    monkeypatch.setattr(session, "prepare_request", recording_prepare)
    with pytest.raises(KeyboardInterrupt):
        put_dataset(session, frame, name="interrupted", chunk_bytes=1024)
    monkeypatch.undo()
    assert calls["n"] == 4 and uploads  # three chunks, then the abort
    assert "interrupted" not in [d["name"] for d in session.call("dataset/list")["datasets"]]
    # The client aborted the upload: a further chunk for it is refused as unknown.
    with pytest.raises(RPCError) as refused:
        session.call("dataset/put", {"upload": uploads[0], "rows": 1, "features": {"buffer": 0},
                                     "labels": {"buffer": 1}},
                     buffers=[np.zeros(6, dtype="<f4"), np.zeros(1, dtype="<i4")])
    # Not refused for the rows still missing (total_rows 400): the daemon no longer knows the upload.
    assert refused.value.code == -32602
    assert refused.value.data["field"] == "upload"
    assert "There is no upload" in refused.value.message


def test_predict_matrix_equals_the_json_predict_path(session):
    frame = mixed_frame(rows=300, seed=10)
    put_dataset(session, frame, name="train")
    session.call("model/train", {"dataset": "train", "name": "m", "loss": {"type": "wce", "weights": {"scheme": "inverse"}}})
    features = frame.drop(columns="label")

    binary = predict_matrix(session, "m", features)
    rows = [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in features.astype({"country": str}).to_dict(orient="records")]
    json_path = session.call("model/predict", {"model": "m", "rows": rows})
    assert binary["classes"] == json_path["classes"]
    assert binary["probabilities"].dtype == np.float32 and binary["probabilities"].shape == (300, 2)
    assert same_bits(binary["probabilities"], np.array(json_path["probabilities"], dtype=np.float32))
    assert binary["labels"].dtype == np.int32
    assert [json_path["classes"][i] for i in binary["labels"]] == json_path["labels"]
    assert binary["warnings"] == []

    # Columns in another order are matched by name (the daemon warns); a numpy array without
    # names is taken in the model's order.
    shuffled = predict_matrix(session, "m", features[["age", "channel", "amount", "country"]])
    assert same_bits(shuffled["probabilities"], binary["probabilities"])
    numeric = put_dataset(session, random_frame(rows=200, seed=11), name="numeric")
    session.call("model/train", {"dataset": "numeric", "name": "n"})
    matrix = random_frame(rows=200, seed=11).drop(columns="label").to_numpy()
    by_position = predict_matrix(session, "n", matrix, threshold=0.3)
    by_name = predict_matrix(session, "n", pd.DataFrame(matrix, columns=numeric["dataset"]["feature_names"]),
                             threshold=0.3)
    assert same_bits(by_position["probabilities"], by_name["probabilities"])
    assert by_position["threshold"] == pytest.approx(0.3)


def test_predict_matrix_refuses_a_level_the_model_never_saw(session):
    frame = mixed_frame(rows=200, seed=12)
    put_dataset(session, frame, name="train")
    session.call("model/train", {"dataset": "train", "name": "m"})
    unseen = frame.drop(columns="label").head(3).astype({"country": object})
    unseen.loc[unseen.index[1], "country"] = "ES"
    with pytest.raises(ValueError, match="'country'.*'ES'"):
        predict_matrix(session, "m", unseen)


def test_the_daemon_refuses_what_the_client_let_through(session):
    # A class index outside the classes: the daemon's own checks name the field.
    with pytest.raises(RPCError) as refused:
        session.call("dataset/put", {"name": "bad", "columns": [{"name": "a"}], "classes": ["0", "1"], "rows": 2,
                                     "features": {"buffer": 0}, "labels": {"buffer": 1}},
                     buffers=[np.array([1.0, 2.0], dtype="<f4"), np.array([0, 5], dtype="<i4")])
    assert refused.value.code == -32602 and refused.value.data["field"] == "labels"


# -- frames the daemon would drop --------------------------------------------------------------


def finishes(work, bound: float = 120.0) -> dict:
    """Run ``work()`` on a thread; its result or error, asserting it ended (a bound that only
    catches a hang: libzmq drops a frame over --max-message-bytes without a reply)."""
    import threading

    outcome: dict = {}

    def run():
        try:
            outcome["result"] = work()
        except BaseException as error:  # noqa: BLE001 - the caller looks at it
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(bound)
    assert not thread.is_alive(), "the request hung: a frame over the daemon's limit was sent"
    return outcome


def test_a_frame_over_the_daemons_limit_is_refused_before_sending(start_daemon):
    daemon = start_daemon("--max-message-bytes", "65536")
    with daemon.client() as client:
        client.initialize("limit-test")
        assert client.max_message_bytes == 65536, "initialize announces the daemon's limit"
        outcome = finishes(lambda: client.call("ping", {}, buffers=[np.zeros(20_000, dtype="<f4")]))
        assert isinstance(outcome.get("error"), ValueError)
        message = str(outcome["error"])
        assert "80,000 bytes" in message and "65,536 bytes" in message and "ballastd --max-message-bytes" in message
        assert client.call("ping") is not None  # nothing was sent: the client goes on

        # Uploads and predictions cut their requests to fit the limit (480 KB of features here).
        frame = random_frame(rows=20_000, seed=12)
        outcome = finishes(lambda: put_dataset(client, frame, name="big"))
        assert "error" not in outcome, outcome.get("error")
        client.call("model/train", {"dataset": "big", "name": "m"})
        outcome = finishes(lambda: predict_matrix(client, "m", frame.drop(columns="label")))
        assert "error" not in outcome, outcome.get("error")
        assert outcome["result"]["probabilities"].shape == (20_000, 2)


def test_more_buffers_than_a_message_may_carry_are_refused_before_sending(session):
    outcome = finishes(lambda: session.call("ping", {}, buffers=[b"\0\0\0\0"] * 65))
    assert isinstance(outcome.get("error"), ValueError)
    assert "65 buffers" in str(outcome["error"]) and "at most 64" in str(outcome["error"])
    assert session.call("ping") is not None  # nothing was sent: the session goes on


def test_a_daemon_that_does_not_announce_its_limit_is_taken_at_the_default(session):
    # A daemon before protocol 1.6 announces nothing: the client holds it to the documented default.
    session.server_info = {k: v for k, v in session.server_info.items() if k != "max_message_bytes"}
    assert session.max_message_bytes == 64 << 20
    too_large = np.empty((64 << 20) + 1, dtype=np.uint8)
    outcome = finishes(lambda: session.call("ping", {}, buffers=[too_large]))
    assert isinstance(outcome.get("error"), ValueError)
    assert "67,108,865 bytes" in str(outcome["error"]) and "67,108,864 bytes" in str(outcome["error"])


# -- predictions of a DataFrame carry its index and, when given, the truth -------------------------


def test_predict_of_a_dataframe_keeps_its_index_and_takes_the_truth(session):
    frame = random_frame(rows=120, seed=13)
    put_dataset(session, frame, name="train")
    session.call("model/train", {"dataset": "train", "name": "m"})
    features = frame.drop(columns="label").set_axis([f"tx{i}" for i in range(120)])
    predictions = session.model.predict("m", features, y=frame["label"].to_numpy())
    table = predictions.to_pandas()
    assert list(table.columns[:2]) == ["id", "truth"] and table.columns[-1] == "predicted"
    assert table["id"].tolist() == [f"tx{i}" for i in range(120)]
    assert table["truth"].tolist() == [str(v) for v in frame["label"]]
    assert set(table["predicted"]) <= set(predictions["classes"])
    # The default 0…n-1 index is not an id; no y, no truth.
    plain = session.model.predict("m", frame.drop(columns="label")).to_pandas()
    assert "id" not in plain.columns and "truth" not in plain.columns
    with pytest.raises(ValueError, match="3 labels for 120 rows"):
        session.model.predict("m", features, y=[0, 1, 0])
