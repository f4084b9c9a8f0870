//! What the paper printed, verbatim, kept in one place and used **only** as the "paper" side
//! of comparisons (verdicts, distances, tables that show both). Nothing computed anywhere is
//! derived from these numbers; a typo here would show up as a difference, not be silently used.

use crate::tanh::tanh;

/// A matrix as printed in §3.1.1 (rows), with the paper's name for it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrintedMatrix {
    pub name: &'static str,
    pub rows: [[f64; 3]; 3],
}

/// §3.1.1: trained linear networks on X = {101, 110}.
pub const W0_SGD: PrintedMatrix = PrintedMatrix {
    name: "W0^SGD",
    rows: [
        [0.6667, 0.333, 0.333],
        [0.3333, 0.6667, -0.3333],
        [0.3333, -0.3333, 0.6667],
    ],
};
pub const W0_ADAM: PrintedMatrix = PrintedMatrix {
    name: "W0^ADAM",
    rows: [
        [0.5496, 0.45004, 0.4504],
        [0.4995, 0.5005, -0.4996],
        [0.4996, -0.4996, 0.5004],
    ],
};
pub const W1_SGD: PrintedMatrix = PrintedMatrix {
    name: "W1^SGD",
    rows: [[0.3333, 0.6667, 0.6667], [0.0, 1.0, 0.0], [0.0, -0.0, 1.0]],
};
pub const W1_ADAM: PrintedMatrix = PrintedMatrix {
    name: "W1^ADAM",
    rows: [
        [0.4504, 0.5496, 0.5496],
        [0.0522, 0.9478, -0.0522],
        [0.0489, -0.0489, 0.9511],
    ],
};
pub const WRND_SGD_1: PrintedMatrix = PrintedMatrix {
    name: "Wrnd^SGD (first example)",
    rows: [
        [0.6367, 0.3633, 0.3633],
        [0.3659, 0.6341, -0.3659],
        [0.3194, -0.3194, 0.6806],
    ],
};
pub const WRND_SGD_2: PrintedMatrix = PrintedMatrix {
    name: "Wrnd^SGD (second example)",
    rows: [
        [0.5068, 0.4932, 0.4932],
        [0.1697, 0.8303, -0.1697],
        [0.2098, -0.2098, 0.7902],
    ],
};
pub const E_WRND_SGD: PrintedMatrix = PrintedMatrix {
    name: "E Wrnd^SGD",
    rows: [
        [0.6668, 0.3328, 0.3329],
        [0.3332, 0.6672, -0.3328],
        [0.3332, -0.3328, 0.6671],
    ],
};

/// §3.1.1, the sentence after the printed matrices: "W₀^SDG has parameters b = 1/3 and c = b,
/// W₁^SDG has b = 2/3 and c = 0, W₀^adam has b = 0.4504 and c = 0.4995, while W₁^adam has
/// b = 0.5496 and c = 0.0489": (matrix, b, c) as quoted.
pub const QUOTED_PARAMETERS: [(&PrintedMatrix, f64, f64); 4] = [
    (&W0_SGD, 1.0 / 3.0, 1.0 / 3.0),
    (&W1_SGD, 2.0 / 3.0, 0.0),
    (&W0_ADAM, 0.4504, 0.4995),
    (&W1_ADAM, 0.5496, 0.0489),
];

/// Table 1 as printed: loss per pattern for networks trained on X' = {010, 001}.
/// Columns: pattern, identity, tanh, sigmoid.
pub const TABLE1: [(&str, f64, f64, f64); 8] = [
    ("010", 0.0000, 0.0001, 0.0003),
    ("001", 0.0000, 0.0001, 0.0003),
    ("000", 0.0000, 0.0000, 0.2500),
    ("011", 0.0000, 0.0002, 0.1663),
    ("110", 0.4251, 0.3008, 0.3099),
    ("101", 0.4251, 0.2459, 0.3100),
    ("111", 0.4251, 0.1751, 0.4043),
    ("100", 0.4251, 0.3716, 0.3330),
];

/// Decimals the paper prints its losses and matrices with: a printed value v stands for the
/// interval v ± half a unit in the last place.
pub const PRINTED_DECIMALS: i32 = 4;

/// Half a unit in the fourth decimal: the rounding tolerance of a printed number.
pub fn rounding_tolerance() -> f64 {
    0.5 * 10f64.powi(-PRINTED_DECIMALS)
}

/// §3.2.1, eq. 8: the printed "additional term respecting the non-linearity" for the tanh
/// activation, transcribed entry by entry as a function of c:
/// W_c = [[tanh(1+c) − 1, 0, 0], [tanh c, tanh c − tanh(1+c) + 1, 0], [tanh c, 0, tanh c − tanh(1+c) + 1]].
pub fn eq8_wc_tanh(c: f64) -> [[f64; 3]; 3] {
    let (t0, t1) = (tanh(c), tanh(1.0 + c));
    [
        [t1 - 1.0, 0.0, 0.0],
        [t0, t0 - t1 + 1.0, 0.0],
        [t0, 0.0, t0 - t1 + 1.0],
    ]
}

/// §3.2.1, eq. 8: the printed term for the sigmoid, transcribed entry by entry (its (2,2)
/// entry is printed with tanh):
/// W_c = [[−e^{−c}/(1+e^{−c}), 0, 0], [½, tanh c − tanh(1+c) + 1, 0], [½, 0, ½ (1−e^{−c})/(1+e^{−c}) − 1]].
pub fn eq8_wc_sigmoid(c: f64) -> [[f64; 3]; 3] {
    let e = libm::exp(-c);
    [
        [-e / (1.0 + e), 0.0, 0.0],
        [0.5, tanh(c) - tanh(1.0 + c) + 1.0, 0.0],
        [0.5, 0.0, 0.5 * (1.0 - e) / (1.0 + e) - 1.0],
    ]
}

/// §3.2.2: the eigenvalues of the tanh network's linearised dynamics in the training plane.
pub const N5_EIGENVALUES: [f64; 2] = [2.43, 2.43];
