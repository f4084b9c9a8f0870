//! §3.2.1, Table 1: the table row by row (the print, our networks, the reproductions), the
//! entries theory fixes whatever the training did, the additive relations a separable network
//! satisfies, and what changing c does (the sweep). The reproduction itself is in
//! `reproduction`.

use serde::Serialize;

use super::grid::{Grid, PaperInit, RunKey, Setup, TrainingData, TrainingSet, train_run};
use super::reproduction::Reproduction;
use super::{ActivationKind, Params, PerActivation, printed_column};
use crate::Result;
use crate::network::Activation;
use crate::paper;
use crate::pattern::Pattern;
use crate::seeds;
use crate::train::Init;

/// One row of Table 1: the printed values, what theory fixes, and ours.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table1Row {
    pub pattern: Pattern,
    pub printed_id: f64,
    pub printed_tanh: f64,
    pub printed_sigmoid: f64,
    /// The value theory fixes for every W, where it does: tanh²(c) and ¼ at 000.
    pub theory_tanh: Option<f64>,
    pub theory_sigmoid: Option<f64>,
    /// Ours, SGD full batch, one value per initialisation in `PaperInit::ALL` order.
    pub tanh_ours: Vec<f64>,
    pub sigmoid_ours: Vec<f64>,
    /// Ours, Adam on random pairs from U(0,1).
    pub tanh_adam: f64,
    pub sigmoid_adam: f64,
    /// The reproduction with the inferred first column.
    pub tanh_repro: f64,
    pub sigmoid_repro: f64,
}

/// An additive relation between Table 1 entries: lhs = a + b, rhs = c + d.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Relation {
    pub lhs: [String; 2],
    pub rhs: [String; 2],
    /// (lhs sum, rhs sum), printed and ours (the reproduction networks).
    pub printed_tanh: (f64, f64),
    pub printed_sigmoid: (f64, f64),
    pub ours_tanh: (f64, f64),
    pub ours_sigmoid: (f64, f64),
}

/// What Table 1 must show whatever the training did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Theory {
    /// max |L(000) − ¼| over every sigmoid network we trained; max |L(000) − tanh²c| over the
    /// tanh ones.
    pub sigmoid_000_error: f64,
    pub tanh_000_error: f64,
    pub tanh_000_value: f64,
    /// The largest |c| with tanh²c < half a unit in the fourth decimal: what the printed
    /// 0.0000 allows.
    pub c_bound: f64,
    pub relations: Vec<Relation>,
    /// L(110) − L(101) as printed: zero for any Σ-invariant network, since (23)·110 = 101.
    pub printed_swap_gap_tanh: f64,
    pub printed_swap_gap_sigmoid: f64,
    /// Half a unit in the fourth decimal, twice: the largest gap two rounded values can hide.
    pub rounding_gap: f64,
}

/// Table 1 entries for one value of c (SGD full batch from W = 0).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepRow {
    pub activation: ActivationKind,
    pub c: f64,
    pub table: Vec<f64>,
    pub final_loss: f64,
}

/// The relations L(a) + L(b) = L(c) + L(d) that hold when each output depends on x₁ and its
/// own input only (W₁₂ = W₁₃ = W₂₃ = W₃₂ = 0): then L(x) = Σ_i f_i(x₁, x_i) is a sum of
/// terms in (x₁, x₂) and (x₁, x₃), and the mixed differences vanish.
fn relations(patterns: &[Pattern], tanh: &[f64], sigmoid: &[f64]) -> Vec<Relation> {
    let idx = |s: &str| patterns.iter().position(|p| p.to_string() == s);
    let quads = [["100", "111", "110", "101"], ["000", "011", "010", "001"]];
    let printed_t = printed_column(ActivationKind::Tanh);
    let printed_s = printed_column(ActivationKind::Sigmoid);
    quads
        .iter()
        .filter_map(|q| {
            let k: Vec<usize> = q.iter().map(|s| idx(s)).collect::<Option<_>>()?;
            let pair = |v: &[f64]| (v[k[0]] + v[k[1]], v[k[2]] + v[k[3]]);
            Some(Relation {
                lhs: [q[0].to_string(), q[1].to_string()],
                rhs: [q[2].to_string(), q[3].to_string()],
                printed_tanh: pair(&printed_t),
                printed_sigmoid: pair(&printed_s),
                ours_tanh: pair(tanh),
                ours_sigmoid: pair(sigmoid),
            })
        })
        .collect()
}

/// Table 1 row by row: the print, what theory fixes, our SGD networks on X' from every
/// initialisation, Adam on random pairs from U(0,1), and the reproductions.
pub(super) fn rows(
    p: &Params,
    patterns: &[Pattern],
    grid: &Grid,
    reproductions: &PerActivation<Reproduction>,
) -> Vec<Table1Row> {
    let run = |activation, setup, init| {
        grid.get(RunKey {
            activation,
            set: TrainingSet::XPrime,
            setup,
            init,
        })
    };
    let per_init = |kind, k: usize| -> Vec<f64> {
        PaperInit::ALL
            .into_iter()
            .map(|init| run(kind, Setup::SgdFullBatch, init).table[k])
            .collect()
    };
    let adam = |kind, k: usize| run(kind, Setup::AdamPairs, PaperInit::Uniform).table[k];
    let (tanh, sigmoid) = (ActivationKind::Tanh, ActivationKind::Sigmoid);
    patterns
        .iter()
        .zip(paper::TABLE1.iter())
        .enumerate()
        .map(|(k, (pat, &(_, id, t, s)))| {
            let zero = pat.bits().iter().all(|&b| b == 0);
            Table1Row {
                pattern: pat.clone(),
                printed_id: id,
                printed_tanh: t,
                printed_sigmoid: s,
                theory_tanh: zero.then(|| p.tanh().apply(0.0).powi(2)),
                theory_sigmoid: zero.then_some(0.25),
                tanh_ours: per_init(tanh, k),
                sigmoid_ours: per_init(sigmoid, k),
                tanh_adam: adam(tanh, k),
                sigmoid_adam: adam(sigmoid, k),
                tanh_repro: reproductions.tanh.table[k],
                sigmoid_repro: reproductions.sigmoid.table[k],
            }
        })
        .collect()
}

/// What Table 1 must show whatever the training did, checked over every network we trained.
pub(super) fn theory(
    p: &Params,
    patterns: &[Pattern],
    grid: &Grid,
    reproductions: &PerActivation<Reproduction>,
) -> Theory {
    let zeros: Vec<usize> = patterns
        .iter()
        .enumerate()
        .filter(|(_, q)| q.bits().iter().all(|&b| b == 0))
        .map(|(k, _)| k)
        .collect();
    let err_000 = |kind: ActivationKind, want: f64| {
        grid.iter()
            .filter(|(key, _)| key.activation == kind)
            .map(|(_, r)| &r.table)
            .chain([&reproductions.get(kind).table])
            .flat_map(|table| zeros.iter().map(move |&k| (table[k] - want).abs()))
            .fold(0.0, f64::max)
    };
    let tanh_000 = p.tanh().apply(0.0).powi(2);
    let swap = |kind: ActivationKind| {
        let v = printed_column(kind);
        let i110 = patterns.iter().position(|q| q.to_string() == "110");
        let i101 = patterns.iter().position(|q| q.to_string() == "101");
        match (i110, i101) {
            (Some(a), Some(b)) => v[a] - v[b],
            _ => f64::NAN,
        }
    };
    let (rt, rs) = (&reproductions.tanh, &reproductions.sigmoid);
    Theory {
        sigmoid_000_error: err_000(ActivationKind::Sigmoid, 0.25),
        tanh_000_error: err_000(ActivationKind::Tanh, tanh_000),
        tanh_000_value: tanh_000,
        c_bound: paper::rounding_tolerance().sqrt().atanh(),
        relations: relations(patterns, &rt.table, &rs.table),
        printed_swap_gap_tanh: swap(ActivationKind::Tanh),
        printed_swap_gap_sigmoid: swap(ActivationKind::Sigmoid),
        rounding_gap: 2.0 * paper::rounding_tolerance(),
    }
}

/// What changing c does: SGD full batch from W = 0 on X' for each c of the sweep. These runs
/// draw nothing (zero init, full batches), so they take the chapter's seed as it is.
pub(super) fn sweep(p: &Params, data: &TrainingData) -> Result<PerActivation<Vec<SweepRow>>> {
    let row = |kind: ActivationKind, c: f64| -> Result<SweepRow> {
        let act = match kind {
            ActivationKind::Tanh => Activation::Tanh { c },
            ActivationKind::Sigmoid => Activation::Sigmoid { c },
        };
        let seed = seeds::chapter(p.seed);
        let r = train_run(
            p,
            data,
            act,
            TrainingSet::XPrime,
            Setup::SgdFullBatch,
            Init::Zeros,
            seed,
        )?;
        Ok(SweepRow {
            activation: kind,
            c,
            table: r.table,
            final_loss: r.final_loss,
        })
    };
    PerActivation::try_new(|kind| {
        let list = match kind {
            ActivationKind::Tanh => &p.tanh_c_sweep,
            ActivationKind::Sigmoid => &p.sigmoid_c_sweep,
        };
        list.iter().map(|&c| row(kind, c)).collect()
    })
}
