//! Chapter "The ARC example" (paper §4, Fig. 2): the training items X' = {010, 001} as
//! triangles with coloured edges, the one rule (23) that leaves them invariant, its answer 101
//! for the test triangle 110, the rotation (231) that is not a symmetry; the same inference on
//! further training sets; what trained networks do with the test triangle; and how the
//! repertoire of answers depends on the symmetry group. Claims D3, D4.
//!
//! The triangles and the rule inference are here; `networks.rs` (what the networks do with
//! the test triangle), `repertoire.rs` (D4) and `findings.rs` (the verdicts) hold the other
//! sections of the chapter. Pure: `Params` in, `Output` out; no files, no templates.

mod findings;
mod networks;
mod repertoire;

use serde::Serialize;

use crate::analyze::{Inference, infer_with_group};
use crate::chapters::named_set::NamedSet;
use crate::claims::Finding;
use crate::group::{SymmetryGroup, symmetry_group};
use crate::pattern::{Pattern, PatternSet};
use crate::perm::Permutation;
use crate::{Error, Result};
use findings::findings;
use networks::networks;
use repertoire::{chain, repertoire};

pub use networks::{EQUIVARIANCE_TOL, NetRow};
pub use repertoire::{ChainStep, Repertoire};

/// A training set and a test item for the rule inference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExampleSpec {
    /// What the set is, in a few words.
    pub name: String,
    pub set: String,
    pub test: String,
}

/// The six rotations of 001011 and the two of 010101: invariant under the rotations of the
/// 6-cycle and under nothing else (the mirror image of 001011 is not a rotation of it), so Σ is
/// the cyclic group of order 6.
const CYCLIC_SET: &str = "001011,100101,110010,011001,101100,010110,010101,101010";

/// All fifteen patterns of length 6 with two 1s: Σ = S_6.
const WEIGHT_TWO_SET: &str = "110000,101000,100100,100010,100001,011000,010100,010010,010001,001100,001010,001001,000110,000101,000011";

fn example(name: &str, set: &str, test: &str) -> ExampleSpec {
    ExampleSpec {
        name: name.into(),
        set: set.into(),
        test: test.into(),
    }
}

/// The settings of the chapter. `Default` is the book's setting; the paper gives none of the
/// training settings, so these are ours (those of the linear chapter where they overlap).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    /// Seeds every random draw (the Adam run's init and batches).
    pub seed: u64,
    /// The paper's training set X' and test triangle.
    pub training: String,
    pub test: String,
    /// The rule as the paper prints it, and the rotation it shows is not a symmetry.
    pub paper_rule: String,
    pub rotation: String,
    /// Further training sets and test items for the rule inference (the paper's first).
    pub examples: Vec<ExampleSpec>,
    /// Chains of training sets whose symmetry groups are nested, smallest first (D4).
    pub chains: Vec<Vec<NamedSet>>,
    /// Linear network by full-batch gradient descent from W = 0.
    pub sgd_lr: f64,
    pub sgd_steps: usize,
    /// Linear network by Adam on batches of 2 drawn with replacement, from W₀ ~ U(0,1).
    pub adam_lr: f64,
    pub adam_steps: usize,
    /// tanh(z − c) and σ(cz) networks, full-batch gradient descent from W = 0.
    pub tanh_c: f64,
    pub tanh_lr: f64,
    pub tanh_steps: usize,
    pub sigmoid_c: f64,
    pub sigmoid_lr: f64,
    pub sigmoid_steps: usize,
    /// A permutation s is a symmetry of a trained W when ‖s·W − W‖_F ≤ this.
    pub weight_symmetry_tol: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 2024,
            training: "010,001".into(),
            test: "110".into(),
            paper_rule: "(32)".into(),
            rotation: "(231)".into(),
            examples: vec![
                example("the paper's X′", "010,001", "110"),
                example("the paper's X", "101,110", "011"),
                example("all single 1s", "100,010,001", "110"),
                example("no symmetry", "100,110", "011"),
                example("two blocks", "1100,0011", "1000"),
                example(
                    "adjacent pairs on a 6-cycle (dihedral)",
                    "110000,011000,001100,000110,000011,100001",
                    "101000",
                ),
                example("a chiral necklace (cyclic)", CYCLIC_SET, "111000"),
            ],
            chains: vec![
                vec![
                    NamedSet::new("no symmetry", "100,110"),
                    NamedSet::new("the paper's X′", "010,001"),
                    NamedSet::new("all single 1s", "100,010,001"),
                ],
                vec![
                    NamedSet::new("a chiral necklace (cyclic)", CYCLIC_SET),
                    NamedSet::new(
                        "adjacent pairs on a 6-cycle (dihedral)",
                        "110000,011000,001100,000110,000011,100001",
                    ),
                    NamedSet::new("all pairs", WEIGHT_TWO_SET),
                ],
            ],
            sgd_lr: 0.5,
            sgd_steps: 3_000,
            adam_lr: 1e-3,
            adam_steps: 30_000,
            tanh_c: 0.0,
            tanh_lr: 0.5,
            tanh_steps: 20_000,
            sigmoid_c: 1.0,
            sigmoid_lr: 5.0,
            sigmoid_steps: 20_000,
            weight_symmetry_tol: 1e-6,
        }
    }
}

impl Params {
    /// Shorter training, same structure.
    pub fn quick() -> Self {
        Params {
            adam_steps: 10_000,
            tanh_steps: 5_000,
            sigmoid_steps: 5_000,
            ..Params::default()
        }
    }
}

/// One permutation of S_N applied to the training set (the figure's panels).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Applied {
    /// As the paper prints it.
    pub printed: String,
    /// Parsed; serialised in our cycle notation (each cycle from its smallest point).
    pub sigma: Permutation,
    /// s·x for each training item, in order.
    pub image: Vec<Pattern>,
    pub is_symmetry: bool,
    /// s·t for the test item.
    pub test_image: Pattern,
}

/// The rule inference on one example.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExampleResult {
    pub name: String,
    pub group: SymmetryGroup,
    pub inference: Inference,
}

/// The chapter's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub params: Params,
    /// Pattern length N of the paper's example.
    pub n: usize,
    pub training: PatternSet,
    pub test: Pattern,
    pub group: SymmetryGroup,
    /// The paper's inference: rules of X' applied to the test triangle.
    pub inference: Inference,
    /// The paper's rule and rotation applied to X' and to the test triangle.
    pub rule: Applied,
    pub rotation: Applied,
    /// Every permutation of S_N applied to X': which are symmetries.
    pub all_permutations: Vec<Applied>,
    pub examples: Vec<ExampleResult>,
    pub networks: Vec<NetRow>,
    pub repertoire: Vec<Repertoire>,
    pub chains: Vec<Vec<ChainStep>>,
    pub findings: Vec<Finding>,
}

fn applied(printed: &str, sigma: Permutation, set: &PatternSet, test: &Pattern) -> Applied {
    let image = sigma.act_on_set(set);
    Applied {
        printed: printed.to_string(),
        is_symmetry: set.same_set(&image),
        test_image: sigma.act_on_pattern(test),
        image,
        sigma,
    }
}

// ANCHOR: compute
/// Run the whole chapter.
pub fn compute(p: &Params) -> Result<Output> {
    validate(p)?;
    let training = PatternSet::parse(&p.training)?;
    let test = Pattern::parse(&p.test)?;
    let n = training.n();
    let group = symmetry_group(&training)?;
    // §4's recipe: the rules are Σ_X' \ {e}; apply them to the test triangle.
    let inference = infer_with_group(&group, &training, &test)?;
    let rule = applied(
        &p.paper_rule,
        Permutation::parse_cycles(&p.paper_rule, n)?,
        &training,
        &test,
    );
    let rotation = applied(
        &p.rotation,
        Permutation::parse_cycles(&p.rotation, n)?,
        &training,
        &test,
    );
    let all_permutations = Permutation::all(n)?
        .into_iter()
        .map(|s| applied(&s.to_cycle_notation(), s, &training, &test))
        .collect();
    let examples = p
        .examples
        .iter()
        .map(|e| {
            let set = PatternSet::parse(&e.set)?;
            let group = symmetry_group(&set)?;
            Ok(ExampleResult {
                name: e.name.clone(),
                inference: infer_with_group(&group, &set, &Pattern::parse(&e.test)?)?,
                group,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let networks = networks(p, &training, &test, &rule.sigma)?;
    // Every distinct training set of the examples and the chains, by group order.
    let mut named_sets: Vec<(String, PatternSet)> = Vec::new();
    let listed = p.examples.iter().map(|e| (&e.name, &e.set));
    for (name, s) in listed.chain(p.chains.iter().flatten().map(|c| (&c.name, &c.set))) {
        let set = PatternSet::parse(s)?;
        if !named_sets.iter().any(|(_, o)| o.same_set(set.patterns())) {
            named_sets.push((name.clone(), set));
        }
    }
    let mut repertoire = named_sets
        .iter()
        .map(|(name, set)| repertoire(name, set))
        .collect::<Result<Vec<_>>>()?;
    repertoire.sort_by_key(|r| (r.order, r.set.n()));
    let chains = p
        .chains
        .iter()
        .map(|c| chain(c))
        .collect::<Result<Vec<_>>>()?;
    let mut out = Output {
        params: p.clone(),
        n,
        training,
        test,
        group,
        inference,
        rule,
        rotation,
        all_permutations,
        examples,
        networks,
        repertoire,
        chains,
        findings: Vec::new(),
    };
    out.findings = findings(&out);
    Ok(out)
}
// ANCHOR_END: compute

fn validate(p: &Params) -> Result<()> {
    let bad = |name: &str, value: String, why: &str| Err(Error::invalid(name, value, why));
    if p.chains.is_empty() || p.chains.iter().any(|c| c.len() < 2) {
        return bad(
            "chains",
            format!("{} chains", p.chains.len()),
            "give at least one chain, each of at least two training sets",
        );
    }
    if p.examples.is_empty() {
        return bad("examples", "[]".into(), "give at least one example");
    }
    if !(p.weight_symmetry_tol.is_finite() && p.weight_symmetry_tol > 0.0) {
        return bad(
            "weight_symmetry_tol",
            p.weight_symmetry_tol.to_string(),
            "must be finite and > 0",
        );
    }
    Ok(())
}
