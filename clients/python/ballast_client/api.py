"""The daemon's methods as typed Python methods, in namespaces named as the protocol:
``client.dataset.load(...)`` is ``dataset/load``, ``client.run.list(...)`` is ``run/list``.

Each keyword parameter is the protocol's param of that name (protocol/README.md, section 7, and
protocol/schema/<method>.params.json). A parameter left at None is not sent, so the daemon's
default applies: the defaults the docstrings give are the daemon's. Two keywords are the
client's own: ``timeout`` (seconds; None waits as long as the daemon lives) and, for the jobs,
``progress`` (a live ``tqdm`` bar; True by default). Results are objects of
:mod:`ballast_client.results`.

Interrupting a call (Ctrl-C, Jupyter's interrupt) cancels its request and raises
:class:`~ballast_client.interrupts.Interrupted` with the daemon's partial result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from .results import (Comparison, DatasetDescription, DatasetHead, DatasetList, DatasetSummary, Folds, MetricsReport,
                      ModelInfo, ModelList, Predictions, Result, RunComparison, RunDescription, RunEvents, RunList,
                      Split, Sweep, TrainResult, TuneResult, Weights)
from .interrupts import Interrupted
from .runs import iso_time, run_ids

if TYPE_CHECKING:
    from .client import Client

__all__ = ["DatasetAPI", "WeightsAPI", "ModelAPI", "ExperimentAPI", "RunAPI", "CLIENT_OPTIONS"]

#: keyword parameters of the typed methods that are the client's, not the protocol's
CLIENT_OPTIONS = frozenset({"timeout", "progress"})


def _params(**values: Any) -> dict[str, Any]:
    """The params to send: those given (not None)."""
    return {name: value for name, value in values.items() if value is not None}


def _names(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


class _Namespace:
    def __init__(self, client: "Client"):
        self._client = client

    def __repr__(self) -> str:
        methods = [name for name in dir(self) if not name.startswith("_")]
        return f"<{type(self).__name__}: {', '.join(methods)}>"

    def _call(self, method: str, params: dict[str, Any], *, timeout: float | None, progress: bool = False,
              buffers: list | None = None, partial: type[Result] = Result) -> Any:
        """``call`` with, for a job, a live progress bar fed by its ``$/progress``; an interrupted
        job's partial result reads as ``partial`` (a result class) does."""
        extra: dict[str, Any] = {}
        if buffers:
            extra["buffers"] = buffers  # binary frames (ballast_client.data's `call`)
        try:
            if not progress:
                return self._client.call(method, params, timeout, **extra)
            from .progress import ProgressBar

            with ProgressBar(method) as bar:
                return self._client.call(method, params, timeout, on_progress=bar, **extra)
        except Interrupted as interrupted:
            if isinstance(interrupted.partial, dict):
                interrupted.partial = partial(interrupted.partial)
            raise


def _data():
    from . import data  # pandas and numpy in and out: imported when first used

    return data


class DatasetAPI(_Namespace):
    """``dataset/*``."""

    def load(self, path: str, *, name: str | None = None, label: str | int | None = None,
             positive: str | None = None, header: bool | str | None = None, delimiter: str | None = None,
             missing: str | None = None, max_levels: int | None = None, on_bad_lines: str | None = None,
             encoding: str | None = None, decimal: str | None = None, max_classes: int | None = None,
             columns: Sequence[Any] | None = None, ignore: Sequence[str] | None = None, id: str | int | None = None,
             schema: str | None = None, unseen_levels: str | None = None, keep: bool | None = None,
             storage: str | None = None,
             timeout: float | None = None, progress: bool = True) -> DatasetSummary:
        """``dataset/load``: read a CSV file (on the daemon's machine) into a named dataset.

        ``path`` is absolute or relative to the daemon's working directory. ``name`` defaults to
        the file name without extension; ``label`` is the label column (name or 0-based index;
        default the last column); ``positive`` the rare class (default the minority class);
        ``header`` (``"auto"`` default, ``"present"``, ``"absent"``), ``delimiter`` (``"auto"``
        default, ``","``, ``";"``, ``"|"``, ``"tab"``), ``missing`` (``"error"`` default,
        ``"drop_rows"``, ``"impute_mean"``), ``max_levels`` (default 32), ``on_bad_lines``
        (``"error"`` default or ``"skip"``), ``encoding`` (``"auto"`` default, ``"utf-8"``,
        ``"latin-1"``, ``"cp1252"``), ``decimal`` (``"."`` default, ``","``, ``"auto"``),
        ``max_classes`` (default 1000), ``columns`` / ``ignore`` (the only feature columns /
        columns not read), ``id`` (a column that identifies rows), ``schema`` (a dataset or model
        whose columns the file must have), ``unseen_levels`` (with ``schema``: ``"error"`` default
        or ``"zeros"``), ``keep`` (default true: kept in the state directory), ``storage``
        (``"memory"`` default, or ``"disk"``: the file is streamed into a row file in the daemon's
        spill folder and its features mapped from there, so a file larger than memory loads;
        numeric features only, no ``schema``, no ``missing="impute_mean"``; a disk dataset does
        not survive a restart). Returns the summary (``rows``, ``classes``, ``imbalance_ratio``,
        ``storage``, ``disk_bytes`` for disk, …) with ``dropped_rows``, ``warnings``, ``seconds``.
        """
        params = _params(path=path, name=name, label=label, positive=positive, header=header, delimiter=delimiter,
                         missing=missing, max_levels=max_levels, on_bad_lines=on_bad_lines, encoding=encoding,
                         decimal=decimal, max_classes=max_classes, columns=columns, ignore=ignore, id=id,
                         schema=schema, unseen_levels=unseen_levels, keep=keep, storage=storage)
        return DatasetSummary(self._call("dataset/load", params, timeout=timeout, progress=progress))

    def generate(self, *, preset: str | None = None, name: str | None = None, seed: int | None = None,
                 rows: int | None = None, features: int | None = None, informative: int | None = None,
                 positive_rate: float | None = None, class_weights: Sequence[float] | None = None,
                 separation: float | None = None, noise: float | None = None, keep: bool | None = None,
                 timeout: float | None = None) -> DatasetSummary:
        """``dataset/generate``: a synthetic dataset from a ``preset`` (``"fraud"``, ``"mild_imbalance"``,
        ``"balanced"``, ``"multiclass"``) and/or overrides: ``rows``, ``features``, ``informative``,
        ``positive_rate`` (binary) or ``class_weights`` (proportions per class), ``separation``,
        ``noise`` (fraction of rare labels swapped, below 0.5), ``seed`` (default 0). ``name``
        defaults to the preset, or ``"synthetic"``. ``keep`` as in :meth:`load`."""
        params = _params(preset=preset, name=name, seed=seed, rows=rows, features=features, informative=informative,
                         positive_rate=positive_rate, class_weights=class_weights, separation=separation,
                         noise=noise, keep=keep)
        return DatasetSummary(self._call("dataset/generate", params, timeout=timeout))

    def put(self, data: Any, y: Any = None, *, name: str, label: str | None = None, ids: Any = None,
            positive: str | None = None, keep: bool | None = None, chunk_bytes: int = 16 << 20,
            progress: bool = False) -> DatasetSummary:
        """``dataset/put``: upload a table from Python as a named dataset (sent as binary frames,
        in chunks of about ``chunk_bytes``).

        ``data``: a pandas or polars DataFrame (the label column named by ``label``, unless ``y``
        is given; text columns are sent as levels), or a 2-D array of numbers with ``y`` the labels.
        ``ids``: a column name or one id per row; ``positive``: the rare class's label; ``keep`` as
        in :meth:`load`; ``progress``: a bar over the chunks. Returns the dataset summary, as
        :meth:`load` does (see ``ballast_client.data.put_dataset``)."""
        summary = _data().put_dataset(self._client, data, y, name=name, label=label, ids=ids, positive=positive,
                                      keep=keep, chunk_bytes=chunk_bytes, progress=progress)
        return DatasetSummary(summary)

    def get(self, dataset: str, *, progress: bool = False):
        """``dataset/get``: a dataset's rows as a ``pandas.DataFrame`` (its encoded features, the
        label column, ids as the index when it has them), fetched in chunks
        (see ``ballast_client.data.get_dataset``)."""
        return _data().get_dataset(self._client, dataset, progress=progress)

    def describe(self, dataset: str, *, timeout: float | None = None) -> DatasetDescription:
        """``dataset/describe``: the summary, ``feature_stats`` (``to_pandas()``), ``columns``,
        ``origin`` (how it was made) and ``fingerprint``."""
        return DatasetDescription(self._call("dataset/describe", _params(dataset=dataset), timeout=timeout))

    def head(self, dataset: str, *, rows: int | None = None, offset: int | None = None,
             timeout: float | None = None) -> DatasetHead:
        """``dataset/head``: ``rows`` rows (default 10) from ``offset`` (default 0), decoded as
        loaded (``to_pandas()``: one column per feature, the label, the id)."""
        params = _params(dataset=dataset, rows=rows, offset=offset)
        return DatasetHead(self._call("dataset/head", params, timeout=timeout))

    def list(self, *, timeout: float | None = None) -> DatasetList:
        """``dataset/list``: every dataset's summary (``to_pandas()``), ``bytes_used``,
        ``memory_budget``, ``unavailable``."""
        return DatasetList(self._call("dataset/list", {}, timeout=timeout))

    def split(self, dataset: str, *, test: float | None = None, validation: float | None = None,
              seed: int | None = None, stratify: bool | str | None = None, prefix: str | None = None,
              keep: bool | None = None, timeout: float | None = None) -> Split:
        """``dataset/split``: ``<prefix>.train``, ``.validation`` (when ``validation`` > 0) and
        ``.test`` datasets (parts of size 0 are not made). ``test`` default 0.3, ``validation``
        default 0, ``stratify`` (only true is accepted), ``prefix`` default the dataset's name."""
        params = _params(dataset=dataset, test=test, validation=validation, seed=seed, stratify=stratify,
                         prefix=prefix, keep=keep)
        return Split(self._call("dataset/split", params, timeout=timeout))

    def kfold(self, dataset: str, *, folds: int | None = None, seed: int | None = None,
              materialize: bool | None = None, keep: bool | None = None, timeout: float | None = None) -> Folds:
        """``dataset/kfold``: stratified folds (``folds`` default 5, at most the smallest class's
        count); with ``materialize`` each
        fold's train and test datasets are made (``<dataset>.fold<i>.train`` / ``.test``)."""
        params = _params(dataset=dataset, folds=folds, seed=seed, materialize=materialize, keep=keep)
        return Folds(self._call("dataset/kfold", params, timeout=timeout))

    def resample(self, dataset: str, method: str, *, ratio: float | None = None, k: int | None = None,
                 seed: int | None = None, name: str | None = None, keep: bool | None = None,
                 timeout: float | None = None) -> DatasetSummary:
        """``dataset/resample``: ``method`` ``"over"``, ``"under"`` or ``"smote"`` to ``ratio``
        (minority : majority, default 1), SMOTE with ``k`` neighbours (default 5); the result is
        ``name`` (default ``<dataset>.<method>``)."""
        params = _params(dataset=dataset, method=method, ratio=ratio, k=k, seed=seed, name=name, keep=keep)
        return DatasetSummary(self._call("dataset/resample", params, timeout=timeout))

    def standardize(self, fit: str, *, apply: Sequence[str] | None = None, suffix: str | None = None,
                    in_place: bool | None = None, keep: bool | None = None, timeout: float | None = None) -> Result:
        """``dataset/standardize``: learn each feature's mean and scale on ``fit`` and apply them to
        the datasets in ``apply`` (default ``[fit]``), written as ``<name><suffix>`` (``suffix``
        default ``".std"``) or ``in_place`` (default false). Returns ``mean``, ``scale``,
        ``outputs {applied: written}``, ``warnings``."""
        params = _params(fit=fit, apply=_names(apply), suffix=suffix, in_place=in_place, keep=keep)
        return Result(self._call("dataset/standardize", params, timeout=timeout))

    def drop(self, dataset: str, *, timeout: float | None = None) -> Result:
        """``dataset/drop``: forget a dataset (and its kept files): ``{dropped, bytes_freed}``."""
        return Result(self._call("dataset/drop", _params(dataset=dataset), timeout=timeout))


class WeightsAPI(_Namespace):
    """``weights/compute``."""

    def compute(self, dataset: str, *, scheme: str | None = None, beta: float | None = None, w: float | None = None,
                weights: dict[str, float] | None = None, cost: Sequence[Sequence[float]] | None = None,
                timeout: float | None = None) -> Weights:
        """``weights/compute``: class weights for ``dataset`` by ``scheme``: ``"inverse"`` (default,
        the seed's rule), ``"balanced"`` (scikit-learn's), ``"inverse_sqrt"``, ``"effective_number"``
        with ``beta`` (default 0.999), ``"binary"`` with ``w`` (the positive class's weight),
        ``"custom"`` with ``weights`` (label → weight), ``"cost"`` with a ``cost`` matrix (K×K).
        Give only the parameter the scheme takes. ``to_pandas()``: one row per class (``count``,
        ``weight``); ``pos_weight`` and ``sklearn_class_weight`` for other libraries."""
        params = _params(dataset=dataset, scheme=scheme, beta=beta, w=w, weights=weights, cost=cost)
        return Weights(self._call("weights/compute", params, timeout=timeout))


class ModelAPI(_Namespace):
    """``model/*``."""

    def train(self, dataset: str, *, validation: str | None = None, name: str | None = None,
              model: dict | str | None = None, loss: dict | str | None = None, optimizer: dict | str | None = None,
              l2: float | None = None, reduction: str | None = None, seed: int | None = None,
              early_stopping: dict | None = None, threshold: float | str | None = None,
              resample: dict | str | None = None, sample_weight: Any = None, keep: bool | None = None,
              engine: str | None = None, source: dict | str | None = None,
              timeout: float | None = None, progress: bool = True) -> TrainResult:
        """``model/train``: train a model on ``dataset`` (a job; the bar shows the loss and, with
        ``validation``, the validation F1).

        ``model`` (``{"type": "logistic"}`` for binary data, ``"softmax"``, or ``{"type": "mlp",
        "hidden": [16]}``), ``loss`` (``{"type": "ce"}`` default, ``"wce"`` with ``weights`` as
        ``weights/compute`` takes them, default the seed's ``inverse``; ``"focal"`` with ``gamma``
        default 2 and ``alpha`` default 0.25), ``optimizer`` (default ``lbfgs`` for linear models,
        ``adam`` for ``mlp``; ``{"type": "adam", "lr": 1e-3, "epochs": 20, "batch_size": 256}``,
        ``"sgd"``), ``l2`` (default: scikit-learn's C = 1), ``reduction`` (``"mean"`` default or
        ``"sum"``), ``seed``, ``early_stopping`` (``{metric?, patience?, min_delta?}``: default
        ``pr_auc``, 5; needs ``validation``), ``threshold`` (``"standard"`` default, a number, or
        ``"best_f1"`` on ``validation``), ``resample`` (``{"method": "over" | "under" | "smote",
        "ratio": 1, "k": 5}``, or the method's name alone: the training data resampled before
        training, seeded by ``seed``), ``name`` (default ``m1``, ``m2``, …), ``sample_weight``
        (one weight per row of ``dataset``, any 1-D array-like: sent as a float32 binary frame),
        ``keep`` (default true: kept in the state directory), ``engine`` (``"local"`` default, or
        ``"spark"``: a logistic or softmax model with CE or WCE fitted by Spark through the daemon's
        Spark sidecar, then kept and used as a local one; ``client.capabilities["engines"]`` says
        whether the daemon has it), ``source`` (spark only: the file Spark reads, a path or
        ``{"path": ..., "format": "csv" | "parquet"}``; default the CSV the dataset was loaded from).
        Returns the model's name, the run, ``steps``, ``stop_reason``, ``metrics.train`` and
        ``metrics.validation`` (:class:`~ballast_client.results.MetricsReport`), …
        """
        params = _params(dataset=dataset, validation=validation, name=name, model=_typed(model), loss=_typed(loss),
                         optimizer=_typed(optimizer), l2=l2, reduction=reduction, seed=seed,
                         early_stopping=early_stopping, threshold=threshold, resample=_resample(resample), keep=keep,
                         engine=engine, source={"path": source} if isinstance(source, str) else source)
        buffers = None
        if sample_weight is not None:
            import numpy as np

            weights = np.ascontiguousarray(np.asarray(sample_weight, dtype="<f4").reshape(-1))
            params["sample_weight"] = {"buffer": 0}
            buffers = [weights]
        return TrainResult(self._call("model/train", params, timeout=timeout, progress=progress, buffers=buffers))

    def evaluate(self, model: str, dataset: str, *, threshold: float | str | None = None,
                 validation: str | None = None, prior_correction: bool | None = None, curves: bool | None = None,
                 unseen_levels: str | None = None, timeout: float | None = None) -> MetricsReport:
        """``model/evaluate``: the metrics report of ``model`` on ``dataset`` (``to_pandas()``: per
        class; ``confusion_to_pandas()``). ``threshold``: the one chosen at training by default, a
        number, or ``"best_f1"`` tuned on ``validation``; ``prior_correction`` (default false)
        corrects for a training set resampled to other class priors; ``curves`` (default true)
        adds the PR and ROC curves (``report.curves.to_pandas()``); ``unseen_levels``
        (``"error"`` default or ``"zeros"``)."""
        params = _params(model=model, dataset=dataset, threshold=threshold, validation=validation,
                         prior_correction=prior_correction, curves=curves, unseen_levels=unseen_levels)
        return MetricsReport(self._call("model/evaluate", params, timeout=timeout))

    def predict(self, model: str, X: Any = None, *, dataset: str | None = None, rows: Sequence[Any] | None = None,
                columns: Sequence[str] | None = None, threshold: float | str | None = None,
                prior_correction: bool | None = None, unseen_levels: str | None = None,
                timeout: float | None = None, y: Any = None) -> Predictions:
        """``model/predict``: class probabilities and predicted labels.

        Give exactly one of: ``X`` (a pandas or polars DataFrame, or a 2-D array with ``columns``
        naming its columns: sent as a binary float32 matrix, matched to the model's features by
        name), ``dataset`` (a dataset's rows: the result has ``ids`` and ``truth`` too), or ``rows``
        (JSON rows: lists of values in the model's column order, or objects by column name).
        ``threshold`` (the model's own by default), ``prior_correction`` (default false),
        ``unseen_levels`` (``"error"`` default or ``"zeros"``). ``to_pandas()``: ``id``, ``truth``,
        ``P(<class>)`` per class, ``predicted``.

        With ``X``: a DataFrame's index (other than the default ``0…n-1``) comes back as ``ids``,
        and ``y`` (the true labels, one per row, when you know them) as ``truth``, written as the
        daemon writes labels (``1``, not ``1.0``) so that it compares with ``labels``."""
        if y is not None and X is None:
            raise ValueError("y gives the true labels of X's rows; a dataset's truth comes from the dataset.")
        if X is not None:
            if dataset is not None or rows is not None:
                raise ValueError("Give one of X, dataset or rows to predict, not several.")
            if unseen_levels is not None or timeout is not None:
                raise ValueError("unseen_levels and timeout apply to dataset= and rows=; X is sent as numbers.")
            data = _data()
            truth = None
            if y is not None:
                series = data._one_dimensional(y, "y")
                truth = [data._label_text(value) for value in series.tolist()]
            predicted = data.predict_matrix(self._client, model, X, columns=columns, threshold=threshold,
                                            prior_correction=bool(prior_correction))
            if truth is not None:
                if len(truth) != len(predicted["labels"]):
                    raise ValueError(f"y has {len(truth):,} labels for {len(predicted['labels']):,} rows of X.")
                predicted["truth"] = truth
            return Predictions(predicted)
        if columns is not None:
            raise ValueError("columns names the columns of X; rows and datasets carry their own.")
        params = _params(model=model, dataset=dataset, rows=rows, threshold=threshold,
                         prior_correction=prior_correction, unseen_levels=unseen_levels)
        return Predictions(self._call("model/predict", params, timeout=timeout))

    def describe(self, model: str, *, timeout: float | None = None) -> ModelInfo:
        """``model/describe``: the summary, ``feature_names``, ``parameters``, ``config``, ``columns``."""
        return ModelInfo(self._call("model/describe", _params(model=model), timeout=timeout))

    def list(self, *, timeout: float | None = None) -> ModelList:
        """``model/list``: every model's summary (``to_pandas()``) and ``unavailable``."""
        return ModelList(self._call("model/list", {}, timeout=timeout))

    def save(self, model: str, path: str | None = None, *, timeout: float | None = None) -> Result:
        """``model/save``: write the model file to ``path`` on the daemon's machine
        (``{path, bytes}``), or without ``path`` return it (``{file}``, for :meth:`load`'s ``file``)."""
        return Result(self._call("model/save", _params(model=model, path=path), timeout=timeout))

    def load(self, path: str | None = None, *, file: dict | None = None, name: str | None = None,
             dataset: str | None = None, timeout: float | None = None) -> ModelInfo:
        """``model/load``: read a model file from ``path`` (on the daemon's machine) or take it as
        ``file`` (what :meth:`save` returned without a path): exactly one of them. ``name``
        defaults to the file's; ``dataset`` checks the model's features against a dataset's."""
        if file is not None and not isinstance(file, dict):
            raise TypeError("file is the model file object that model.save returned without a path.")
        if isinstance(file, dict) and set(file) == {"file"}:
            file = file["file"]  # model.save's whole result
        params = _params(path=path, file=dict(file) if file is not None else None, name=name, dataset=dataset)
        return ModelInfo(self._call("model/load", params, timeout=timeout))

    def drop(self, model: str, *, timeout: float | None = None) -> Result:
        """``model/drop``: forget a model (and its kept file): ``{dropped}``."""
        return Result(self._call("model/drop", _params(model=model), timeout=timeout))


def _typed(value: dict | str | None) -> dict | None:
    """``"mlp"`` as ``{"type": "mlp"}``: a model, loss or optimizer named without options."""
    return {"type": value} if isinstance(value, str) else value


def _resample(value: dict | str | None) -> dict | None:
    """``"smote"`` as ``{"method": "smote"}``: a resampling named without options."""
    return {"method": value} if isinstance(value, str) else value


def _candidates(value: str | dict | Iterable[str | dict] | None) -> list | None:
    """Candidates as the protocol takes them: names of default candidates and CANDIDATE objects
    (``{"name", "loss", "resample", "model"}``), one alone or several."""
    if value is None:
        return None
    if isinstance(value, (str, dict)):
        return [value]
    return list(value)


class ExperimentAPI(_Namespace):
    """``experiment/*``: the seed's experiments, and the tuning that chooses among them, in one
    request each."""

    def compare(self, train: str, test: str, *, validation: str | None = None, arms: Sequence[str] | None = None,
                model: dict | str | None = None, optimizer: dict | str | None = None, l2: float | None = None,
                seed: int | None = None, timeout: float | None = None, progress: bool = True) -> Comparison:
        """``experiment/compare``: train each arm on ``train`` and score it on ``test`` (a job).

        ``arms`` default: ``ce``, ``wce_inverse``, ``wce_balanced``, ``focal``, ``over``, ``under``,
        ``smote``, ``ce_best_f1`` (skipped without ``validation``). ``model``, ``optimizer``,
        ``l2`` and ``seed`` as in :meth:`ModelAPI.train`. ``to_pandas()``: one row per arm
        (recall, precision, f1, pr_auc, roc_auc, mcc, threshold, seconds)."""
        params = _params(train=train, test=test, validation=validation, arms=_names(arms), model=_typed(model),
                         optimizer=_typed(optimizer), l2=l2, seed=seed)
        return Comparison(self._call("experiment/compare", params, timeout=timeout, progress=progress,
                                     partial=Comparison))

    def sweep(self, dataset: str, param: str, grid: Sequence[float], *, folds: int | None = None,
              metric: str | None = None, model: dict | str | None = None, optimizer: dict | str | None = None,
              l2: float | None = None, seed: int | None = None, engine: str | None = None,
              source: dict | str | None = None, timeout: float | None = None,
              progress: bool = True) -> Sweep:
        """``experiment/sweep``: cross-validate ``param`` (``"w"``, ``"beta"`` or ``"gamma"``) over
        ``grid`` (at most 1,000 values) with ``folds`` stratified folds (default 5; fewer, repeated,
        when a class has fewer rows: the result's ``folds`` says what ran), scored by ``metric``
        (default ``"f1"``). ``to_pandas()``: one row per value (mean, sd, folds: every repeat's
        folds' scores); ``best``: the value with the highest mean.

        ``engine`` (``"local"`` default, or ``"spark"``: each fold's logistic or softmax fit runs on
        Spark through the daemon's sidecar, its folds assigned inside Spark; ``param`` ``"w"`` or
        ``"beta"``, any ``metric`` but ``"pr_auc"`` and ``"roc_auc"``), ``source`` (spark only: the
        file Spark reads, a path or ``{"path": ..., "format": "csv" | "parquet"}``; default the CSV
        the dataset was loaded from), as ``model.train`` takes them."""
        params = _params(dataset=dataset, param=param, grid=list(grid), folds=folds, metric=metric,
                         model=_typed(model), optimizer=_typed(optimizer), l2=l2, seed=seed, engine=engine,
                         source={"path": source} if isinstance(source, str) else source)
        return Sweep(self._call("experiment/sweep", params, timeout=timeout, progress=progress))

    def tune(self, dataset: str, *, name: str | None = None, candidates: str | dict | Sequence[str | dict] | None = None,
             grid: dict | None = None, include_mlp: bool | None = None, objective: str | dict | None = None,
             calibrate: str | None = None, folds: int | None = None, repeats: int | None = None,
             estimate: str | None = None, holdout: float | None = None, outer_folds: int | None = None,
             model: dict | str | None = None, optimizer: dict | str | None = None, l2: float | None = None,
             seed: int | None = None, keep: bool | None = None, timeout: float | None = None,
             progress: bool = True) -> TuneResult:
        """``experiment/tune``: choose the loss, class weights, resampling and decision threshold
        for ``dataset`` by cross-validation, estimate the winner's performance honestly, and store
        the winner refitted on all of ``dataset`` as model ``name`` (default ``m1``, ``m2``, …).
        A job: the bar counts the fits and names the candidate being cross-validated.

        ``candidates``: default (binary data) ``ce``, ``wce_w0.6``, ``wce_w0.75``, ``wce_w0.9``,
        ``wce_w0.97``, ``wce_balanced``, ``focal_g0.5``, ``focal_g1``, ``focal_g2``, ``over``,
        ``under``, ``smote`` (multiclass: ``ce``, ``wce_balanced``, ``wce_inverse_sqrt``,
        ``focal_g1``, ``focal_g2``); names of those (and ``"mlp"``) or your own
        ``{"name", "loss", "resample", "model"}``. ``grid`` (``{"w": [...], "gamma": [...]}``)
        replaces the default w or γ list; ``include_mlp`` (default false) adds ``mlp``.
        ``objective``: ``"f1"`` (default), ``"balanced_accuracy"``, ``"mcc"``, or an object:
        ``{"type": "fbeta", "beta": 2}``, ``{"type": "recall_at_precision", "precision": 0.9}``,
        ``{"type": "precision_at_recall", "recall": 0.8}``, ``{"type": "cost", "fp": 1, "fn": 10}``
        or ``{"type": "cost", "matrix": [[...], ...]}`` (K×K, [truth][predicted]).
        ``calibrate``: ``"none"`` (default), ``"prior"``, ``"platt"``, ``"isotonic"``.
        ``folds`` (default 5; fewer when a class has fewer rows), ``repeats`` (default: 1, 3 or 5
        by the smallest class's size). ``estimate``: ``"nested"`` (default; ``outer_folds``,
        default 3), ``"holdout"`` (a ``holdout`` fraction, default 0.2; implied by ``holdout``) or
        ``"none"``. The winner is the first candidate within one standard error of the best mean.
        ``model``, ``optimizer``, ``l2``, ``seed`` and ``keep`` as in :meth:`ModelAPI.train`.

        Returns a :class:`~ballast_client.results.TuneResult`: ``leaderboard`` (a DataFrame, best
        first), ``winner`` (with ``why`` and ``config``, params for :meth:`ModelAPI.train`),
        ``estimate``, ``calibration``, ``model`` (the stored model's name), ``folds``,
        ``skipped``, ``notes``, ``raw``.
        """
        params = _params(dataset=dataset, name=name, candidates=_candidates(candidates), grid=grid,
                         include_mlp=include_mlp, objective=objective, calibrate=calibrate, folds=folds,
                         repeats=repeats, estimate=estimate, holdout=holdout, outer_folds=outer_folds,
                         model=_typed(model), optimizer=_typed(optimizer), l2=l2, seed=seed, keep=keep)
        return TuneResult(self._call("experiment/tune", params, timeout=timeout, progress=progress))


class RunAPI(_Namespace):
    """``run/*``: the daemon's record of every training and experiment."""

    def list(self, *, dataset: str | None = None, model: str | None = None, model_type: str | None = None,
             loss: str | None = None, status: str | None = None, method: str | None = None, since: Any = None,
             until: Any = None, sort_by: str | None = None, order: str | None = None, limit: int | None = None,
             offset: int | None = None, timeout: float | None = None) -> RunList:
        """``run/list``: one page of runs (``runs``, ``total``, ``next_offset``), newest first.

        Filters: ``dataset``, ``model``, ``model_type``, ``loss``, ``status`` (``running``,
        ``completed``, ``failed``, ``cancelled``, ``interrupted``), ``method``, ``since`` / ``until``
        (a ``datetime``, sent as ISO 8601 UTC, or a string); ``sort_by`` (``started`` default,
        ``ended``, ``seconds`` or a metric such as ``validation.f1``), ``order`` (``desc`` default),
        ``limit`` (default 50), ``offset``. ``to_pandas()``: one row per run, metrics as columns.
        :meth:`iter` follows the pages."""
        params = _params(dataset=dataset, model=model, model_type=model_type, loss=loss, status=status, method=method,
                         since=iso_time(since), until=iso_time(until), sort_by=sort_by, order=order, limit=limit,
                         offset=offset)
        return RunList(self._call("run/list", params, timeout=timeout))

    def iter(self, **filters: Any) -> Iterator[Result]:
        """Every run :meth:`list` gives for ``filters`` (its keywords), a page at a time."""
        while True:
            page = self.list(**filters)
            yield from (Result(run) for run in page.get("runs") or [])
            next_offset = page.get("next_offset")
            if next_offset is None or not page.get("runs"):
                return
            filters["offset"] = next_offset

    def describe(self, run: str, *, timeout: float | None = None) -> RunDescription:
        """``run/describe``: ``summary``, ``params`` (as sent), ``config`` (resolved), ``result``,
        ``event_count``."""
        return RunDescription(self._call("run/describe", _params(run=run), timeout=timeout))

    def compare(self, runs: str | Iterable[str], *, metrics: str | Iterable[str] | None = None,
                params: str | Iterable[str] | None = None, timeout: float | None = None) -> RunComparison:
        """``run/compare``: ``rows`` of the runs in the order given, their ``metrics`` (default all)
        and the ``params`` (dotted paths; default those that differ). ``to_pandas()``: one row per
        run, columns ``param.<path>`` and ``metric.<name>``."""
        request = _params(runs=run_ids(runs), metrics=_names(metrics), params=_names(params))
        return RunComparison(self._call("run/compare", request, timeout=timeout))

    def events(self, run: str, *, since_seq: int | None = None, limit: int | None = None,
               timeout: float | None = None) -> RunEvents:
        """``run/events``: the run's records after ``since_seq`` (begin, reports with step, loss
        and validation figures, end), at most ``limit`` (default 10,000); ``next_since_seq`` when
        more follow (:meth:`iter_events` follows them). ``to_pandas()``: one row per record."""
        params = _params(run=run, since_seq=since_seq, limit=limit)
        return RunEvents(self._call("run/events", params, timeout=timeout))

    def iter_events(self, run: str, *, since_seq: int | None = None, limit: int | None = None,
                    timeout: float | None = None) -> Iterator[dict]:
        """Every record of the run after ``since_seq``, a page (``limit`` records) at a time."""
        while True:
            page = self.events(run, since_seq=since_seq, limit=limit, timeout=timeout)
            yield from page.get("events") or []
            since_seq = page.get("next_since_seq")
            if since_seq is None:
                return

    def delete(self, runs: str | Iterable[str], *, timeout: float | None = None) -> Result:
        """``run/delete``: forget finished runs and their events (a running run is refused: cancel
        it first); the models they trained are kept. ``{deleted: [ids]}``."""
        return Result(self._call("run/delete", {"runs": run_ids(runs)}, timeout=timeout))

    def cancel(self, run: str | None = None, *, name: str | None = None, timeout: float | None = None) -> Result:
        """``run/cancel`` on the control socket (answered even while every worker is busy): stop a
        running training or experiment, named by its ``run`` id or by the model ``name`` it
        trains. ``{run, cancelled}``."""
        from .client import CONTROL_TIMEOUT

        return Result(self._client.control("run/cancel", _params(run=run, name=name),
                                           CONTROL_TIMEOUT if timeout is None else timeout))
