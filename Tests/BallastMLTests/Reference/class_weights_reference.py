"""Reference values for ClassWeightsTests.swift and GeneratorTests.swift.

Run once (needs scikit-learn and numpy); the printed numbers are pasted into the Swift tests,
which do not need Python. Printed with repr() so every digit of the float64 survives.
"""
import math
import numpy as np
from sklearn.utils.class_weight import compute_class_weight

CASES = {
    "fraud": [284315, 492],
    "three": [700, 200, 100],
    "four": [5000, 1200, 37, 3],
}

def sum_to(values, target):
    values = np.asarray(values, dtype=np.float64)
    return values / values.sum() * target

for name, counts in CASES.items():
    counts = np.asarray(counts)
    y = np.repeat(np.arange(len(counts)), counts)
    k = len(counts)
    print(f"# {name} {counts.tolist()}")
    print("balanced (sklearn)   ", [repr(float(v)) for v in compute_class_weight("balanced", classes=np.arange(k), y=y)])
    print("inverse              ", [repr(float(v)) for v in sum_to(1.0 / counts, 1)])
    print("inverse_sqrt         ", [repr(float(v)) for v in sum_to(1.0 / np.sqrt(counts), 1)])
    for beta in (0.9, 0.999, 0.9999):
        # Cui et al. 2019: (1 - beta) / (1 - beta^n), rescaled to sum to K.
        w = [(1 - beta) / (-math.expm1(n * math.log(beta))) for n in counts]
        print(f"effective beta={beta}", [repr(float(v)) for v in sum_to(w, k)])

# Cost matrix example (3 classes): weight_i ∝ sum_{j != i} C[i][j].
C = np.array([[0, 1, 1], [5, 0, 2], [10, 10, 0]], dtype=np.float64)
print("cost", [repr(float(v)) for v in sum_to(C.sum(1) - np.diag(C), 1)])


def xoshiro256starstar(seed, n):
    """xoshiro256** seeded by SplitMix64, as SeededGenerator documents."""
    M = (1 << 64) - 1
    state = seed
    def splitmix():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & M
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)
    s = [splitmix() for _ in range(4)]
    rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M
    out = []
    for _ in range(n):
        out.append(rotl((s[1] * 5) & M, 7) * 9 & M)
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out

for seed in (0, 42):
    print(f"xoshiro256** seed={seed}", [hex(v) for v in xoshiro256starstar(seed, 4)])
