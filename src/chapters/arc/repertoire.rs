//! "The ARC example", a sufficiently rich repertoire of operations (D4): how a training set's
//! symmetry group serves every possible test item, and how the answers grow along chains of
//! training sets with nested groups.

use serde::Serialize;

use crate::Result;
use crate::analyze::infer_with_group;
use crate::chapters::named_set::NamedSet;
use crate::group::symmetry_group;
use crate::linear::SolutionSet;
use crate::pattern::{Pattern, PatternSet};

/// How a training set's group serves all possible test items (D4).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Repertoire {
    pub name: String,
    pub set: PatternSet,
    pub order: usize,
    /// Test items considered: all 2^N patterns outside X.
    pub tests: usize,
    /// …with no candidate answer, exactly one, several.
    pub none: usize,
    pub unique: usize,
    pub ambiguous: usize,
    pub mean_candidates: f64,
    pub max_candidates: usize,
    /// Is X ∪ (patterns every linear solution reproduces) a union of Σ-orbits?
    pub linear_closed: bool,
}

/// One step of the nested chain (D4).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChainStep {
    pub name: String,
    pub set: PatternSet,
    pub order: usize,
    /// Patterns t ∈ {0,1}^N (all of them) with at least one candidate answer.
    pub covered: usize,
    pub total: usize,
    /// Total number of candidate answers over all t.
    pub answers: usize,
    /// Is this group a subgroup of the next one, with every candidate set contained in the
    /// next one's (None for the last step)?
    pub nested_in_next: Option<bool>,
}

/// D4: the answers a set's group gives for every test item outside the set.
pub(super) fn repertoire(name: &str, set: &PatternSet) -> Result<Repertoire> {
    let group = symmetry_group(set)?;
    let (mut none, mut unique, mut ambiguous, mut total_candidates, mut max) = (0, 0, 0, 0, 0);
    let tests: Vec<Pattern> = Pattern::all(set.n())?
        .into_iter()
        .filter(|t| !set.contains(t))
        .collect();
    for t in &tests {
        let k = infer_with_group(&group, set, t)?.candidates.len();
        match k {
            0 => none += 1,
            1 => unique += 1,
            _ => ambiguous += 1,
        }
        total_candidates += k;
        max = max.max(k);
    }
    // span X is Σ-invariant, so the patterns every linear solution reproduces should be a
    // union of orbits: the network's generalisation respects the relations.
    let solutions = SolutionSet::new(set, &group)?;
    let mut reproduced: Vec<Pattern> = solutions.generalizes_to(set)?;
    reproduced.extend(set.patterns().iter().cloned());
    let linear_closed = reproduced
        .iter()
        .all(|p| group.orbit(p).iter().all(|q| reproduced.contains(q)));
    Ok(Repertoire {
        name: name.to_string(),
        set: set.clone(),
        order: group.order(),
        tests: tests.len(),
        none,
        unique,
        ambiguous,
        mean_candidates: total_candidates as f64 / tests.len().max(1) as f64,
        max_candidates: max,
        linear_closed,
    })
}

/// D4: a chain of training sets with nested groups; the candidate answers of every pattern.
pub(super) fn chain(specs: &[NamedSet]) -> Result<Vec<ChainStep>> {
    let sets = specs
        .iter()
        .map(|s| PatternSet::parse(&s.set))
        .collect::<Result<Vec<_>>>()?;
    let groups = sets
        .iter()
        .map(symmetry_group)
        .collect::<Result<Vec<_>>>()?;
    let candidates = |k: usize| -> Result<Vec<Vec<Pattern>>> {
        Pattern::all(sets[k].n())?
            .iter()
            .map(|t| Ok(infer_with_group(&groups[k], &sets[k], t)?.candidates))
            .collect()
    };
    let mut out = Vec::new();
    for k in 0..sets.len() {
        let mine = candidates(k)?;
        let nested_in_next = match sets.get(k + 1) {
            None => None,
            Some(next) if next.n() != sets[k].n() => Some(false),
            Some(_) => {
                let next = candidates(k + 1)?;
                let subgroup = groups[k]
                    .elements()
                    .iter()
                    .all(|s| groups[k + 1].contains(s));
                let contained = mine
                    .iter()
                    .zip(&next)
                    .all(|(a, b)| a.iter().all(|p| b.contains(p)));
                Some(subgroup && contained)
            }
        };
        out.push(ChainStep {
            name: specs[k].name.clone(),
            set: sets[k].clone(),
            order: groups[k].order(),
            covered: mine.iter().filter(|c| !c.is_empty()).count(),
            total: mine.len(),
            answers: mine.iter().map(Vec::len).sum(),
            nested_in_next,
        });
    }
    Ok(out)
}
