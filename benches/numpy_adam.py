"""The benchmark's workload in numpy, batched over the networks, for comparison with
`cargo bench --bench train`: 1000 independent 3x3 tanh auto-associators on X' = {010, 001},
full-batch Adam (lr 0.01, betas 0.9/0.999, eps 1e-8), 5000 steps, N(0, 0.05) initial weights,
float64, one process. Prints `numpy tanh-adam net-steps/s: <number>`.

Run with `python3 benches/numpy_adam.py` (needs numpy). Its initial weights are numpy's, not
the Rust benchmark's, so only the speed is comparable, not the checksum.
"""

import time

import numpy as np

NETS, STEPS, N = 1000, 5000, 3
LR, B1, B2, EPS = 0.01, 0.9, 0.999, 1e-8
X = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # items as rows
XT = X.T.copy()


def train(w):
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    scale = 2.0 / (N * len(X))
    for t in range(1, STEPS + 1):
        y = np.tanh(w @ XT)  # (nets, units, items)
        delta = (y - XT) * (1.0 - y * y)
        g = scale * (delta @ X)
        m = B1 * m + (1.0 - B1) * g
        v = B2 * v + (1.0 - B2) * g * g
        w = w - LR * (m / (1.0 - B1**t)) / (np.sqrt(v / (1.0 - B2**t)) + EPS)
    return w


def main():
    rng = np.random.default_rng(2024)
    w0 = rng.normal(0.0, 0.05, size=(NETS, N, N))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        w = train(w0.copy())
        best = min(best, time.perf_counter() - start)
    print(f"numpy tanh-adam net-steps/s: {NETS * STEPS / best:.4e}")
    print(f"  ({NETS} nets x {STEPS} steps in {best:.2f} s; mean W22 + W33 {np.mean(w[:, 1, 1] + w[:, 2, 2]):.6f})")


if __name__ == "__main__":
    main()
