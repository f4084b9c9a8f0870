//! The paper's coordinates (a, b, c) on the solution set of each training set (§3.1, eq. 6).

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use crate::group::{SymmetryGroup, symmetry_group};
use crate::linear::{SolutionSet, SolutionSummary, spectrum};
use crate::pattern::PatternSet;
use crate::train::matrix_rows;
use crate::{Error, Result};

/// The paper's coordinates on the solution set of a set whose span has codimension 1: every
/// solution is `W = I + w nᵀ` with `n` the normal of span X scaled to first entry 1; the paper
/// writes X's solutions with (a, b, c) = −w and X''s with (a, b, c) = (1 + w₁, w₂, w₃).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Coordinates {
    X,
    XPrime,
}

/// A linear network described in the paper's terms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Described {
    pub w: Vec<Vec<f64>>,
    /// (a, b, c) of the paper's parametrisation (a member of eq. 6 when b = c).
    pub abc: [f64; 3],
    /// Distance from the solution set, ‖(W − I) P‖_F.
    pub residual: f64,
    /// Distance from Σ-invariance, max_s ‖W − s·W‖_F.
    pub defect: f64,
    /// ‖W − I‖_F (L8).
    pub distance_from_identity: f64,
    /// Eigenvalues (re, im), largest real part first.
    pub eigenvalues: Vec<(f64, f64)>,
    /// The third eigenvalue λ₃ = 1 + nᵀw and the angle (degrees) between its eigenvector and
    /// the normal of the training plane.
    pub lambda3: f64,
    pub lambda3_angle_deg: f64,
}

/// Everything the chapter knows about one training set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SetContext {
    pub name: String,
    pub patterns: PatternSet,
    pub coordinates: Coordinates,
    pub solutions: SolutionSummary,
    /// The normal n of span X with first entry 1.
    pub normal: Vec<f64>,
}

pub(super) struct Ctx {
    pub(super) set: PatternSet,
    pub(super) group: SymmetryGroup,
    pub(super) sol: SolutionSet,
    pub(super) coords: Coordinates,
    /// n with n₁ = 1
    pub(super) normal: DVector<f64>,
}

impl Ctx {
    pub(super) fn new(set: PatternSet, coords: Coordinates) -> Result<Ctx> {
        let group = symmetry_group(&set)?;
        let sol = SolutionSet::new(&set, &group)?;
        let unit = sol
            .normals()
            .first()
            .cloned()
            .ok_or_else(|| Error::InvalidParameter {
                name: "training set".into(),
                value: set.to_string(),
                why: "the paper's coordinates need a span of codimension 1".into(),
            })?;
        let first = unit
            .iter()
            .copied()
            .find(|v| v.abs() > 1e-12)
            .unwrap_or(1.0);
        Ok(Ctx {
            normal: unit / first,
            set,
            group,
            sol,
            coords,
        })
    }

    /// w = (W − I) n / |n|² and the paper's (a, b, c).
    pub(super) fn abc(&self, w: &DMatrix<f64>) -> [f64; 3] {
        let n = self.set.n();
        let wv = (w - DMatrix::identity(n, n)) * &self.normal / self.normal.norm_squared();
        match self.coords {
            Coordinates::X => [-wv[0], -wv[1], -wv[2]],
            Coordinates::XPrime => [1.0 + wv[0], wv[1], wv[2]],
        }
    }

    /// The member of the solution set with the paper's coordinates (a, b, c).
    pub(super) fn member(&self, abc: [f64; 3]) -> DMatrix<f64> {
        let n = self.set.n();
        let wv = match self.coords {
            Coordinates::X => DVector::from_vec(vec![-abc[0], -abc[1], -abc[2]]),
            Coordinates::XPrime => DVector::from_vec(vec![abc[0] - 1.0, abc[1], abc[2]]),
        };
        DMatrix::identity(n, n) + wv * self.normal.transpose()
    }

    pub(super) fn describe(&self, w: &DMatrix<f64>) -> Described {
        let n = self.set.n();
        let i = DMatrix::<f64>::identity(n, n);
        let wv = (w - &i) * &self.normal / self.normal.norm_squared();
        let lambda3 = 1.0 + self.normal.dot(&wv);
        let unit = self.normal.normalize();
        // For W = I + w nᵀ with λ₃ ≠ 1 the third eigenvector is w itself.
        let angle = if wv.norm() > 1e-12 {
            (wv.dot(&unit).abs() / wv.norm())
                .clamp(0.0, 1.0)
                .acos()
                .to_degrees()
        } else {
            0.0
        };
        Described {
            w: matrix_rows(w),
            abc: self.abc(w),
            residual: self.sol.distance(w),
            defect: self.group.invariance_defect(w),
            distance_from_identity: (w - &i).norm(),
            eigenvalues: spectrum(w),
            lambda3,
            lambda3_angle_deg: angle,
        }
    }

    pub(super) fn context(&self, name: &str) -> Result<SetContext> {
        Ok(SetContext {
            name: name.to_string(),
            patterns: self.set.clone(),
            coordinates: self.coords,
            solutions: self.sol.summary(&self.set)?,
            normal: self.normal.iter().copied().collect(),
        })
    }
}
