//! §3.2, "where the activations are linear" (N6): φ around the pre-activations at which the
//! reproduction networks output 0 and 1, how much its slope changes there and how far the
//! tangent misses; and φ, φ' over the range the Table 1 patterns use, for the figure.

use nalgebra::DMatrix;
use serde::Serialize;

use super::grid::TrainingData;
use super::{ActivationKind, Params, PerActivation};
use crate::network::{Activation, Network};

/// Local linearity of φ at the pre-activation where a network produces 0 or 1.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinearityPoint {
    pub activation: ActivationKind,
    /// The target, 0 or 1.
    pub target: u8,
    /// Mean pre-activation of the units with that target over the training items.
    pub z: f64,
    pub output: f64,
    pub slope: f64,
    /// max φ'/min φ' over [z − h, z + h]: 1 for a linear function.
    pub slope_ratio: f64,
    /// max |φ − tangent at z| / max |φ − φ(z)| over the window.
    pub linearisation_error: f64,
}

/// φ and φ' sampled for the figure, and the pre-activations of the eight patterns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Curve {
    pub activation: ActivationKind,
    /// (z, φ(z), φ'(z)).
    pub points: Vec<(f64, f64, f64)>,
    /// Wx of each Table 1 pattern (rows) for the reproduction network.
    pub pattern_z: Vec<Vec<f64>>,
}

/// N6.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Linearity {
    pub halfwidth: f64,
    /// Per activation, the points where the network outputs 0 and 1 (indexed by the target).
    pub points: PerActivation<[LinearityPoint; 2]>,
    pub curves: PerActivation<Curve>,
}

/// Slope ratio and relative linearisation error of φ over [z − h, z + h].
fn linearity_at(act: Activation, z: f64, h: f64) -> (f64, f64) {
    let k = 200;
    let (f0, d0) = act.value_and_slope(z);
    let (mut dmin, mut dmax, mut err, mut span) = (f64::INFINITY, 0.0_f64, 0.0_f64, 0.0_f64);
    for i in 0..=k {
        let t = z - h + 2.0 * h * i as f64 / k as f64;
        let d = act.derivative(t);
        dmin = dmin.min(d);
        dmax = dmax.max(d);
        err = err.max((act.apply(t) - f0 - d0 * (t - z)).abs());
        span = span.max((act.apply(t) - f0).abs());
    }
    (dmax / dmin, err / span)
}

/// N6 for both reproduction networks.
pub(super) fn linearity(
    p: &Params,
    nets: &PerActivation<Network>,
    data: &TrainingData,
) -> Linearity {
    let h = p.linearity_halfwidth;
    let points = PerActivation {
        tanh: unit_points(ActivationKind::Tanh, &nets.tanh, data, h),
        sigmoid: unit_points(ActivationKind::Sigmoid, &nets.sigmoid, data, h),
    };
    let curves = PerActivation {
        tanh: curve(ActivationKind::Tanh, &nets.tanh, data, h),
        sigmoid: curve(ActivationKind::Sigmoid, &nets.sigmoid, data, h),
    };
    Linearity {
        halfwidth: h,
        points,
        curves,
    }
}

/// The mean pre-activation of the units with target 0 and with target 1 over the items of
/// X', and the linearity of φ in a window ±h around each.
fn unit_points(
    kind: ActivationKind,
    net: &Network,
    data: &TrainingData,
    h: f64,
) -> [LinearityPoint; 2] {
    let (act, w): (Activation, &DMatrix<f64>) = (net.activation, &net.w);
    let mut sums = [(0.0, 0usize); 2];
    for item in data.xp.vectors() {
        let z = w * &item;
        for i in 0..item.len() {
            let k = usize::from(item[i] > 0.5);
            sums[k].0 += z[i];
            sums[k].1 += 1;
        }
    }
    let point = |target: u8| {
        let (s, count) = sums[usize::from(target)];
        let z = s / count.max(1) as f64;
        let (slope_ratio, linearisation_error) = linearity_at(act, z, h);
        LinearityPoint {
            activation: kind,
            target,
            z,
            output: act.apply(z),
            slope: act.derivative(z),
            slope_ratio,
            linearisation_error,
        }
    };
    [point(0), point(1)]
}

/// φ and φ' over the range the Table 1 patterns' pre-activations use (with room for the
/// windows ±h), and those pre-activations.
fn curve(kind: ActivationKind, net: &Network, data: &TrainingData, h: f64) -> Curve {
    let (act, w) = (net.activation, &net.w);
    let pattern_z: Vec<Vec<f64>> = data
        .patterns
        .iter()
        .map(|pat| (w * pat.to_vector()).iter().copied().collect())
        .collect();
    // The range the patterns use, with room for the windows.
    let (zmin, zmax) = pattern_z
        .iter()
        .flatten()
        .fold((-1.0_f64, 1.0_f64), |a, &v| (a.0.min(v), a.1.max(v)));
    let (lo, hi) = ((zmin - h - 0.5).floor(), (zmax + h + 0.5).ceil());
    let k = 240;
    Curve {
        activation: kind,
        points: (0..=k)
            .map(|i| {
                let z = lo + (hi - lo) * i as f64 / k as f64;
                let (y, dy) = act.value_and_slope(z);
                (z, y, dy)
            })
            .collect(),
        pattern_z,
    }
}
