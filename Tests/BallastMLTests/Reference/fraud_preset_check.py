"""Checks the fraud preset against the behaviour of the real credit-card data.

1. Export the Swift-generated preset (seeds 0, 1, 2) as raw float32 / int32:
       mkdir -p /tmp/fraud && BALLAST_EXPORT=/tmp/fraud swift test --filter ReferenceDataTests
2. python3 fraud_preset_check.py /tmp/fraud

For each seed: stratified 70/30 split, StandardScaler fitted on the training part, scikit-learn
LogisticRegression with default C, unweighted (plain CE) and class_weight='balanced' (weighted CE).
Target (from the brief, like the real data): plain recall ~0.55-0.70 at precision ~0.8-0.9;
balanced recall ~0.9 at much lower precision.
"""
import sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/fraud"
for seed in (0, 1, 2):
    X = np.fromfile(f"{folder}/X{seed}.bin", dtype=np.float32).reshape(-1, 30)
    y = np.fromfile(f"{folder}/y{seed}.bin", dtype=np.int32)
    assert X.shape == (284807, 30) and y.sum() == 492
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    scaler = StandardScaler().fit(Xtr)
    Xtr, Xte = scaler.transform(Xtr), scaler.transform(Xte)
    for weight in (None, "balanced"):
        model = LogisticRegression(class_weight=weight, max_iter=1000).fit(Xtr, ytr)
        p = model.predict(Xte)
        print(f"seed {seed} class_weight={weight!s:8}: recall {recall_score(yte, p):.3f}  "
              f"precision {precision_score(yte, p):.3f}  (test positives {yte.sum()}, predicted {p.sum()})")
