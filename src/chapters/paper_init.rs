//! The paper's five initialisations of W (§3.1.1: "all 0, all 1, U(0,1), N(0, 0.05) and
//! N(0, 1)"), as one type for every chapter that trains on them. The linear and nonlinear
//! chapters index their training grids by it; it serialises as the paper's label.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::train::Init;

/// One of the paper's initialisations, in the order of its text and of every table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaperInit {
    /// W = 0.
    Zeros,
    /// Every weight 1.
    Ones,
    /// U(0,1).
    Uniform,
    /// N(0, 0.05).
    SmallNormal,
    /// N(0, 1).
    Normal,
}

impl PaperInit {
    /// All five, in the paper's order.
    pub const ALL: [PaperInit; 5] = [
        PaperInit::Zeros,
        PaperInit::Ones,
        PaperInit::Uniform,
        PaperInit::SmallNormal,
        PaperInit::Normal,
    ];

    /// Position in [`PaperInit::ALL`]: the initialisation's number in the chapters' seeds
    /// (`seeds::linear_run`, `seeds::nonlinear_run`).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The distribution itself.
    pub fn init(self) -> Init {
        match self {
            PaperInit::Zeros => Init::Zeros,
            PaperInit::Ones => Init::Ones,
            PaperInit::Uniform => Init::Uniform {
                low: 0.0,
                high: 1.0,
            },
            PaperInit::SmallNormal => Init::Normal {
                mean: 0.0,
                std: 0.05,
            },
            PaperInit::Normal => Init::Normal {
                mean: 0.0,
                std: 1.0,
            },
        }
    }

    /// The paper's label, [`Init::label`]: `"0"`, `"1"`, `"U(0,1)"`, `"N(0,0.05)"`, `"N(0,1)"`.
    pub fn label(self) -> String {
        self.init().label()
    }
}

impl fmt::Display for PaperInit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for PaperInit {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels the tables print, in the paper's order, each its position's index.
    #[test]
    fn the_papers_five_initialisations_in_order() {
        let labels: Vec<String> = PaperInit::ALL.iter().map(|i| i.label()).collect();
        assert_eq!(labels, ["0", "1", "U(0,1)", "N(0,0.05)", "N(0,1)"]);
        for (k, i) in PaperInit::ALL.iter().enumerate() {
            assert_eq!(i.index(), k);
        }
    }
}
