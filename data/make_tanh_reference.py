"""Writes data/tanh_reference.txt: inputs x and tanh(x) correctly rounded to f64, computed with
mpmath at 256 bits, as hexadecimal bit patterns ("x_bits tanh_bits" per line). The crate's
tanh is checked against it (tests/tanh.rs) and the reproducibility appendix reports the result.

Run with `python3 data/make_tanh_reference.py` (needs mpmath). Seeded: the file is the same
on every run.
"""

import math
import random
import struct

import mpmath

mpmath.mp.prec = 256


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def correctly_rounded(fn, x):
    """fn(x) (an mpmath function) rounded to the nearest f64."""
    t = fn(mpmath.mpf(x))
    c = float(t)
    # float() may round either way; pick the nearest of c and its neighbours.
    candidates = [c, math.nextafter(c, math.inf), math.nextafter(c, -math.inf)]
    return min(candidates, key=lambda f: abs(mpmath.mpf(f) - t))


def inputs():
    rng = random.Random(2024)
    xs = []
    # Every scale: |x| log-uniform over [2^-40, 20].
    for _ in range(3000):
        xs.append(rng.choice((-1, 1)) * 2 ** rng.uniform(-40, math.log2(20)))
    # Where expm1(2|x|) is rebuilt from a reduced argument with k = 1 (cancellation).
    for _ in range(2000):
        xs.append(rng.choice((-1, 1)) * rng.uniform(0.17, 0.7))
    # The curved part and the approach to saturation.
    for _ in range(1000):
        xs.append(rng.choice((-1, 1)) * rng.uniform(0.7, 20))
    # Points where an earlier comparison with glibc's tanh found the widest gaps.
    xs += [from_bits(0x3FCB0A3D70A3D748), -0.015461, 0.34657359027997264]
    return xs


def main():
    with open("data/tanh_reference.txt", "w") as f:
        for x in inputs():
            f.write(f"{bits(x):016x} {bits(correctly_rounded(mpmath.tanh, x)):016x}\n")


if __name__ == "__main__":
    main()
