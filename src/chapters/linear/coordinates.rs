//! §3.1, "All solutions, and the symmetric ones" (L1): the paper's two training sets, the
//! coordinates (a, b, c) in which the paper writes their solutions (eq. 6), a trained or
//! printed W described in those coordinates, and L1 checked on random members.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Serialize, Serializer};

use crate::group::{SymmetryGroup, symmetry_group};
use crate::linear::{SolutionSet, SolutionSummary, spectrum};
use crate::maths::matrix::Matrix;
use crate::pattern::{PatternSet, paper_x, paper_x_prime};
use crate::{Error, Result, seeds};

/// The paper's two training sets. Each has its own coordinates on its solution set: every
/// solution is `W = I + w nᵀ` with `n` the normal of the span scaled to first entry 1; the
/// paper writes X's solutions with (a, b, c) = −w and X′'s with (a, b, c) = (1 + w₁, w₂, w₃).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SetId {
    /// X = {101, 110}, the set the paper trains on.
    X,
    /// X′ = {010, 001}, the set of Table 1 and of Fig. 1.
    XPrime,
}

impl SetId {
    /// Both sets, in the order of the grid: the position is the set's number in the seeds.
    pub const ALL: [SetId; 2] = [SetId::X, SetId::XPrime];

    /// The name the book prints: `X` or `X'`.
    pub fn label(self) -> &'static str {
        match self {
            SetId::X => "X",
            SetId::XPrime => "X'",
        }
    }

    /// Position in [`SetId::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The set's items.
    pub fn patterns(self) -> PatternSet {
        match self {
            SetId::X => paper_x(),
            SetId::XPrime => paper_x_prime(),
        }
    }
}

impl fmt::Display for SetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Serialises a set by the name the book prints (`"X'"`), for fields that name a run's set.
pub(super) fn set_label<S: Serializer>(set: &SetId, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(set.label())
}

/// A linear network described in the paper's terms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Described {
    pub w: Matrix,
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

/// Everything the chapter knows about one training set. Serialised as
/// `{name, patterns, coordinates, solutions, normal}`, the fields the page reads.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingSet {
    pub id: SetId,
    pub patterns: PatternSet,
    pub group: SymmetryGroup,
    pub solution_set: SolutionSet,
    /// What the page prints about the solution set: rank, dimensions, the patterns every
    /// solution reproduces.
    pub solutions: SolutionSummary,
    /// The normal n of the span, scaled to n₁ = 1.
    pub normal: DVector<f64>,
}

impl TrainingSet {
    /// The set `id` with its symmetry group, solution set and normal.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if the span does not have codimension 1 (never for the
    /// paper's sets), and the errors of the group and solution-set constructions.
    pub fn new(id: SetId) -> Result<TrainingSet> {
        let patterns = id.patterns();
        let group = symmetry_group(&patterns)?;
        let solution_set = SolutionSet::new(&patterns, &group)?;
        let unit =
            solution_set
                .normals()
                .first()
                .cloned()
                .ok_or_else(|| Error::InvalidParameter {
                    name: "training set".into(),
                    value: patterns.to_string(),
                    why: "the paper's coordinates need a span of codimension 1".into(),
                })?;
        let first = unit
            .iter()
            .copied()
            .find(|v| v.abs() > 1e-12)
            .unwrap_or(1.0);
        Ok(TrainingSet {
            id,
            solutions: solution_set.summary(&patterns)?,
            normal: unit / first,
            patterns,
            group,
            solution_set,
        })
    }

    /// The largest distance from the solution set of a linear network with training loss
    /// `loss`: with E = (W − I)X the errors on the m items, L = ‖E‖²_F/(N m) (eq. 7 averaged)
    /// and (W − I)P = E X⁺, so ‖(W − I)P‖_F ≤ ‖E‖_F/σ_min(X) = √(N m L)/σ_min(X).
    pub fn distance_bound(&self, loss: f64) -> f64 {
        let x = self.patterns.to_matrix();
        let sigma_min = x
            .singular_values()
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        ((x.nrows() * x.ncols()) as f64 * loss).sqrt() / sigma_min
    }

    /// w = (W − I) n / |n|² and the paper's (a, b, c).
    pub fn abc(&self, w: &DMatrix<f64>) -> [f64; 3] {
        let n = self.patterns.n();
        let wv = (w - DMatrix::identity(n, n)) * &self.normal / self.normal.norm_squared();
        match self.id {
            SetId::X => [-wv[0], -wv[1], -wv[2]],
            SetId::XPrime => [1.0 + wv[0], wv[1], wv[2]],
        }
    }

    /// The member of the solution set with the paper's coordinates (a, b, c).
    pub fn member(&self, abc: [f64; 3]) -> DMatrix<f64> {
        let n = self.patterns.n();
        let wv = match self.id {
            SetId::X => DVector::from_vec(vec![-abc[0], -abc[1], -abc[2]]),
            SetId::XPrime => DVector::from_vec(vec![abc[0] - 1.0, abc[1], abc[2]]),
        };
        DMatrix::identity(n, n) + wv * self.normal.transpose()
    }

    /// `w` in the paper's terms: coordinates, distances, spectrum.
    pub fn describe(&self, w: &DMatrix<f64>) -> Described {
        let n = self.patterns.n();
        let i = DMatrix::<f64>::identity(n, n);
        let wv = (w - &i) * &self.normal / self.normal.norm_squared();
        let lambda3 = 1.0 + self.normal.dot(&wv);
        let unit = self.normal.normalize();
        // For W = I + w nᵀ with λ₃ ≠ 1 the third eigenvector is w itself.
        let angle = if wv.norm() > 1e-12 {
            libm::acos((wv.dot(&unit).abs() / wv.norm()).clamp(0.0, 1.0)).to_degrees()
        } else {
            0.0
        };
        Described {
            w: Matrix::from(w),
            abc: self.abc(w),
            residual: self.solution_set.distance(w),
            defect: self.group.invariance_defect(w),
            distance_from_identity: (w - &i).norm(),
            eigenvalues: spectrum(w),
            lambda3,
            lambda3_angle_deg: angle,
        }
    }
}

impl Serialize for TrainingSet {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            name: &'a str,
            patterns: &'a PatternSet,
            coordinates: SetId,
            solutions: &'a SolutionSummary,
            normal: Vec<f64>,
        }
        Shown {
            name: self.id.label(),
            patterns: &self.patterns,
            coordinates: self.id,
            solutions: &self.solutions,
            normal: self.normal.iter().copied().collect(),
        }
        .serialize(s)
    }
}

/// Members drawn per training set for [`random_members`].
const RANDOM_MEMBERS: usize = 100;

/// L1 on random members of both solution sets, (a, b, c) uniform in [−2, 2)³.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberCheck {
    /// Members drawn per training set.
    pub samples: usize,
    /// Largest distance from the solution set of a member W(a, b, c): the three-parameter
    /// form solves the task.
    pub max_residual: f64,
    /// Largest distance from Σ-invariance of a member with c = b: eq. 6 is invariant.
    pub max_invariant_defect: f64,
}

/// Draw [`RANDOM_MEMBERS`] members on X, then as many on X′, from their own stream.
pub(super) fn random_members(x: &TrainingSet, xp: &TrainingSet, base: u64) -> MemberCheck {
    let mut max_residual = 0.0_f64;
    let mut max_invariant_defect = 0.0_f64;
    let mut rng = ChaCha8Rng::seed_from_u64(seeds::linear_random_members(base));
    for set in [x, xp] {
        for _ in 0..RANDOM_MEMBERS {
            let (a, b, c) = (
                rng.random_range(-2.0..2.0),
                rng.random_range(-2.0..2.0),
                rng.random_range(-2.0..2.0),
            );
            max_residual = max_residual.max(set.solution_set.distance(&set.member([a, b, c])));
            max_invariant_defect =
                max_invariant_defect.max(set.group.invariance_defect(&set.member([a, b, b])));
        }
    }
    MemberCheck {
        samples: RANDOM_MEMBERS,
        max_residual,
        max_invariant_defect,
    }
}
