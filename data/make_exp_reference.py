"""Writes data/exp_reference.txt: inputs x and exp(x) correctly rounded to f64, computed with
mpmath at 256 bits, as hexadecimal bit patterns ("x_bits exp_bits" per line). The sigmoid's exp
(`libm::exp`, src/maths/network.rs) is checked against it (src/maths/network/tests.rs).

Run with `python3 data/make_exp_reference.py` (needs mpmath). Seeded: the file is the same on
every run.
"""

import math
import random

import mpmath

# Run as `python3 data/make_exp_reference.py`: the script's folder is on the import path.
from make_tanh_reference import bits, correctly_rounded


def inputs():
    rng = random.Random(2024)
    xs = []
    # The sigmoid's range in this book: |c z| up to ~40 (exp(-40) is far below a loss's
    # resolution); every scale down to 2^-40.
    for _ in range(3000):
        xs.append(rng.choice((-1, 1)) * 2 ** rng.uniform(-40, math.log2(40)))
    # Around |t| <= 3, where trained sigmoid networks spend their steps.
    for _ in range(2000):
        xs.append(rng.uniform(-3, 3))
    # The whole finite range of exp's result.
    for _ in range(1000):
        xs.append(rng.uniform(-700, 700))
    return xs


def main():
    with open("data/exp_reference.txt", "w") as f:
        for x in inputs():
            f.write(f"{bits(x):016x} {bits(correctly_rounded(mpmath.exp, x)):016x}\n")


if __name__ == "__main__":
    main()
