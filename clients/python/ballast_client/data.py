"""DataFrames and arrays in and out of the daemon as binary frames (protocol 1.6).

``put_dataset`` uploads a pandas or polars DataFrame, a pyarrow Table or a 2-D numpy array as a
dataset (``dataset/put``, in chunks), ``get_dataset`` brings one back as a pandas DataFrame
(``dataset/get``, in pages), and ``predict_matrix`` scores a matrix with a model (``model/predict``
with a features buffer). Features travel as little-endian float32, row-major; labels as int32
class indices. Anything pandas or polars reads (Parquet, Arrow, Excel, SQL, …) becomes a dataset
this way with no code in the daemon::

    put_dataset(client, pandas.read_parquet("train.parquet"), name="train")

Text columns (pandas ``category``, ``object`` or ``string``; polars ``Categorical``, ``Enum`` or
``String``) go as level codes with their levels, sorted, and the daemon one-hot encodes them
exactly as ``dataset/load`` encodes a text column of a CSV file.
"""

from __future__ import annotations

import math
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .client import Client

__all__ = ["put_dataset", "get_dataset", "predict_matrix", "DEFAULT_CHUNK_BYTES", "MAX_INFERRED_LEVELS"]

DEFAULT_CHUNK_BYTES = 16 << 20  # one message near 16 MiB (the daemon's frame limit is 64 MiB by default)
PUT_WINDOW = 2  # dataset/put chunks in flight at once, after the first
GET_WINDOW = 2  # dataset/get pages asked for ahead of the one being read
# A text column that is not declared categorical may have at most this many distinct values, as
# dataset/load's default `max_levels`: an id or free-text column would otherwise become one one-hot
# feature per row. Declaring it categorical (pandas `astype("category")`, polars `pl.Categorical`)
# says the levels are meant, and lifts the limit.
MAX_INFERRED_LEVELS = 32
DEFAULT_LABEL = "label"

FLOAT32 = np.dtype("<f4")
INT32 = np.dtype("<i4")


# -- columns of any supported input ----------------------------------------------------------------

@dataclass
class _Text:
    """A text column: ``codes`` index ``categories`` (-1: missing)."""

    codes: np.ndarray
    categories: list[str]


@dataclass
class _Columns:
    """The feature columns of an input, in order: a numeric one as a 1-D array, a text one as
    :class:`_Text`; ``block`` is the whole input as one numeric 2-D array when every column is
    numeric (a view where the input allows it), ``index`` a pandas index worth keeping as ids."""

    names: list[str]
    values: list[np.ndarray | _Text]
    rows: int
    block: np.ndarray | None = None
    index: pd.Index | None = None
    origin: Any = None  # the input's row labels, for messages (pandas index or None)

    def row_name(self, row: int) -> str:
        if self.origin is not None and not isinstance(self.origin, pd.RangeIndex):
            label = self.origin[row]
            return f"row {row} (index {label.item() if isinstance(label, np.generic) else label!r})"
        return f"row {row}"


def _is_polars(data: Any) -> bool:
    return type(data).__module__.split(".")[0] == "polars"


def _is_pyarrow(data: Any) -> bool:
    return type(data).__module__.split(".")[0] == "pyarrow"


def _column_names(raw: Sequence[Any]) -> list[str]:
    names = [str(name) for name in raw]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"Column {name!r} appears twice: columns are matched by name, so each needs its own.")
        seen.add(name)
    return names


def _pandas_text(name: str, series: pd.Series) -> _Text:
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = np.asarray(series.cat.codes)
        return _Text(codes, [str(c) for c in series.cat.categories])
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if len(uniques) > MAX_INFERRED_LEVELS:
        raise ValueError(
            f"Column {name!r} holds text with {len(uniques):,} distinct values, more than the "
            f"{MAX_INFERRED_LEVELS} a text feature may have unless declared: each value would become a "
            f"one-hot feature. Pass it as ids= if it identifies rows, drop it, or declare it "
            f"categorical (df[{name!r}].astype('category')) if every level is meant.")
    return _Text(np.asarray(codes), [str(u) for u in uniques])


def _is_numeric_pandas(dtype: Any) -> bool:
    return (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype)) \
        and not pd.api.types.is_complex_dtype(dtype)


def _is_text_pandas(dtype: Any) -> bool:
    return (isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype))


def _pandas_numeric(series: pd.Series) -> np.ndarray:
    if isinstance(series.dtype, np.dtype):
        return series.to_numpy()
    return series.to_numpy(dtype=np.float64, na_value=np.nan)  # nullable Int64, Float64, boolean


def _from_pandas(frame: pd.DataFrame) -> _Columns:
    names = _column_names(frame.columns)
    rows = len(frame)
    dtypes = list(frame.dtypes)
    for name, dtype in zip(names, dtypes):
        if not (_is_numeric_pandas(dtype) or _is_text_pandas(dtype)):
            raise ValueError(f"Column {name!r} has dtype {dtype}: features are numbers or text; "
                             "convert it to one of them first.")
    index = None if isinstance(frame.index, pd.RangeIndex) else frame.index
    if all(_is_numeric_pandas(d) and isinstance(d, np.dtype) for d in dtypes) and names:
        # One conversion for the whole frame: a view when it is a single float32 block.
        block = frame.to_numpy(dtype=np.float32) if all(d == np.float32 for d in dtypes) else None
        values = [] if block is not None else [_pandas_numeric(frame.iloc[:, i]) for i in range(len(names))]
        return _Columns(names, values, rows, block=block, index=index, origin=frame.index)
    values: list[np.ndarray | _Text] = []
    for i, (name, dtype) in enumerate(zip(names, dtypes)):
        series = frame.iloc[:, i]
        values.append(_pandas_numeric(series) if _is_numeric_pandas(dtype) else _pandas_text(name, series))
    return _Columns(names, values, rows, index=index, origin=frame.index)


def _from_polars(frame: Any) -> _Columns:
    import polars as pl

    names = _column_names(frame.columns)
    values: list[np.ndarray | _Text] = []
    for name in names:
        series = frame.get_column(name)
        dtype = series.dtype
        if dtype.is_numeric() or dtype == pl.Boolean:
            if series.null_count():
                series = series.cast(pl.Float64)  # nulls become NaN below, refused with their row
            values.append(series.to_numpy())
        elif isinstance(dtype, pl.Enum):  # a fixed list of levels, unused ones too
            codes = series.to_physical().cast(pl.Int64).fill_null(-1).to_numpy()
            values.append(_Text(codes, [str(c) for c in dtype.categories.to_list()]))
        elif dtype == pl.Categorical:  # declared categorical: every level present is meant
            strings = pd.Series(series.cast(pl.String).to_numpy(), dtype=object)
            values.append(_pandas_text(name, strings.astype("category")))
        elif dtype == pl.String:
            values.append(_pandas_text(name, pd.Series(series.to_numpy(), dtype=object)))
        else:
            raise ValueError(f"Column {name!r} has dtype {dtype}: features are numbers or text; "
                             "convert it to one of them first.")
    return _Columns(names, values, frame.height)


def _from_numpy(array: np.ndarray, columns: Sequence[str] | None) -> _Columns:
    if array.ndim != 2:
        raise ValueError(f"A numpy array of features must be 2-D (rows × columns), not {array.ndim}-D "
                         f"of shape {array.shape}.")
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_) or np.iscomplexobj(array):
        raise ValueError(f"A numpy array of features must hold numbers, not {array.dtype}: use a "
                         "DataFrame for text columns.")
    names = _column_names(columns if columns is not None else [f"x{i}" for i in range(array.shape[1])])
    if len(names) != array.shape[1]:
        raise ValueError(f"{len(names)} column names for an array of {array.shape[1]} columns.")
    return _Columns(names, [], array.shape[0], block=array)


def _frame(data: Any) -> Any:
    """``data`` as a pandas or polars DataFrame or a numpy array (a pyarrow Table becomes pandas)."""
    if isinstance(data, (pd.DataFrame, np.ndarray)):
        return data
    if _is_polars(data) and hasattr(data, "get_column"):
        return data
    if _is_pyarrow(data) and hasattr(data, "to_pandas") and hasattr(data, "column_names"):
        return data.to_pandas()
    raise TypeError(f"Expected a pandas or polars DataFrame, a pyarrow Table or a 2-D numpy array, not "
                    f"{type(data).__name__}. Anything else tabular can usually be made one: "
                    "pandas.DataFrame(data).")


def _drop_column(frame: Any, name: str) -> tuple[Any, Any]:
    """``frame`` without column ``name``, and that column (pandas Series or polars Series)."""
    if isinstance(frame, pd.DataFrame):
        matches = [c for c in frame.columns if str(c) == name]
        return frame.drop(columns=matches), frame[matches[0]]
    return frame.drop(name), frame.get_column(name)


def _has_column(frame: Any, name: str) -> bool:
    if isinstance(frame, np.ndarray):
        return False
    return any(str(c) == name for c in frame.columns)


def _columns_of(frame: Any, columns: Sequence[str] | None = None) -> _Columns:
    if isinstance(frame, np.ndarray):
        return _from_numpy(frame, columns)
    found = _from_pandas(frame) if isinstance(frame, pd.DataFrame) else _from_polars(frame)
    if columns is not None:
        renamed = _column_names(columns)
        if len(renamed) != len(found.names):
            raise ValueError(f"{len(renamed)} column names for data of {len(found.names)} columns.")
        found.names = renamed
    return found


# -- labels and ids -----------------------------------------------------------------------------

def _one_dimensional(values: Any, what: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if _is_polars(values) and hasattr(values, "to_numpy"):
        return pd.Series(values.to_numpy())
    if _is_pyarrow(values) and hasattr(values, "to_pandas"):
        return values.to_pandas()
    array = np.asarray(values)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{what} must be one value per row (1-D), not of shape {array.shape}.")
    return pd.Series(array)


def _label_text(value: Any) -> str:
    """A label as the daemon names classes: integral numbers without a decimal point."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _class_order(texts: Sequence[str]) -> list[str]:
    """Classes in dataset/load's order: numeric labels sorted as numbers, others as text."""
    distinct = sorted(set(texts))
    try:
        numbers = {t: float(t) for t in distinct}
    except ValueError:
        return distinct
    if not all(math.isfinite(n) for n in numbers.values()):
        return distinct
    return sorted(distinct, key=lambda t: numbers[t])


def _encode_labels(y: Any, rows: int) -> tuple[np.ndarray, list[str]]:
    """int32 class indices into the returned class labels."""
    series = _one_dimensional(y, "The labels (y)")
    if len(series) != rows:
        raise ValueError(f"{len(series):,} labels for {rows:,} rows: y needs one label per row.")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if (codes < 0).any():
        row = int(np.argmax(codes < 0))
        raise ValueError(f"The label of row {row} is missing: every row needs a label (drop the unlabelled rows).")
    texts = [_label_text(u) for u in uniques]
    classes = _class_order(texts)
    if len(classes) < 2:
        raise ValueError(f"Every row has the label {classes[0]!r}: a classification dataset needs at least two classes.")
    position = {c: i for i, c in enumerate(classes)}
    remap = np.array([position[t] for t in texts], dtype=INT32)
    return remap[codes], classes


def _id_texts(ids: Any, rows: int) -> list[str]:
    series = _one_dimensional(ids, "ids")
    if len(series) != rows:
        raise ValueError(f"{len(series):,} ids for {rows:,} rows: ids needs one per row.")
    if series.isna().any():
        row = int(np.argmax(series.isna().to_numpy()))
        raise ValueError(f"The id of row {row} is missing: every row needs an id when ids are given.")
    return [_label_text(v) for v in series.tolist()]


def _canonical_integers(texts: Sequence[str]) -> np.ndarray | None:
    """``texts`` as int64 when each is an integer written canonically ("7", "-3"; not "07"), else None."""
    try:
        numbers = [int(t) for t in texts]
    except ValueError:
        return None
    if any(str(n) != t for n, t in zip(numbers, texts)):
        return None
    try:
        return np.array(numbers, dtype=np.int64)
    except OverflowError:
        return None


# -- the features matrix -------------------------------------------------------------------------

class _Matrix:
    """The features as one float32 matrix (rows × columns, any memory order), cut into row-major
    little-endian chunks; text columns as float32 level codes into sorted levels."""

    def __init__(self, columns: _Columns):
        self.names = columns.names
        self.rows = columns.rows
        self.wire_columns: list[dict[str, Any]] = []
        if columns.block is not None:
            self.matrix = columns.block if columns.block.dtype == FLOAT32 else columns.block.astype(FLOAT32)
            self.wire_columns = [{"name": n} for n in self.names]
        else:
            # Column by column into column-major storage: each column is one contiguous write.
            storage = np.empty((len(self.names), self.rows), dtype=FLOAT32)
            for i, (name, values) in enumerate(zip(self.names, columns.values)):
                if isinstance(values, _Text):
                    levels = sorted(set(values.categories))
                    position = {level: j for j, level in enumerate(levels)}
                    remap = np.array([position[c] for c in values.categories] + [-1], dtype=np.int64)
                    codes = remap[values.codes]  # -1 (missing) indexes the trailing -1
                    if (codes < 0).any():
                        row = int(np.argmax(codes < 0))
                        raise ValueError(f"Column {name!r} has no value in {columns.row_name(row)}: "
                                         "fill or drop missing values first.")
                    storage[i] = codes
                    self.wire_columns.append({"name": name, "kind": "text", "levels": levels})
                else:
                    storage[i] = values
                    self.wire_columns.append({"name": name})
            self.matrix = storage.T
        self._check_finite(columns)

    def _check_finite(self, columns: _Columns, block_rows: int = 1 << 16) -> None:
        for start in range(0, self.rows, block_rows):
            part = self.matrix[start:start + block_rows]
            finite = np.isfinite(part)
            if not finite.all():
                row, column = (int(i) for i in np.argwhere(~finite)[0])
                value = part[row, column]
                what = "a missing value (NaN)" if np.isnan(value) else str(value)
                raise ValueError(
                    f"Column {self.names[column]!r} holds {what} in {columns.row_name(start + row)}: features "
                    f"must be finite float32 numbers (fill or drop missing values; values beyond ±3.4e38 "
                    f"do not fit float32).")

    def chunk(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start..<stop``, C-contiguous little-endian float32 (a view when they already are)."""
        return np.ascontiguousarray(self.matrix[start:stop], dtype=FLOAT32)


def _rows_per_chunk(columns: int, chunk_bytes: int, id_bytes: float, client: Any = None) -> int:
    """Rows per request: about ``chunk_bytes``, and within half the daemon's frame limit
    (``--max-message-bytes``), so a daemon started with a small limit still takes every chunk."""
    if not isinstance(chunk_bytes, int) or isinstance(chunk_bytes, bool) or chunk_bytes <= 0:
        raise ValueError(f"chunk_bytes must be a positive number of bytes, like 16 << 20, not {chunk_bytes!r}.")
    limit = getattr(client, "max_message_bytes", None)
    if isinstance(limit, int) and limit > 0:
        chunk_bytes = min(chunk_bytes, limit // 2)
    return max(1, int(chunk_bytes // (columns * 4 + 4 + id_bytes)))


class _NoProgress:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(progress: bool, total: int, description: str) -> Any:
    if not progress:
        return _NoProgress()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, unit="row", unit_scale=True)


# -- put ----------------------------------------------------------------------------------------

def _split_label(frame: Any, y: Any, label: str | None) -> tuple[Any, Any, str]:
    """The features without the label column, the labels, and the label column's name."""
    if isinstance(y, str):
        if label is not None and label != y:
            raise ValueError(f"y={y!r} and label={label!r} name two label columns: give one.")
        label, y = y, None
    if y is None:
        name = DEFAULT_LABEL if label is None else str(label)
        if not _has_column(frame, name):
            where = "the array" if isinstance(frame, np.ndarray) else f"the columns {_shown(frame.columns)}"
            raise ValueError(f"No labels: pass y= (one label per row), or label= naming the label column "
                             f"(there is no column {name!r} among {where}).")
        features, labels = _drop_column(frame, name)
        return features, labels, name
    if label is not None and _has_column(frame, str(label)):
        raise ValueError(f"Both y= and a column {label!r} in the data give labels: give one (drop the column, "
                         "or leave y out).")
    name = str(label) if label is not None else str(getattr(y, "name", None) or DEFAULT_LABEL)
    if _has_column(frame, name):
        raise ValueError(f"The data still holds a column {name!r}, the labels' name: drop it from the "
                         f"features, or leave y out and pass label={name!r}.")
    return frame, y, name


def _shown(names: Sequence[Any], at_most: int = 8) -> str:
    names = [str(n) for n in names]
    shown = ", ".join(repr(n) for n in names[:at_most])
    return f"[{shown}{', …' if len(names) > at_most else ''}]"


def _take_ids(frame: Any, ids: Any) -> tuple[Any, Any]:
    """The features without an ids column named by ``ids``, and the ids (or None)."""
    if isinstance(ids, str):
        if not _has_column(frame, ids):
            raise ValueError(f"ids={ids!r} names no column of the data; give a column name or one id per row.")
        return _drop_column(frame, ids)
    return frame, ids


def put_dataset(client: "Client", data: Any, y: Any = None, *, name: str, label: str | None = None,
                ids: Any = None, positive: Any = None, keep: bool | None = None,
                chunk_bytes: int = DEFAULT_CHUNK_BYTES, progress: bool = False) -> dict:
    """Upload ``data`` as the dataset ``name`` (``dataset/put``) and return the daemon's result for
    it, the same as ``dataset/load``'s (``result["dataset"]`` is the dataset summary).

    - ``data``: a pandas or polars DataFrame, a pyarrow Table, or a 2-D numpy array (columns named
      ``x0``, ``x1``, …). Numeric and boolean columns are features as float32; text columns
      (categorical, object, string) are one-hot encoded by the daemon, levels sorted, as
      ``dataset/load`` does. Values must be finite: missing values are refused naming the column
      and row.
    - ``y``: the labels, one per row (a Series, an array, a list); without it, the column named
      ``label`` (default ``"label"``) of ``data`` is the label. ``label`` also names the label
      column for ``dataset/describe`` and :func:`get_dataset` (default: ``y``'s name, else "label").
      Classes are ordered as ``dataset/load`` orders them: numeric labels as numbers, others as text.
    - ``ids``: a column of ``data`` by name, or one id per row; a pandas index other than the
      default ``0…n-1`` range is sent as the ids when ``ids`` is not given. Ids come back with
      predictions and as the index of :func:`get_dataset`.
    - ``positive``: the positive class of binary data (default: as ``dataset/load`` chooses);
      ``keep``: whether the daemon keeps it across restarts (default: as ``dataset/load``).
    - Sent in chunks of about ``chunk_bytes`` each (one message per chunk); ``progress=True`` shows
      a tqdm bar. An interrupted upload is discarded by the daemon.
    """
    frame = _frame(data)
    frame, y, label_name = _split_label(frame, y, label)
    frame, ids = _take_ids(frame, ids)
    columns = _columns_of(frame)
    if not columns.names:
        raise ValueError("The data has no feature columns besides the label.")
    if columns.rows == 0:
        raise ValueError("The data has no rows: a dataset needs at least one.")
    if ids is None and columns.index is not None:
        ids = columns.index
    labels, classes = _encode_labels(y, columns.rows)
    id_texts = None if ids is None else _id_texts(ids, columns.rows)
    positive_text = None if positive is None else _label_text(positive)
    if positive_text is not None and positive_text not in classes:
        raise ValueError(f"positive={positive!r} is not one of the classes {classes}.")
    matrix = _Matrix(columns)

    id_bytes = 0.0 if id_texts is None else 4 + sum(map(len, id_texts[:1000])) / min(len(id_texts), 1000)
    per_chunk = _rows_per_chunk(len(columns.names), chunk_bytes, id_bytes, client)
    rows = columns.rows
    first: dict[str, Any] = {"name": name, "columns": matrix.wire_columns, "classes": classes, "label": label_name,
                             "total_rows": rows}
    if positive_text is not None:
        first["positive"] = positive_text
    if keep is not None:
        first["keep"] = keep

    def prepare(start: int, stop: int, upload: str | None) -> Any:
        """The chunk of rows start..<stop as a signed request (run on the helper thread)."""
        params: dict[str, Any] = dict(first) if upload is None else {"upload": upload}
        params.update(rows=stop - start, features={"buffer": 0}, labels={"buffer": 1}, more=stop < rows)
        if id_texts is not None:
            params["ids"] = id_texts[start:stop]
        buffers = [matrix.chunk(start, stop), np.ascontiguousarray(labels[start:stop], dtype=INT32)]
        return client.prepare_request("dataset/put", params, buffers=buffers)

    bar = _progress_bar(progress, rows, f"dataset/put {name}")
    upload: str | None = None
    in_flight: deque[tuple[int | str, int]] = deque()  # (request id, rows) sent, reply not yet read
    # The first chunk goes alone: its reply names the upload. After it, up to PUT_WINDOW chunks are
    # in flight: the daemon verifies the next chunk's signature (on its socket thread) while it
    # stores the current one, and a helper thread cuts and signs the one after (numpy's copies and
    # hashlib's HMAC run without the GIL). The daemon takes an upload's chunks in the order sent; a
    # refused chunk leaves a gap the last chunk cannot close (total_rows), so nothing half-sent is kept.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ballast-put") as helper:
        try:
            stop = min(rows, per_chunk)
            result = client.wait(client.send_prepared(prepare(0, stop, None)))
            bar.update(stop)
            if stop == rows:
                return result
            upload = result["upload"]
            bounds = deque((start, min(rows, start + per_chunk)) for start in range(stop, rows, per_chunk))
            pending = helper.submit(prepare, *bounds[0], upload)
            while pending is not None or in_flight:
                if pending is not None and len(in_flight) < PUT_WINDOW:
                    start, stop = bounds.popleft()
                    in_flight.append((client.send_prepared(pending.result()), stop - start))
                    pending = helper.submit(prepare, *bounds[0], upload) if bounds else None
                    continue
                request_id, sent = in_flight.popleft()
                result = client.wait(request_id)
                bar.update(sent)
            upload = None
            return result
        finally:
            bar.close()
            if upload is not None:  # chunks still in flight are taken before the abort, in order
                _abort(client, upload)


def _abort(client: "Client", upload: str) -> None:
    """Discard an unfinished upload now rather than in ten minutes; best effort."""
    try:
        client.call("dataset/put", {"upload": upload, "abort": True}, timeout=10)
    except Exception:  # noqa: BLE001 - the daemon discards it anyway when it times out or we leave
        pass


# -- get ----------------------------------------------------------------------------------------

def _array(buffer: memoryview, descriptor: Mapping[str, Any], dtype: np.dtype, what: str) -> np.ndarray:
    shape = tuple(int(n) for n in descriptor.get("shape", ()))
    array = np.frombuffer(buffer, dtype=dtype)
    expected = math.prod(shape)
    if array.size != expected:
        raise RuntimeError(f"The daemon's {what} buffer holds {array.size} values where its shape "
                           f"{list(shape)} needs {expected}.")
    return array.reshape(shape)


def _reply_arrays(result: Mapping[str, Any], buffers: Sequence[memoryview],
                  fields: Sequence[tuple[str, np.dtype]]) -> list[np.ndarray]:
    arrays = []
    for field, dtype in fields:
        descriptor = result.get(field)
        if not isinstance(descriptor, dict) or not isinstance(descriptor.get("buffer"), int) \
                or not 0 <= descriptor["buffer"] < len(buffers):
            raise RuntimeError(f"The daemon's reply refers to no buffer for {field!r} ({descriptor!r}; "
                               f"{len(buffers)} buffers came).")
        arrays.append(_array(buffers[descriptor["buffer"]], descriptor, dtype, field))
    return arrays


def get_dataset(client: "Client", dataset: str, *, progress: bool = False) -> pd.DataFrame:
    """The dataset ``dataset`` as a pandas DataFrame (``dataset/get``, in pages of about 16 MiB).

    Columns: the features as float32 (a text column comes back as one pandas ``category``
    column, read back from its one-hot features, unless they are no longer 0/1, as after
    ``dataset/standardize``), then the label column under its name (int64 when every class is an
    integer, else a ``category`` in the dataset's class order). The index is the dataset's ids
    (int64 when all are integers), or 0…n-1. ``frame.attrs`` holds ``dataset``, ``classes``,
    ``positive`` and ``label``.
    """
    result, buffers = client.call("dataset/get", {"dataset": dataset, "offset": 0}, with_buffers=True)
    total = int(result["total_rows"])
    names = list(result["feature_names"])
    storage = np.empty((len(names), total), dtype=FLOAT32)  # column-major: pandas' own layout
    labels = np.empty(total, dtype=INT32)
    ids: list[str] | None = [] if "ids" in result else None
    bar = _progress_bar(progress, total, f"dataset/get {dataset}")

    def store(offset: int, features: np.ndarray, page_labels: np.ndarray) -> None:
        storage[:, offset:offset + len(features)] = features.T
        labels[offset:offset + len(features)] = page_labels

    # The next GET_WINDOW pages are asked for before this one is read, and a helper thread copies
    # each page while this one receives and verifies the next: the daemon, the network and the
    # copies overlap. Pages are as long as the first (the daemon's default limit).
    page_rows = int(result["rows"])
    offsets = deque(range(int(result["offset"]) + page_rows, total, max(1, page_rows)))
    asked: deque[int | str] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ballast-get") as helper:
        copying = None
        try:
            while True:
                offset, rows = int(result["offset"]), int(result["rows"])
                if offset + rows < total and rows <= 0:
                    raise RuntimeError(f"dataset/get gave no rows at offset {offset} of {total}.")
                while offsets and len(asked) < GET_WINDOW:
                    asked.append(client.request("dataset/get", {"dataset": dataset, "offset": offsets.popleft(),
                                                                "limit": page_rows}))
                features, page_labels = _reply_arrays(result, buffers, [("features", FLOAT32), ("labels", INT32)])
                if features.shape != (rows, len(names)) or offset + rows > total:
                    raise RuntimeError(f"dataset/get's features at offset {offset} have shape "
                                       f"{list(features.shape)}, not [{rows}, {len(names)}] of {total} rows.")
                if copying is not None:
                    copying.result()
                copying = helper.submit(store, offset, features, page_labels)
                if ids is not None:
                    ids.extend(result.get("ids", []))
                bar.update(rows)
                if not asked:
                    break
                result, buffers = client.wait(asked.popleft(), with_buffers=True)
            copying.result()
        finally:
            bar.close()
            for request_id in asked:  # after an error: read the replies still coming, so none is left behind
                try:
                    client.wait(request_id, timeout=30)
                except Exception:  # noqa: BLE001 - the error already raised is the one to report
                    pass
    del buffers
    return _frame_of(client, result, dataset, names, storage, labels, ids)


def _text_columns(client: "Client", dataset: str, names: Sequence[str]) -> list[dict[str, Any]] | None:
    """The dataset's schema (``columns`` of ``dataset/describe``) when it has a text column."""
    if not any("=" in n for n in names):  # one-hot features are named column=level
        return None
    described = client.call("dataset/describe", {"dataset": dataset})
    return described.get("columns")


def _decode_one_hot(block: np.ndarray, levels: Sequence[str]) -> pd.Categorical | None:
    """The level of each row from its one-hot features, or None when they are not one-hot."""
    if not ((block == 0) | (block == 1)).all():
        return None
    hits = block.sum(axis=0)
    if (hits > 1).any():
        return None
    codes = np.where(hits == 1, block.argmax(axis=0), -1)
    return pd.Categorical.from_codes(codes, categories=list(levels))


def _frame_of(client: "Client", result: Mapping[str, Any], dataset: str, names: list[str], storage: np.ndarray,
              labels: np.ndarray, ids: list[str] | None) -> pd.DataFrame:
    position = {n: i for i, n in enumerate(names)}
    data: dict[str, Any] = {}
    decoded: set[int] = set()
    for column in _text_columns(client, dataset, names) or []:
        levels = column.get("levels")
        if not levels:
            continue
        indices = [position.get(f"{column['name']}={level}") for level in levels]
        if None in indices:
            continue
        values = _decode_one_hot(storage[indices], levels)
        if values is not None:
            data[column["name"]] = (indices[0], values)
            decoded.update(indices)
    columns: dict[str, Any] = {}
    for i, name in enumerate(names):
        if i not in decoded:
            columns[name] = storage[i]
        else:
            for text_name, (first, values) in data.items():
                if first == i:
                    columns[text_name] = values
    classes = [str(c) for c in result["classes"]]
    integers = _canonical_integers(classes)
    label_name = str(result.get("label", DEFAULT_LABEL))
    columns[label_name] = integers[labels] if integers is not None else pd.Categorical.from_codes(labels, classes)
    if ids is not None:
        as_integers = _canonical_integers(ids)
        index = pd.Index(as_integers if as_integers is not None else ids)
    else:
        index = pd.RangeIndex(len(labels))
    frame = pd.DataFrame(columns, index=index, copy=False)
    frame.attrs.update(dataset=result.get("dataset", dataset), classes=classes,
                       positive=result.get("positive"), label=label_name)
    return frame


# -- predict ------------------------------------------------------------------------------------

def _model_schema(client: "Client", model: str) -> dict[str, Any]:
    return client.call("model/describe", {"model": model})


def _predict_matrix(client: "Client", model: str, columns: _Columns) -> tuple[list[str], _Matrix]:
    """The matrix to send and its column names: text columns one-hot encoded as the model's."""
    if columns.block is not None or not any(isinstance(v, _Text) for v in columns.values):
        return columns.names, _Matrix(columns)
    described = _model_schema(client, model)
    levels_of = {c["name"]: c["levels"] for c in described.get("columns") or [] if c.get("levels")}
    names: list[str] = []
    parts: list[np.ndarray] = []
    for name, values in zip(columns.names, columns.values):
        if not isinstance(values, _Text):
            names.append(name)
            parts.append(np.asarray(values, dtype=FLOAT32)[None, :])
            continue
        if name not in levels_of:
            raise ValueError(f"Column {name!r} is text, but model {model!r} has no text column {name!r} "
                             f"(its text columns: {sorted(levels_of) or 'none'}).")
        levels = levels_of[name]
        position = {level: j for j, level in enumerate(levels)}
        remap = np.array([position.get(c, -2) for c in values.categories] + [-1], dtype=np.int64)
        codes = remap[values.codes]
        if (codes == -1).any():
            row = int(np.argmax(codes == -1))
            raise ValueError(f"Column {name!r} has no value in {columns.row_name(row)}: fill or drop missing values first.")
        if (codes == -2).any():
            unseen = sorted({values.categories[c] for c in np.unique(values.codes[codes == -2])})
            count = int((codes == -2).sum())
            raise ValueError(f"Column {name!r} holds levels model {model!r} never saw in training: "
                             f"{_shown(unseen)} ({count:,} rows); its levels are {_shown(levels)}.")
        one_hot = np.zeros((len(levels), columns.rows), dtype=FLOAT32)
        one_hot[codes, np.arange(columns.rows)] = 1
        names.extend(f"{name}={level}" for level in levels)
        parts.append(one_hot)
    encoded = _Columns(names, [], columns.rows, block=np.concatenate(parts).T, origin=columns.origin)
    return names, _Matrix(encoded)


def predict_matrix(client: "Client", model: str, X: Any, *, columns: Sequence[str] | None = None,
                   threshold: float | None = None, prior_correction: bool = False) -> dict[str, Any]:
    """Score ``X`` with ``model`` (``model/predict`` with a features buffer) and return
    ``{classes, probabilities (rows × classes float32), labels (int32 class indices), threshold,
    warnings}``.

    ``X`` is a pandas or polars DataFrame, a pyarrow Table or a 2-D numpy array. Its columns are
    matched to the model's features by name (the daemon reorders them with a warning, and refuses
    missing or extra ones naming them); ``columns`` names them instead. A numpy array without
    ``columns`` is taken to hold the model's features in the model's order. Text columns are
    one-hot encoded with the model's levels (a level it never saw is refused). Large inputs go in
    several requests of about 16 MiB.

    A pandas index other than the default ``0…n-1`` range comes back as ``ids`` (the index's
    values, one per row), as :func:`put_dataset` sends such an index as the dataset's ids.
    """
    frame = _frame(X)
    if isinstance(frame, np.ndarray) and columns is None:
        frame_width = frame.shape[1] if frame.ndim == 2 else None
        names = list(_model_schema(client, model)["feature_names"])
        if frame_width is not None and frame_width != len(names):
            raise ValueError(f"X has {frame_width} columns but model {model!r} has {len(names)} features "
                             f"({_shown(names)}); pass columns= to name X's columns.")
        columns = names
    found = _columns_of(frame, columns)
    if found.rows == 0:
        raise ValueError("X has no rows.")
    names, matrix = _predict_matrix(client, model, found)
    per_chunk = _rows_per_chunk(len(names), DEFAULT_CHUNK_BYTES, 0, client)
    base: dict[str, Any] = {"model": model, "columns": names, "features": {"buffer": 0}}
    if threshold is not None:
        base["threshold"] = threshold
    if prior_correction:
        base["prior_correction"] = True
    probabilities: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    warnings: list[Any] = []
    result: dict[str, Any] = {}
    for start in range(0, found.rows, per_chunk):
        stop = min(found.rows, start + per_chunk)
        result, buffers = client.call("model/predict", dict(base, count=stop - start),
                                      buffers=[matrix.chunk(start, stop)], with_buffers=True)
        page_probabilities, page_labels = _reply_arrays(result, buffers, [("probabilities", FLOAT32),
                                                                          ("labels", INT32)])
        probabilities.append(page_probabilities.copy())  # off the received frame: writable, its own memory
        labels.append(page_labels.copy())
        warnings.extend(w for w in result.get("warnings", []) if w not in warnings)
    predictions = {
        "classes": list(result["classes"]),
        "probabilities": probabilities[0] if len(probabilities) == 1 else np.concatenate(probabilities),
        "labels": labels[0] if len(labels) == 1 else np.concatenate(labels),
        "threshold": result.get("threshold"),
        "warnings": warnings,
    }
    if found.index is not None:
        predictions["ids"] = found.index.tolist()
    return predictions
