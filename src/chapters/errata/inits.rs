//! §3.1.1's "third setting" (erratum E10): which initialisation could the printed random
//! examples have started from?
//!
//! For gradient descent on X the trained network is W = P + W₀(I − P) (the implicit bias, eq.
//! (2.5) of the linear chapter), and since P n = 0 for the normal n of the training plane,
//! W n = W₀ n: each printed example fixes u = W₀ n, three numbers, one per row of W₀. With
//! n = (1, −1, −1), u_i = W₀,i1 − W₀,i2 − W₀,i3, and under each of the paper's initialisations
//! the u_i are independent with a known law:
//!
//! - W₀ = 0 or 𝟙: u = 0 or u = Σ_j n_j, exactly (a point mass);
//! - N(0, σ²) entries: u_i ~ N(0, σ²‖n‖²);
//! - U(0, 1) entries: u_i = Σ_{n_j>0} U_j + Σ_{n_j<0} (1 − U_j) − #{n_j < 0}, an Irwin–Hall
//!   variable shifted by the number of negative signs.
//!
//! The log-likelihood of the printed u under each law says which start the example is
//! consistent with. A printed entry carries a rounding error of at most half a unit in the
//! fourth decimal, so u is known to ‖n‖₁ times that: a point mass is consistent only within it.

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use crate::chapters::linear::PaperInit;
use crate::paper::{self, PrintedMatrix};
use crate::train::Init;

/// One printed matrix against every initialisation of the paper.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExampleFit {
    pub name: String,
    /// u = W n, the part of W₀ gradient descent keeps.
    pub u: Vec<f64>,
    /// (initialisation, log-likelihood of u; −∞ where impossible), in the paper's order.
    pub log_likelihood: Vec<(PaperInit, f64)>,
    /// The initialisation with the largest likelihood.
    pub best: PaperInit,
    /// log L(best) − log L(N(0,1)): how much likelier the best start is than the stated one.
    pub log_ratio_to_stated: f64,
}

/// The printed examples and average, each fitted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RandomExamples {
    /// The normal n of X's training plane (first entry 1).
    pub normal: Vec<f64>,
    /// How far rounding can move u: ‖n‖₁ × half a unit of the fourth decimal.
    pub rounding: f64,
    pub examples: Vec<ExampleFit>,
    /// u of the printed average E W_rnd^SGD and the mean u of U(0,1) starts, −0.5 per entry:
    /// the average cannot be one over U(0,1) starts.
    pub average_u: Vec<f64>,
    pub uniform_mean_u: f64,
    /// Seeds an average of N(0,1) and of N(0,0.05) runs needs to come as close to P as the
    /// printed one: (measured entry spread / printed gap)².
    pub seeds_needed_normal: f64,
    pub seeds_needed_small_normal: f64,
    /// The printed average's largest entry distance from P.
    pub printed_average_gap: f64,
}

/// Density of the Irwin–Hall distribution (the sum of `k` independent U(0,1)) at `s`.
fn irwin_hall_density(k: usize, s: f64) -> f64 {
    if !(0.0..=k as f64).contains(&s) || k == 0 {
        return 0.0;
    }
    let mut factorial = 1.0;
    for j in 1..k {
        factorial *= j as f64;
    }
    let mut sum = 0.0;
    let mut binom = 1.0;
    for j in 0..=k {
        if (j as f64) > s {
            break;
        }
        let sign = if j % 2 == 0 { 1.0 } else { -1.0 };
        sum += sign * binom * (s - j as f64).powi(k as i32 - 1);
        binom = binom * (k - j) as f64 / (j + 1) as f64;
    }
    (sum / factorial).max(0.0)
}

/// log-density of u_i = Σ_j n_j W₀,ij under `init`, for a normal n of ±1 entries; a point mass
/// counts as density 1 within `rounding` of its value and 0 elsewhere.
fn log_density(init: Init, n: &DVector<f64>, u: f64, rounding: f64) -> f64 {
    let point = |v: f64| {
        if (u - v).abs() <= rounding {
            0.0
        } else {
            f64::NEG_INFINITY
        }
    };
    match init {
        Init::Zeros => point(0.0),
        Init::Ones => point(n.sum()),
        Init::Normal { mean, std } => {
            let m = mean * n.sum();
            let sd = std * n.norm();
            let z = (u - m) / sd;
            -0.5 * z * z - libm::log(sd * (2.0 * std::f64::consts::PI).sqrt())
        }
        Init::Uniform { low, high } => {
            // Scale to U(0,1): W₀ = low + (high − low) V.
            let width = high - low;
            let shift = low * n.sum();
            let v = (u - shift) / width;
            let negatives = n.iter().filter(|&&x| x < 0.0).count() as f64;
            libm::log(irwin_hall_density(n.len(), v + negatives) / width)
        }
    }
}

fn printed(m: &PrintedMatrix) -> DMatrix<f64> {
    DMatrix::from_fn(3, 3, |i, j| m.rows[i][j])
}

/// The printed random examples and average against every initialisation of the paper.
/// `normal` is X's normal (entries ±1), `entry_std_*` the measured spread of one entry of
/// W_∞ over N(0,1) and N(0,0.05) starts, `gap` the printed average's distance from P.
pub fn random_examples(
    normal: &DVector<f64>,
    entry_std_normal: f64,
    entry_std_small_normal: f64,
    gap: f64,
) -> RandomExamples {
    let rounding = normal.abs().sum() * paper::rounding_tolerance();
    let examples = [paper::WRND_SGD_1, paper::WRND_SGD_2]
        .iter()
        .map(|m| {
            let u = printed(m) * normal;
            let log_likelihood: Vec<(PaperInit, f64)> = PaperInit::ALL
                .iter()
                .map(|&init| {
                    let ll = u
                        .iter()
                        .map(|&ui| log_density(init.init(), normal, ui, rounding))
                        .sum::<f64>();
                    (init, ll)
                })
                .collect();
            let (best, best_ll) = log_likelihood.iter().copied().fold(
                (PaperInit::Normal, f64::NEG_INFINITY),
                |acc, (i, l)| {
                    if l > acc.1 { (i, l) } else { acc }
                },
            );
            let stated = log_likelihood
                .iter()
                .find(|(i, _)| *i == PaperInit::Normal)
                .map_or(f64::NAN, |(_, l)| *l);
            ExampleFit {
                name: m.name.to_string(),
                u: u.iter().copied().collect(),
                log_likelihood,
                best,
                log_ratio_to_stated: best_ll - stated,
            }
        })
        .collect();
    let average_u = (printed(&paper::E_WRND_SGD) * normal)
        .iter()
        .copied()
        .collect();
    let negatives = normal.iter().filter(|&&x| x < 0.0).count() as f64;
    RandomExamples {
        normal: normal.iter().copied().collect(),
        rounding,
        examples,
        average_u,
        uniform_mean_u: 0.5 * normal.len() as f64 - negatives,
        seeds_needed_normal: (entry_std_normal / gap).powi(2),
        seeds_needed_small_normal: (entry_std_small_normal / gap).powi(2),
        printed_average_gap: gap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Irwin–Hall density integrates to 1 and is the triangle for k = 2.
    #[test]
    fn irwin_hall_is_a_density() {
        let h = 1e-4;
        for k in 1..=4 {
            let total: f64 = (0..(k as f64 / h) as usize)
                .map(|i| irwin_hall_density(k, (i as f64 + 0.5) * h) * h)
                .sum();
            assert!((total - 1.0).abs() < 1e-6, "k = {k}: {total}");
        }
        assert!((irwin_hall_density(2, 0.5) - 0.5).abs() < 1e-12);
        assert!((irwin_hall_density(2, 1.5) - 0.5).abs() < 1e-12);
        assert!((irwin_hall_density(3, 1.5) - 0.75).abs() < 1e-12);
    }

    /// The U(0,1) law of u = U₁ − U₂ − U₃ checked against a histogram of draws.
    #[test]
    fn uniform_law_of_u_matches_sampling() {
        use rand::{RngExt, SeedableRng};
        let n = DVector::from_vec(vec![1.0, -1.0, -1.0]);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let draws = 200_000;
        let (lo, hi) = (-0.6, -0.4);
        let inside = (0..draws)
            .filter(|_| {
                let u: f64 = rng.random::<f64>() - rng.random::<f64>() - rng.random::<f64>();
                (lo..hi).contains(&u)
            })
            .count() as f64
            / draws as f64;
        let init = Init::Uniform {
            low: 0.0,
            high: 1.0,
        };
        let h = 1e-4;
        let predicted: f64 = (0..((hi - lo) / h) as usize)
            .map(|i| libm::exp(log_density(init, &n, lo + (i as f64 + 0.5) * h, 0.0)) * h)
            .sum();
        assert!(
            (inside - predicted).abs() < 0.005,
            "{inside} vs {predicted}"
        );
    }
}
