"""A scikit-learn classifier that trains in ballastd: :class:`BallastClassifier`.

>>> from ballast_client.estimator import BallastClassifier
>>> clf = BallastClassifier(class_weight="balanced", C=0.5).fit(X, y)
>>> clf.predict_proba(X_new)

The estimator keeps nothing of the daemon in its parameters: ``fit`` uploads ``X`` and ``y`` as a
dataset the daemon does not keep (binary frames, ``dataset/put``), trains a model the daemon does
not keep (``model/train`` with ``keep: false``), fetches the fitted model as its inline model file
(``model/save {model}`` → ``{file}``) and drops the dataset. Predictions send ``X`` as one float32
buffer (``model/predict``). The model file travels with the estimator (``pickle``, ``joblib``,
``copy.deepcopy``), and is loaded again (``model/load {file}``) whenever the daemon it talks to does
not hold the model: after a daemon restart, in another process, or with another connection. A
``keep: false`` model stays in the daemon's memory (counted against its budget) until
``model/drop``, so each estimator holds exactly one, whichever threads use it, and drops it at
refit, garbage collection or interpreter exit (see "connections" below).

Sample weights are sent (a float32 ``sample_weight`` buffer) only when they are not all equal:
under the mean reduction equal weights change nothing but ``l2``, which is worked out here.

**Regularisation.** ``C`` has scikit-learn's meaning. scikit-learn minimises
``C·Σᵢ sᵢ·ℓᵢ + ½‖W‖²`` (sᵢ = class weight × sample weight of row i), and computes it as the mean
``Σᵢ sᵢ·ℓᵢ / Σᵢ sᵢ + ½·(1/(C·Σᵢ sᵢ))·‖W‖²``. The estimator sends Ballast's objective in that same
form: ``reduction: "mean"`` with ``l2 = 1/(C·Σᵢ sᵢ)`` (protocol/README.md, "The objective").
Both forms have the same minimiser; the mean form is chosen because ``tol`` then means what it
means to scikit-learn's lbfgs (a bound on the gradient of the mean objective, independent of the
number of rows), and float32 sums stay of order one at a million rows. Σᵢ sᵢ is worked out here
from the class weights actually used: computed here for ``class_weight``, asked of the daemon
(``weights/compute``) for a Ballast weight scheme.

**scikit-learn's checks.** With L-BFGS (linear models' default) and ``class_weight`` the estimator
passes every check of ``parametrize_with_checks``. Those it cannot pass in other configurations are
listed, each with its reason, by :meth:`BallastClassifier._expected_failed_checks` (pass it as
``expected_failed_checks`` to ``parametrize_with_checks`` or ``check_estimator``):
``check_sample_weight_equivalence_on_dense_data`` with Adam or SGD (mini-batches) or a Ballast
weight scheme (worked out from row counts), and ``check_class_weight_classifiers`` when ``weights``
is set (the check adds ``class_weight``, and class weights given twice are refused).
"""

from __future__ import annotations

import numbers
import os
import uuid
import weakref
from typing import Any

import numpy as np

from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils import check_random_state, compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .client import Client, RPCError
from .estimator_daemon import Call, drop_model, identity, shared_client, unwatch, watch

__all__ = ["BallastClassifier"]

MODELS = ("logistic", "mlp")
LOSSES = ("ce", "wce", "focal")
SOLVERS = ("lbfgs", "adam", "sgd")
NOT_FOUND = -32001
INVALID_PARAMS = -32602
INVALID_DATA = -32010

# -- the estimator --------------------------------------------------------------------------------


class BallastClassifier(ClassifierMixin, BaseEstimator):
    """A classifier trained by ballastd: logistic regression, softmax regression or an MLP, with
    cross-entropy, weighted cross-entropy or focal loss.

    Parameters
    ----------
    model : {"logistic", "mlp"}, default="logistic"
        ``"logistic"`` trains Ballast's ``logistic`` model on two classes and ``softmax`` on more,
        as ``LogisticRegression`` does; ``"mlp"`` a ReLU network with ``hidden`` layers.
    hidden : tuple of int or None, default=None
        Hidden layer sizes of the MLP (None: the daemon's default). Only with ``model="mlp"``.
    loss : {"ce", "wce", "focal"}, default="ce"
        Cross-entropy; weighted cross-entropy (class weights from ``class_weight``, ``weights``, or
        by default Ballast's ``inverse`` scheme); focal loss (Lin et al. 2017), which may also take
        class weights. ``"ce"`` with class weights is weighted cross-entropy.
    class_weight : None, "balanced" or dict, default=None
        scikit-learn's meaning: ``"balanced"`` is ``n / (K·n_c)`` with n and n_c sums of sample
        weights (as ``LogisticRegression`` counts them); a dict maps class labels to weights,
        classes it leaves out weigh 1.
    weights : str, dict or None, default=None
        A Ballast weight scheme instead of ``class_weight``: a scheme name (``"inverse"``,
        ``"balanced"``, ``"inverse_sqrt"``, ``"effective_number"``, …) or the params of
        ``weights/compute`` without ``dataset`` (``{"scheme": "effective_number", "beta": 0.99}``).
    gamma, alpha : float or None, default=None
        Focal loss's γ and α (None: the daemon's defaults, γ 2 and α 0.25). Only with ``loss="focal"``.
    threshold : "standard", float or "best_f1", default="standard"
        The decision threshold on P(``classes_[1]``) of a binary model: 0.5 (``"standard"``), a
        number in (0, 1), or ``"best_f1"``: the threshold that maximises F1 of ``classes_[1]`` on a
        stratified ``validation_fraction`` of the training data, held out from training.
    validation_fraction : float, default=0.2
        The share of rows held out to choose ``threshold="best_f1"`` (unused otherwise).
    C : float, default=1.0
        Inverse regularisation strength, as in ``LogisticRegression`` (see the module docstring for
        how it maps onto Ballast's ``l2``). For the MLP it weighs the L2 penalty on every weight
        the same way.
    solver : {"lbfgs", "adam", "sgd"} or None, default=None
        None: ``lbfgs`` for linear models, ``adam`` for the MLP.
    tol, max_iter : float, int or None, default=None
        L-BFGS stops when the largest gradient component is at most ``tol`` (daemon default 1e-6)
        or after ``max_iter`` iterations (default 1000).
        With ``solver`` ``"adam"`` or ``"sgd"``, ``max_iter`` is the number of epochs (as in
        ``MLPClassifier``) unless ``epochs`` is given, and ``tol`` is refused (they stop after
        their epochs).
    lr, epochs, batch_size : float, int, int or None, default=None
        Adam's and SGD's learning rate, epochs and mini-batch size (daemon defaults).
    random_state : int, RandomState instance or None, default=None
        The training seed: an int is sent as it is (the same seed as the CLI's), otherwise a seed
        is drawn from it. Also splits the rows for ``threshold="best_f1"``.
    connection : Client, str, path or None, default=None
        The daemon: a :class:`ballast_client.Client`, a connection-file path, or None for the
        default connection file. A path or None uses one client per process and daemon, shared by
        every estimator and thread (made on first use with :func:`ballast_client.connect`, which
        starts a daemon if none runs); each estimator's daemon calls take a process-wide lock, so
        threads may fit and predict at once (their calls take turns). A ``Client`` (an initialized
        one) is used as it is by fit and predict, from the thread that calls them (a Client belongs
        to one thread at a time), and by clones; the model is dropped through the process's own
        client of that daemon, so closing your Client never leaves it behind. It is not pickled: a
        pickled copy (and so a ``GridSearchCV(n_jobs=…)`` worker) has the client's connection-file
        path instead, or None when the client was made without a file.

        The estimator holds one model in the daemon (not kept across daemon restarts, counted
        against its memory budget), loaded at fit or at the first predict, and dropped at refit,
        when the estimator is garbage-collected, and at interpreter exit.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    feature_names_in_ : ndarray of str, when ``X`` had string column names
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features), linear models only
    intercept_ : ndarray of shape (1,) or (n_classes,), linear models only
    threshold_ : float or None, the decision threshold of a binary model
    n_iter_ : int, the optimiser's steps (L-BFGS iterations or epochs)
    stop_reason_ : str, why training stopped (``converged``, ``max_iterations``, …)
    run_ : str, the daemon's run that trained the model (``run/describe``, ``run/events``)
    model_file_ : dict, the fitted model as Ballast's model file (version 2)
    """

    def __init__(self, model="logistic", hidden=None, loss="ce", class_weight=None, weights=None,
                 gamma=None, alpha=None, threshold="standard", validation_fraction=0.2, C=1.0,
                 solver=None, tol=None, max_iter=None, lr=None, epochs=None, batch_size=None,
                 random_state=None, connection=None):
        self.model = model
        self.hidden = hidden
        self.loss = loss
        self.class_weight = class_weight
        self.weights = weights
        self.gamma = gamma
        self.alpha = alpha
        self.threshold = threshold
        self.validation_fraction = validation_fraction
        self.C = C
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.random_state = random_state
        self.connection = connection

    # -- scikit-learn's protocol ------------------------------------------------------------------

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags

    def __sklearn_clone__(self):
        """A clone with the same parameters; a ``Client`` connection is shared, not copied (its
        sockets cannot be), as scikit-learn's ``clone`` would otherwise try to deep-copy it."""
        params = {name: clone(value, safe=False) for name, value in self.get_params(deep=False).items()
                  if name != "connection"}
        return type(self)(connection=self.connection, **params)

    def _expected_failed_checks(self) -> dict[str, str]:
        """The checks of scikit-learn's ``parametrize_with_checks`` this estimator cannot pass, each
        with the reason. The tests pass this to the suite as ``expected_failed_checks`` (strictly:
        a listed check that passes fails the suite), so each one runs, none is skipped.

        With L-BFGS (linear models' default) and class_weight (not a Ballast scheme) every check
        passes, the sample-weight one included."""
        failing: dict[str, str] = {}
        if self._solver() != "lbfgs":
            failing["check_sample_weight_equivalence_on_dense_data"] = (
                "Adam and SGD take mini-batches of rows: a row repeated k times is drawn k times per epoch, "
                "in other batches than one row of weight k, so the two fits follow different paths and "
                "differ by more than the check's 1e-7 (scikit-learn lists this check for its own "
                "SGD-trained estimators too)")
        if self._scheme() is not None:
            failing["check_sample_weight_equivalence_on_dense_data"] = "; ".join(filter(None, [
                failing.get("check_sample_weight_equivalence_on_dense_data"),
                "a Ballast weight scheme (weights, or loss='wce' without class_weight) is worked out by the "
                "daemon from the count of rows in each class, without sample weights: repeating a row "
                "changes the counts, weighting it does not, so the two fits use other class weights "
                "(class_weight='balanced' counts sample weights, as scikit-learn does, and passes)"]))
        if self.weights is not None:
            failing["check_class_weight_classifiers"] = (
                "the check sets class_weight on an estimator that already has a Ballast weight scheme in "
                "weights; fit refuses class weights given twice rather than choose one silently")
        return failing

    def _solver(self) -> str:
        return self.solver or ("adam" if self.model == "mlp" else "lbfgs")

    # -- fitting ------------------------------------------------------------------------------------

    _FITTED = ("classes_", "n_features_in_", "feature_names_in_", "coef_", "intercept_", "threshold_", "n_iter_",
               "stop_reason_", "run_", "model_file_", "_labels")

    def __sklearn_is_fitted__(self) -> bool:
        return "model_file_" in self.__dict__

    def fit(self, X, y, sample_weight=None):
        """Train on ``X`` (n_samples × n_features, numeric) and ``y``; ``sample_weight`` multiplies
        each row's loss (with its class weight, as scikit-learn does).

        A refit first forgets the previous fit (and drops its daemon model): a refit that fails or
        is interrupted leaves the estimator unfitted, never the old model under the new data's
        classes."""
        self._unfit()
        try:
            return self._fit(X, y, sample_weight)
        except BaseException:
            self._unfit()
            raise

    def _unfit(self) -> None:
        with Call():
            self._forget_daemon_model()
        for name in self._FITTED:
            self.__dict__.pop(name, None)

    def _fit(self, X, y, sample_weight):
        self._check_params()
        given_weights = sample_weight is not None
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], ensure_min_samples=2)
        check_classification_targets(y)
        features = _as_float32(X)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        if not np.any(sample_weight > 0):
            raise ValueError("Sample weights must not all be zero: no row would count.")
        classes, codes = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(f"BallastClassifier needs samples of at least two classes; y has only one class: {classes[0]!r}.")
        if self.threshold == "best_f1" and len(classes) != 2:
            raise ValueError("threshold='best_f1' needs two classes (it is a threshold on P(classes_[1])); "
                             f"y has {len(classes)}.")
        labels = _wire_labels(classes)
        codes = codes.astype(np.int32)
        train_rows, validation_rows = self._split(codes)
        train_weights = sample_weight[train_rows]
        # Under the mean reduction Σ sᵢℓᵢ / Σ sᵢ, weights that are all equal change nothing (their
        # scale still enters l2, worked out here): they are not sent, so a fit of any size needs no
        # weights frame (one float32 per row passes the daemon's 64 MiB frame limit at 2²⁴ rows).
        uniform = not given_weights or bool(np.all(train_weights == train_weights[0]))
        with Call():
            client = self._client()
            names = _unique("sklearn")
            datasets: list[str] = []
            trained = False
            try:
                self._put(client, datasets, features[train_rows], codes[train_rows], labels, f"{names}.train")
                if validation_rows is not None:
                    self._put(client, datasets, features[validation_rows], codes[validation_rows], labels,
                              f"{names}.validation")
                params = self._train_params(client, datasets, classes, labels, codes[train_rows], train_weights, names)
                buffers = None
                if not uniform:
                    params["sample_weight"] = {"buffer": 0}
                    buffers = [train_weights.astype(np.float32)]
                trained = True  # from here on a model named `names` may exist, even if the call fails
                result = self._daemon_call(client, "model/train", params, buffers=buffers)
                saved = self._daemon_call(client, "model/save", {"model": names})
                self._adopt(client, names, saved["file"], labels)
            except BaseException:
                if trained:
                    drop_model(client.info, names, os.getpid())  # flushed when this call ends
                raise
            finally:
                for dataset in datasets:
                    try:
                        client.call("dataset/drop", {"dataset": dataset})
                    except Exception:  # noqa: BLE001 - best effort: an unkept dataset ends with its daemon
                        pass
        self.classes_ = classes
        self.n_iter_ = int(result.get("steps", 0))
        self.stop_reason_ = result.get("stop_reason")
        self.run_ = result.get("run")
        return self

    def _split(self, codes: np.ndarray) -> tuple[Any, Any]:
        """All rows for training, or (with ``threshold="best_f1"``) a stratified hold-out."""
        if self.threshold != "best_f1":
            return slice(None), None
        from sklearn.model_selection import train_test_split

        rows = np.arange(len(codes))
        try:
            train, validation = train_test_split(rows, test_size=self.validation_fraction, stratify=codes,
                                                 random_state=check_random_state(self.random_state))
        except ValueError as error:
            raise ValueError(f"threshold='best_f1' holds out validation_fraction={self.validation_fraction} "
                             f"of the rows, stratified by class: {error}") from error
        return train, validation

    def _put(self, client: Client, datasets: list[str], features, codes, labels, name) -> None:
        """Upload rows as the dataset ``name``, which the daemon does not keep (``dataset/put``);
        numpy's columns are named ``x0``, ``x1``, … as :meth:`_predict` names them."""
        import pandas as pd

        from . import data

        datasets.append(name)  # for the caller's drop, even when only part of it arrived
        try:
            # A categorical of the class indices: the labels go as their codes, no string per row.
            y = pd.Categorical.from_codes(codes, categories=labels)
            data.put_dataset(client, features, y, name=name,
                             positive=labels[1] if len(labels) == 2 else None, keep=False)
        except RPCError as error:
            raise _translate(error) from error

    def _train_params(self, client, datasets, classes, labels, codes, sample_weight, name) -> dict[str, Any]:
        binary = len(labels) == 2
        model: dict[str, Any] = {"type": "mlp" if self.model == "mlp" else ("logistic" if binary else "softmax")}
        if self.hidden is not None:
            model["hidden"] = [int(size) for size in np.atleast_1d(self.hidden)]

        class_weights = self._class_weights(client, datasets[0], classes, labels, codes, sample_weight)
        loss: dict[str, Any] = {"type": self.loss}
        if class_weights is not None:
            if self.loss == "ce":
                loss["type"] = "wce"  # cross-entropy with class weights is Ballast's weighted CE
            loss["weights"] = self._weights_param(labels, class_weights)
        for field in ("gamma", "alpha"):
            if getattr(self, field) is not None:
                loss[field] = float(getattr(self, field))

        row_weights = sample_weight.astype(np.float64)
        if class_weights is not None:
            row_weights = row_weights * np.asarray(class_weights, dtype=np.float64)[codes]
        total = float(row_weights.sum())
        if not total > 0:
            raise ValueError("The class weights times the sample weights sum to 0: no row would count.")

        params: dict[str, Any] = {
            "dataset": datasets[0], "name": name, "model": model, "loss": loss,
            "l2": 1.0 / (float(self.C) * total), "reduction": "mean",
            "seed": self._seed(), "keep": False,
        }
        optimizer = self._optimizer()
        if optimizer is not None:
            params["optimizer"] = optimizer
        if len(datasets) > 1:
            params["validation"] = datasets[1]
        if self.threshold != "standard":
            params["threshold"] = self.threshold if isinstance(self.threshold, str) else float(self.threshold)
        return params

    def _class_weights(self, client, dataset: str, classes: np.ndarray, labels: list[str], codes: np.ndarray,
                       sample_weight: np.ndarray) -> list[float] | None:
        """The weight of each class index, or None for none (every class weighs 1)."""
        if self.class_weight is not None:
            weight = self.class_weight if self.class_weight == "balanced" else dict(self.class_weight)
            # As LogisticRegression does (scikit-learn ≥ 1.6): "balanced" counts each class's sample weight.
            with np.errstate(divide="ignore"):
                weights = compute_class_weight(weight, classes=classes, y=classes[codes],
                                               sample_weight=sample_weight)
            if not np.all(np.isfinite(weights)):
                empty = classes[~np.isfinite(weights)]
                raise ValueError(f"class_weight='balanced' needs weight in every class; the sample weights of "
                                 f"class {empty[0]!r} are all 0.")
            return [float(w) for w in weights]
        scheme = self._scheme()
        if scheme is None:
            return None
        result = self._daemon_call(client, "weights/compute", {"dataset": dataset, **scheme})
        by_label = {entry["label"]: float(entry["weight"]) for entry in result["classes"]}
        return [by_label[label] for label in labels]

    def _scheme(self) -> dict[str, Any] | None:
        if self.weights is None:
            return {"scheme": "inverse"} if self.loss == "wce" else None
        if isinstance(self.weights, str):
            return {"scheme": self.weights}
        return dict(self.weights)

    def _weights_param(self, labels, class_weights) -> dict[str, Any]:
        if self.class_weight is None:
            return self._scheme()  # the scheme itself, so the run records it by name
        return {"scheme": "custom", "weights": dict(zip(labels, class_weights))}

    def _optimizer(self) -> dict[str, Any] | None:
        """The optimiser's params: only those given. As in ``MLPClassifier``, ``max_iter`` of a
        stochastic solver (Adam, SGD) is its number of epochs when ``epochs`` is not given."""
        solver = self._solver()
        names = ("tol", "max_iter") if solver == "lbfgs" else ("tol", "lr", "epochs", "batch_size")
        fields = {name: getattr(self, name) for name in names if getattr(self, name) is not None}
        if solver != "lbfgs" and self.epochs is None and self.max_iter is not None:
            fields["epochs"] = self.max_iter
        for name in ("lr", "epochs", "batch_size") if solver == "lbfgs" else ():
            if getattr(self, name) is not None:
                fields[name] = getattr(self, name)  # the daemon refuses them, naming lbfgs's own
        if self.solver is None and not fields:
            return None
        optimizer: dict[str, Any] = {"type": solver}
        for name, value in fields.items():
            optimizer[name] = float(value) if name in ("tol", "lr") else int(value)
        return optimizer

    def _seed(self) -> int:
        if isinstance(self.random_state, numbers.Integral) and not isinstance(self.random_state, bool):
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    def _check_params(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}, not {self.model!r}.")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}, not {self.loss!r}.")
        if self.solver is not None and self.solver not in SOLVERS:
            raise ValueError(f"solver must be one of {SOLVERS} or None, not {self.solver!r}.")
        if self.hidden is not None and self.model != "mlp":
            raise ValueError("hidden sets the MLP's layers; it needs model='mlp'.")
        if (self.gamma is not None or self.alpha is not None) and self.loss != "focal":
            raise ValueError("gamma and alpha are focal loss's; they need loss='focal'.")
        if self.class_weight is not None and self.weights is not None:
            raise ValueError("Give class weights once: class_weight (scikit-learn's) or weights (a Ballast scheme).")
        if self.class_weight is not None and self.class_weight != "balanced" and not isinstance(self.class_weight, dict):
            raise ValueError(f"class_weight must be None, 'balanced' or a dict, not {self.class_weight!r}.")
        if not isinstance(self.C, numbers.Real) or isinstance(self.C, bool) or not np.isfinite(self.C) or self.C <= 0:
            raise ValueError(f"C must be a finite number above 0, not {self.C!r}.")
        threshold = self.threshold
        if isinstance(threshold, str):
            if threshold not in ("standard", "best_f1"):
                raise ValueError(f"threshold must be 'standard', 'best_f1' or a number in (0, 1), not {threshold!r}.")
        elif not isinstance(threshold, numbers.Real) or isinstance(threshold, bool) or not 0 < threshold < 1:
            raise ValueError(f"threshold must be 'standard', 'best_f1' or a number in (0, 1), not {threshold!r}.")
        if threshold == "best_f1" and not 0 < self.validation_fraction < 1:
            raise ValueError(f"validation_fraction must lie in (0, 1), not {self.validation_fraction!r}.")

    # -- predicting -------------------------------------------------------------------------------

    def predict_proba(self, X):
        """P(class) for each row, columns in the order of ``classes_``."""
        return self._predict(X)[0]

    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The class of each row, at the model's threshold for a binary model."""
        labels = self._predict(X)[1]
        return self.classes_[labels]

    def _is_linear(self) -> bool:
        return self.model == "logistic"

    @available_if(_is_linear)
    def decision_function(self, X):
        """The linear score of each row: log-odds of ``classes_[1]`` for two classes (1-D), the
        logit of each class otherwise; computed from ``coef_`` and ``intercept_`` in float64."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        scores = _as_float32(X).astype(np.float64) @ self.coef_.T + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def _predict(self, X) -> tuple[np.ndarray, np.ndarray]:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        features = _as_float32(X)
        from . import data

        columns = [f"x{i}" for i in range(features.shape[1])]
        with Call():
            result = self._with_model(lambda client, name: data.predict_matrix(client, name, features,
                                                                               columns=columns))
        order = [list(result["classes"]).index(label) for label in self._labels]
        probabilities = np.asarray(result["probabilities"], dtype=np.float64)[:, order]
        position = np.argsort(order)  # daemon class index → index into classes_
        labels = position[np.asarray(result["labels"], dtype=np.intp)]
        return probabilities, labels

    # -- the daemon model -------------------------------------------------------------------------

    def _adopt(self, client: Client, name: str, model_file: dict, labels: list[str]) -> None:
        """Take the fitted model: its file, and its name in the daemon (dropped with the estimator)."""
        body = model_file["model"]
        threshold = model_file.get("threshold") if len(labels) == 2 else None
        if threshold is None and len(labels) == 2:
            threshold = 0.5
        linear = _linear_parameters(body, labels) if body["type"] in ("logistic", "softmax") else None
        self.model_file_ = model_file
        self._labels = labels
        self._bind(client, name)
        self.threshold_ = threshold
        if linear is not None:
            self.coef_, self.intercept_ = linear
        else:
            self.__dict__.pop("coef_", None)
            self.__dict__.pop("intercept_", None)

    def _bind(self, client: Client, name: str) -> None:
        """``name`` is this estimator's one model in the daemon of ``client``: dropped at refit,
        when the estimator is collected, or at exit (through the shared client of that daemon)."""
        pid = os.getpid()
        self._daemon_model = name
        self._daemon_binding = (identity(client.info), pid)
        self._finalizer = weakref.finalize(self, drop_model, client.info, name, pid)
        watch(self._finalizer)

    def _forget_daemon_model(self) -> None:
        finalizer = self.__dict__.pop("_finalizer", None)
        self.__dict__.pop("_daemon_model", None)
        self.__dict__.pop("_daemon_binding", None)
        if finalizer is not None:
            unwatch(finalizer)
            finalizer()  # drops the model now, or when this thread's call ends

    def _with_model(self, work):
        """``work(client, model name)``, loading the model file into the daemon first when the
        daemon does not hold it (never loaded here, another process, a restart, another daemon).
        Call it inside ``Call()``."""
        client = self._client()
        name = self.__dict__.get("_daemon_model")
        if name is not None and self.__dict__.get("_daemon_binding") == (identity(client.info), os.getpid()):
            pass
        else:
            self._forget_daemon_model()
            name = self._load(client)
        try:
            return work(client, name)
        except RPCError as error:
            if error.code != NOT_FOUND:
                raise _translate(error) from error
        self._forget_daemon_model()  # the daemon forgot it (a restart, a drop): load it again
        return work(client, self._load(client))

    def _load(self, client: Client) -> str:
        name = _unique("sklearn")
        self._daemon_call(client, "model/load", {"file": self.model_file_, "name": name})
        self._bind(client, name)
        return name

    def _client(self) -> Client:
        connection = self.connection
        if isinstance(connection, Client):
            if connection.closed:
                raise ValueError("The estimator's connection is a closed Client; give it an open one with "
                                 "set_params(connection=...).")
            return connection
        return shared_client(None if connection is None else os.fspath(connection))

    def _daemon_call(self, client: Client, method: str, params: dict[str, Any], buffers=None) -> Any:
        try:
            if buffers is None:
                return client.call(method, params)
            return client.call(method, params, buffers=buffers)
        except RPCError as error:
            raise _translate(error) from error

    # -- pickling ---------------------------------------------------------------------------------

    def __getstate__(self):
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__.copy()
        state = dict(state)
        for private in ("_daemon_model", "_daemon_binding", "_finalizer"):
            state.pop(private, None)  # a copy loads its own daemon model from model_file_ when it predicts
        connection = state.get("connection")
        if isinstance(connection, Client):
            # Sockets do not travel: the copy (another process's, with joblib) reaches the same
            # daemon through its connection file, or the default one when the client had none.
            path = connection.info.path
            state["connection"] = None if path is None else os.fspath(path)
        return state

    def __setstate__(self, state):
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)
        else:
            self.__dict__.update(state)


# -- helpers --------------------------------------------------------------------------------------


def _as_float32(X: np.ndarray) -> np.ndarray:
    """``X`` as C-contiguous float32, refusing values float32 cannot hold."""
    with np.errstate(over="ignore"):  # an overflow becomes inf, refused below with a sentence
        features = np.ascontiguousarray(X, dtype=np.float32)
    if not np.all(np.isfinite(features)):
        raise ValueError("Input X contains values too large for float32 (the daemon computes in float32); "
                         "scale the features first.")
    return features


def _wire_labels(classes: np.ndarray) -> list[str]:
    """The daemon's label of each class: its text, or ``class<i>`` where two texts coincide."""
    labels = [str(c) for c in classes]
    if len(set(labels)) != len(labels):
        labels = [f"class{i}" for i in range(len(classes))]
    return labels


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def _linear_parameters(body: dict, labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``coef_`` and ``intercept_`` from a linear model file's single layer, rows in ``classes_`` order."""
    layer = body["layers"][-1]
    weights = np.asarray(layer["weights"], dtype=np.float64).reshape(layer["outputs"], layer["inputs"])
    bias = np.asarray(layer["bias"], dtype=np.float64)
    if layer["outputs"] == 1:  # P(positive): scikit-learn's row is for classes_[1]
        if body.get("positive", labels[1]) != labels[1]:
            weights, bias = -weights, -bias
        return weights, bias
    order = [list(body["classes"]).index(label) for label in labels]
    return weights[order], bias[order]


def _translate(error: RPCError) -> Exception:
    """A daemon refusal of the data or the params as the ValueError scikit-learn code expects."""
    if error.code in (INVALID_PARAMS, INVALID_DATA):
        return ValueError(f"ballastd refused: {error.message}")
    return error
