//! §3.1, "Spectrum and stability of the plane attractor": the spectrum of eq. 6 against the
//! printed formula (L2), and where the plane attracts, measured by iteration against the
//! corrected and the printed condition (L11). Both draw from the chapter's stream.

use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::{Serialize, Serializer};

use super::Params;
use super::coordinates::{SetId, TrainingSet, set_label};
use crate::linear::spectrum;

/// Spectrum check (L2) for one set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpectrumCheck {
    #[serde(serialize_with = "set_label")]
    pub set: SetId,
    pub samples: usize,
    /// max | computed λ₃ − corrected formula | and max | computed λ₃ − printed formula |
    pub corrected_error: f64,
    pub printed_error: f64,
    /// max |λ − 1| of the other two eigenvalues
    pub unit_error: f64,
}

/// The spectrum checks of both sets. Serialised as the list [X, X′].
#[derive(Clone, Debug, PartialEq)]
pub struct Spectra {
    pub x: SpectrumCheck,
    pub x_prime: SpectrumCheck,
}

impl Serialize for Spectra {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq([&self.x, &self.x_prime])
    }
}

/// Stability map (L11) over (a, b) for X's invariant family.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StabilityMap {
    pub grid: usize,
    pub range: (f64, f64),
    /// Each point: (a, b, spectral radius off the plane, converges numerically?)
    pub points: Vec<(f64, f64, f64, bool)>,
    pub corrected_agrees: usize,
    pub printed_agrees: usize,
    pub total: usize,
    /// The same for X' (criterion |a| < 1, printed and correct).
    pub x_prime_agrees: usize,
    pub x_prime_total: usize,
}

/// `samples` random members of eq. 6 on X, then as many on X′.
pub(super) fn spectra(
    x: &TrainingSet,
    xp: &TrainingSet,
    samples: usize,
    rng: &mut ChaCha8Rng,
) -> Spectra {
    let x = spectrum_check(x, samples, rng);
    let x_prime = spectrum_check(xp, samples, rng);
    Spectra { x, x_prime }
}

fn spectrum_check(set: &TrainingSet, samples: usize, rng: &mut ChaCha8Rng) -> SpectrumCheck {
    let mut corrected = 0.0_f64;
    let mut printed = 0.0_f64;
    let mut unit = 0.0_f64;
    for _ in 0..samples {
        let a = rng.random_range(-2.0..2.0);
        let b = rng.random_range(-2.0..2.0);
        let w = set.member([a, b, b]);
        let ev = spectrum(&w);
        // λ₃ is the eigenvalue farthest from 1 (the other two are 1).
        let mut sorted = ev.clone();
        sorted.sort_by(|x, y| libm::hypot(y.0 - 1.0, y.1).total_cmp(&libm::hypot(x.0 - 1.0, x.1)));
        let l3 = sorted[0].0;
        for e in &sorted[1..] {
            unit = unit.max(libm::hypot(e.0 - 1.0, e.1));
        }
        let (ours, theirs) = match set.id {
            SetId::X => (1.0 - a + 2.0 * b, 1.0 - a - 2.0 * b),
            SetId::XPrime => (a, a),
        };
        corrected = corrected.max((l3 - ours).abs());
        printed = printed.max((l3 - theirs).abs());
    }
    SpectrumCheck {
        set: set.id,
        samples,
        corrected_error: corrected,
        printed_error: printed,
        unit_error: unit,
    }
}

/// Does W^k x approach the plane for a generic x? Measured, not assumed: iterate a fixed
/// random start and compare its distance to the plane after 200 steps with the start's.
fn converges_to_plane(set: &TrainingSet, w: &DMatrix<f64>, x0: &DVector<f64>) -> bool {
    let unit = set.normal.normalize();
    let mut x = x0.clone();
    let d0 = unit.dot(&x).abs();
    for _ in 0..200 {
        x = w * x;
        if !x.iter().all(|v| v.is_finite()) || x.norm() > 1e12 {
            return false;
        }
    }
    unit.dot(&x).abs() < 1e-3 * d0
}

pub(super) fn stability_map(
    x: &TrainingSet,
    xp: &TrainingSet,
    p: &Params,
    rng: &mut ChaCha8Rng,
) -> StabilityMap {
    let (lo, hi) = (-2.0, 2.0);
    let g = p.stability_grid.max(2);
    let x0 = DVector::from_vec(vec![
        rng.random_range(0.2..1.0),
        rng.random_range(0.2..1.0),
        rng.random_range(0.2..1.0),
    ]);
    let mut points = Vec::new();
    let (mut corrected_ok, mut printed_ok, mut total) = (0, 0, 0);
    for i in 0..g {
        for j in 0..g {
            let a = lo + (hi - lo) * i as f64 / (g - 1) as f64;
            let b = lo + (hi - lo) * j as f64 / (g - 1) as f64;
            let w = x.member([a, b, b]);
            let l3 = 1.0 - a + 2.0 * b;
            // Points on the boundary |λ₃| = 1 are neither: skip them from the count.
            let radius = x.describe(&w).lambda3.abs();
            let conv = converges_to_plane(x, &w, &x0);
            points.push((a, b, radius, conv));
            if (radius - 1.0).abs() < 1e-9 {
                continue;
            }
            total += 1;
            if (l3.abs() < 1.0) == conv {
                corrected_ok += 1;
            }
            if ((a - 2.0 * b).abs() < 1.0) == conv {
                printed_ok += 1;
            }
        }
    }
    let (mut xp_ok, mut xp_total) = (0, 0);
    for i in 0..g {
        let a = lo + (hi - lo) * i as f64 / (g - 1) as f64;
        if (a.abs() - 1.0).abs() < 1e-9 {
            continue;
        }
        let w = xp.member([a, 0.3, 0.3]);
        xp_total += 1;
        if (a.abs() < 1.0) == converges_to_plane(xp, &w, &x0) {
            xp_ok += 1;
        }
    }
    StabilityMap {
        grid: g,
        range: (lo, hi),
        points,
        corrected_agrees: corrected_ok,
        printed_agrees: printed_ok,
        total,
        x_prime_agrees: xp_ok,
        x_prime_total: xp_total,
    }
}
