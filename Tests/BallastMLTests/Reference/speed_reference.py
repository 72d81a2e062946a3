"""scikit-learn / numpy timings beside TrainingBenchmarkTests (same machine, same data).

1. Export the fraud preset's standardized 70 % split from Swift:
     mkdir -p /tmp/ballast-train
     BALLAST_TRAIN_EXPORT=/tmp/ballast-train BALLAST_EXPORT_FRAUD=1 swift test --filter TrainingExportTests
2. python3 Tests/BallastMLTests/Reference/speed_reference.py /tmp/ballast-train
3. BALLAST_BENCH=1 BALLAST_SKLEARN_J=<J printed for tol=1e-4> swift test --filter TrainingBenchmarkTests

Weighted CE with balanced class weights, C = 1 (so l2 = 1/sum(s) = 1/n in Ballast's terms).
The numpy floor is one float32 `X @ w` plus one `X.T @ r`: the memory traffic of one
objective+gradient evaluation done in two passes.
"""
import sys
import time
import numpy as np
from sklearn.linear_model import LogisticRegression

folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ballast-train"
X32 = np.fromfile(f"{folder}/fraud_train_X.bin", dtype="<f4").reshape(-1, 30)
y = np.fromfile(f"{folder}/fraud_train_y.bin", dtype="<i4")
n = len(y)
counts = np.bincount(y)
cw = n / (2 * counts)
print("rows", n, "positives", counts[1], "weights", cw.tolist())


def objective(W, b):
    X = X32.astype(np.float64)
    s = cw[y]
    z = X @ W + b
    t = np.where(y == 1, 1.0, -1.0)
    return (s * np.logaddexp(0, -t * z)).sum() / s.sum() + 0.5 * (1.0 / n) * (W ** 2).sum()


for tol in (1e-4, 1e-6, 1e-10):
    times = []
    for _ in range(3):
        model = LogisticRegression(solver="lbfgs", C=1.0, class_weight="balanced", tol=tol, max_iter=10000)
        t0 = time.perf_counter()
        model.fit(X32, y)
        times.append(time.perf_counter() - t0)
    J = objective(model.coef_[0], model.intercept_[0])
    print(f"sklearn lbfgs tol={tol:g}: best of 3 {min(times):.3f} s, median {np.median(times):.3f} s, "
          f"n_iter {model.n_iter_[0]}, J {J!r}")

rng = np.random.default_rng(0)
w = rng.standard_normal(30).astype(np.float32)
r = rng.standard_normal(n).astype(np.float32)
for _ in range(10):
    z = X32 @ w
    g = X32.T @ r
ts = []
for _ in range(200):
    t0 = time.perf_counter()
    z = X32 @ w
    g = X32.T @ r
    ts.append(time.perf_counter() - t0)
print(f"numpy float32 floor (X@w + X.T@r): median {np.median(ts) * 1e3:.3f} ms, min {min(ts) * 1e3:.3f} ms")
