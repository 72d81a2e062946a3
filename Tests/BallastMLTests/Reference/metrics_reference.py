"""Reference values for the Metric*/Curve*/ThresholdRule*/Calibration* tests.

Run once (needs scikit-learn 1.9.1, numpy and, for the G-mean only, imbalanced-learn 0.14:
`pip install --no-deps --target /tmp/imbl imbalanced-learn` then PYTHONPATH=/tmp/imbl). The printed
numbers are pasted into the Swift tests, which do not need Python. Printed with repr() so every digit
of the float64 survives.

The datasets are not pasted: both sides regenerate them from SplitMix64 with integer arithmetic
only, so the float32 probabilities are bit-identical (see MetricTestData.swift).
"""
import math
import warnings

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score,
                             brier_score_loss, confusion_matrix, f1_score, log_loss,
                             matthews_corrcoef, precision_recall_curve,
                             precision_recall_fscore_support, roc_auc_score, roc_curve)
from sklearn.preprocessing import label_binarize

try:
    from imblearn.metrics import geometric_mean_score
except ImportError:  # same formula: scipy gmean of recalls over unique_labels(y_true, y_pred)
    geometric_mean_score = None

warnings.simplefilter("ignore")
M = (1 << 64) - 1
EPS32 = float(np.finfo(np.float32).eps)


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & M

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)


def binary_data(n=1000, seed=2024):
    """~2 % positives (class 1); P(1) on a 1/1024 grid, so there are many ties, exact 0s and 1s."""
    g = SplitMix64(seed)
    y, s = [], []
    for _ in range(n):
        label = 1 if g.next() % 50 == 0 else 0
        v = g.next()
        level = (v >> 54) * 3 // 4                 # 0 ... 767
        if label == 1:
            level = 0 if v & 0xF == 0 else min(1024, level + 300)
        y.append(label)
        s.append(level)
    p1 = np.asarray(s, dtype=np.float32) / np.float32(1024)
    P = np.stack([np.float32(1) - p1, p1], axis=1).astype(np.float32)
    return np.asarray(y), P


def multiclass_data(n=600, seed=7):
    """Three classes 60/30/10 %; each row a_k / sum(a), a_k in 1...1536, rounded to float32."""
    g = SplitMix64(seed)
    y, rows = [], []
    for _ in range(n):
        r = g.next() % 10
        label = 0 if r < 6 else (1 if r < 9 else 2)
        a = [(g.next() >> 54) + 1 for _ in range(3)]
        if g.next() % 4 != 0:
            a[label] += 512
        total = np.float32(sum(a))
        rows.append([np.float32(x) / total for x in a])
        y.append(label)
    return np.asarray(y), np.asarray(rows, dtype=np.float32)


def r(x):
    return repr(float(x))


def lst(xs):
    return "[" + ", ".join(r(x) for x in xs) + "]"


def gmean(y, pred):
    if geometric_mean_score is not None:
        return geometric_mean_score(y, pred)
    labels = np.unique(np.concatenate([y, pred]))
    rec = [np.mean(pred[y == c] == c) if np.any(y == c) else 0.0 for c in labels]
    return float(np.prod(rec) ** (1 / len(rec)))


def classification(name, y, pred, K):
    p, rc, f, sup = precision_recall_fscore_support(y, pred, labels=list(range(K)), zero_division=0)
    print(f"// {name}")
    print("precision", lst(p)); print("recall   ", lst(rc)); print("f1       ", lst(f)); print("support  ", list(sup))
    print("accuracy", r(accuracy_score(y, pred)), "balanced", r(balanced_accuracy_score(y, pred)))
    print("macroF1", r(f1_score(y, pred, average="macro", zero_division=0)), "mcc", r(matthews_corrcoef(y, pred)))
    print("gmean", r(gmean(y, pred)))
    print("confusion", confusion_matrix(y, pred, labels=list(range(K))).tolist())


def losses(name, y, P):
    K = P.shape[1]
    py = P[np.arange(len(y)), y].astype(np.float64)
    manual = -np.mean(np.log(np.clip(py, EPS32, 1 - EPS32)))
    print(f"// {name} log_loss sklearn(float32 input)", r(log_loss(y, P, labels=list(range(K)))),
          "float64 with float32 eps clip", r(manual))
    brier = brier_score_loss(y, P.astype(np.float64), labels=list(range(K)))
    print(f"// {name} brier", r(brier))


# ---------------------------------------------------------------- binary
y, P = binary_data()
p1 = P[:, 1]
print("binary n", len(y), "positives", int(y.sum()), "P(1)=0:", int((p1 == 0).sum()), "P(1)=1:", int((p1 == 1).sum()))
print("first rows", y[:5].tolist(), P[:5, 1].tolist())
classification("binary @0.5", y, (p1 >= 0.5).astype(int), 2)
classification("binary @0.3", y, (p1 >= 0.3).astype(int), 2)
print("AP", r(average_precision_score(y, p1)), "ROC", r(roc_auc_score(y, p1)))
losses("binary", y, P)

# best F1 by brute force over every distinct score (and a threshold above all scores)
best_t, best_f = None, -1.0
for t in sorted(set(p1.tolist()) | {2.0}):
    f = f1_score(y, (p1 >= t).astype(int), zero_division=0)
    if f >= best_f:  # ascending order, so ">=" keeps the larger threshold on ties
        best_t, best_f = t, f
print("bestF1 threshold", r(best_t), "F1", r(best_f))
classification("binary @bestF1", y, (p1 >= best_t).astype(int), 2)

# ---------------------------------------------------------------- multiclass
y3, P3 = multiclass_data()
print("multiclass n", len(y3), "counts", np.bincount(y3).tolist(), "first row", P3[0].tolist())
classification("multiclass argmax", y3, np.argmax(P3, axis=1), 3)
print("ROC ovr macro", r(roc_auc_score(y3, P3, multi_class="ovr", average="macro")))
print("AP macro", r(average_precision_score(label_binarize(y3, classes=[0, 1, 2]), P3, average="macro")))
print("per-class AP", lst(average_precision_score(label_binarize(y3, classes=[0, 1, 2]), P3, average=None)))
losses("multiclass", y3, P3)

# ---------------------------------------------------------------- curves with ties
yc = np.array([0, 1, 0, 1, 1, 0, 0, 1, 0, 0])
sc = np.array([0.125, 0.5, 0.375, 0.875, 0.5, 0.125, 0.875, 0.375, 0.25, 0.5], dtype=np.float32)
pr, rc, th = precision_recall_curve(yc, sc)
print("PR precision", lst(pr)); print("PR recall", lst(rc)); print("PR thresholds", lst(th))
fpr, tpr, th = roc_curve(yc, sc, drop_intermediate=False)
print("ROC fpr", lst(fpr)); print("ROC tpr", lst(tpr)); print("ROC thresholds", lst(th))
print("small AP", r(average_precision_score(yc, sc)), "ROC", r(roc_auc_score(yc, sc)))

# ---------------------------------------------------------------- prior correction / calibration
w = np.array([0.5, 25.0])
Q = P.astype(np.float64) / w
Q = (Q / Q.sum(axis=1, keepdims=True)).astype(np.float32)
print("corrected first rows", Q[:5, 1].tolist())
losses("binary corrected w=(0.5,25)", y, Q)
w3 = np.array([0.6, 1.2, 3.0])
Q3 = P3.astype(np.float64) / w3
Q3 = (Q3 / Q3.sum(axis=1, keepdims=True)).astype(np.float32)
losses("multiclass corrected w=(0.6,1.2,3)", y3, Q3)
