//! Table 1's identity column (L13) and the flow field of Fig. 1, left (L14).

use nalgebra::DMatrix;
use serde::Serialize;

use super::Params;
use super::coordinates::Ctx;
use super::grid::{Run, inits};
use crate::network::{Activation, Network};
use crate::paper;
use crate::pattern::Pattern;
use crate::train::matrix_from_rows;
use crate::{Error, Result};

/// One row of Table 1 (identity column).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table1Row {
    pub pattern: Pattern,
    pub printed: f64,
    /// Our loss for each init (SGD full batch), in `inits()` order.
    pub ours: Vec<f64>,
    /// The network of the flow field.
    pub flow_network: f64,
    /// What theory fixes: Some(0) for patterns in span X', None when it depends on the init.
    pub theory: Option<f64>,
}

/// The flow field of Fig. 1 (left).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    pub network: String,
    pub w: Vec<Vec<f64>>,
    pub lambda3: f64,
    pub trajectories: Vec<Vec<Vec<f64>>>,
    /// Distance to the training plane at step k, for every start (rows = starts).
    pub plane_distance: Vec<Vec<f64>>,
    pub max_distance_at_fixed_step: f64,
    pub fixed_step: usize,
    /// max over starts of |W^k x − (limit predicted by the eigen-decomposition)|
    pub limit_error: f64,
    /// max over starts and steps of | d_k − |λ₃|^k d_0 |, d_k the distance to the plane: the
    /// normal component of W^k x is exactly λ₃^k times that of x.
    pub rate_error: f64,
}

pub(super) fn flow(ctx: &Ctx, run: &Run, p: &Params) -> Result<Flow> {
    let w = matrix_from_rows(&run.trained.w)?;
    let net = Network::new(w.clone(), Activation::Identity)?;
    let starts = crate::dynamics::grid(p.flow_grid, 0.0, 1.0, 3);
    let unit = ctx.normal.normalize();
    let mut trajectories = Vec::new();
    let mut plane_distance = Vec::new();
    let mut max_fixed = 0.0_f64;
    let mut limit_error = 0.0_f64;
    let mut rate_error = 0.0_f64;
    let l3 = run.trained.lambda3.abs();
    // The limit of W^k x when |λ₃| < 1: the projection onto the plane along the eigenvector
    // of λ₃ (here v = (W − I) n), i.e. x − v (nᵀx)/(nᵀv).
    let v = (&w - DMatrix::identity(3, 3)) * &unit;
    for s in &starts {
        let path = crate::dynamics::iterate(&net, s, p.flow_fixed_steps);
        let d: Vec<f64> = path.iter().map(|x| unit.dot(x).abs()).collect();
        for (k, dk) in d.iter().enumerate() {
            rate_error = rate_error.max((dk - l3.powi(k as i32) * d[0]).abs());
        }
        plane_distance.push(d);
        let end = path.last().cloned().unwrap_or_else(|| s.clone());
        max_fixed = max_fixed.max(unit.dot(&end).abs());
        if unit.dot(&v).abs() > 1e-12 {
            let limit = s - &v * (unit.dot(s) / unit.dot(&v));
            limit_error = limit_error.max((&end - limit).norm());
        }
        trajectories.push(
            path.iter()
                .take(p.flow_steps + 1)
                .map(|x| x.iter().copied().collect())
                .collect(),
        );
    }
    Ok(Flow {
        network: format!(
            "{} on X' from init {} (seed {})",
            run.setup, run.init, run.seed
        ),
        w: run.trained.w.clone(),
        lambda3: run.trained.lambda3,
        trajectories,
        plane_distance,
        max_distance_at_fixed_step: max_fixed,
        fixed_step: p.flow_fixed_steps,
        limit_error,
        rate_error,
    })
}

pub(super) fn table1(xp: &Ctx, runs: &[Run], flow_run: &Run) -> Result<Vec<Table1Row>> {
    let nets: Vec<Network> = inits()
        .iter()
        .map(|init| {
            let run = runs
                .iter()
                .find(|r| r.set == "X'" && r.setup == "SGD, full batch" && r.init == init.label())
                .ok_or_else(|| Error::InvalidParameter {
                    name: "runs".into(),
                    value: init.label(),
                    why: "missing".into(),
                })?;
            Network::new(matrix_from_rows(&run.trained.w)?, Activation::Identity)
        })
        .collect::<Result<_>>()?;
    let flow_net = Network::new(matrix_from_rows(&flow_run.trained.w)?, Activation::Identity)?;
    paper::TABLE1
        .iter()
        .map(|(pat, id, _, _)| {
            let pattern = Pattern::parse(pat)?;
            let v = pattern.to_vector();
            Ok(Table1Row {
                theory: xp.sol.in_span(&v).then_some(0.0),
                ours: nets.iter().map(|n| n.pattern_loss(&v)).collect(),
                flow_network: flow_net.pattern_loss(&v),
                printed: *id,
                pattern,
            })
        })
        .collect()
}
