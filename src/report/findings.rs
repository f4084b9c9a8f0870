//! The report's words: the one-sentence finding that opens each section, computed from the
//! section's numbers, and the claims about the reader's set that the report checks (each a
//! [`Finding`] with the check behind it, shown as a badge).

use serde::Serialize;

use super::Output;
use crate::claims::{ClaimRow, Finding, Verdict};

/// The opening sentence of each section (markdown with inline LaTeX).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Sentences {
    pub set: String,
    pub group: String,
    pub invariant: String,
    pub linear: String,
    pub networks: String,
    pub dynamics: String,
    pub inference: String,
}

/// "a", "a and b", "a, b and c".
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A list of patterns, at most `max` of them named and the rest counted.
fn patterns(items: &[String], max: usize) -> String {
    if items.len() <= max {
        list(items)
    } else {
        format!("{} and {} more", items[..max].join(", "), items.len() - max)
    }
}

fn factorial(n: usize) -> usize {
    (1..=n).product()
}

fn plural(k: usize, one: &str, many: &str) -> String {
    format!("{k} {}", if k == 1 { one } else { many })
}

/// Every section's opening sentence.
pub fn sentences(out: &Output) -> Sentences {
    let n = out.n;
    let g = &out.group;
    let set = format!(
        "$X$ holds {} of length $N = {n}$, {} of the $2^{{{n}}} = {}$ binary patterns; they span a subspace of dimension {} of $\\mathbb{{R}}^{{{n}}}$.",
        plural(out.patterns.len(), "pattern", "patterns"),
        out.patterns.len(),
        out.total_patterns,
        out.linear.rank
    );
    let group = if g.summary.order == 1 {
        format!(
            "No permutation of the {n} positions but the identity maps $X$ onto itself: $\\Sigma_X$ is trivial, every pattern is an orbit of its own, and the symmetry argument says nothing about this set."
        )
    } else {
        format!(
            "$\\Sigma_X$ has order {}{}; it splits $X$ into {} and the {} patterns into {}.",
            g.summary.order,
            if g.summary.order == factorial(n) {
                format!(", all of $S_{{{n}}}$")
            } else {
                String::new()
            },
            plural(g.orbits_on_x.len(), "orbit", "orbits"),
            out.total_patterns,
            plural(g.orbits_on_patterns.len(), "orbit", "orbits")
        )
    };
    let d = out.invariant.dimension;
    let invariant = if d == n * n {
        format!(
            "Every one of the $N^2 = {}$ entries of $W$ is free: with a trivial group, every matrix is $\\Sigma$-invariant.",
            n * n
        )
    } else {
        format!(
            "A $\\Sigma$-invariant $W$ has {d} free parameters instead of $N^2 = {}$: invariance ties the other {} entries to them.",
            n * n,
            n * n - d
        )
    };
    let l = &out.linear;
    let linear = if l.span.is_empty() && l.criterion.is_empty() {
        "No linear solution is bound to reproduce any pattern outside $X$, and the paper's criterion names none either: here the two agree.".to_string()
    } else if l.span == l.criterion {
        format!(
            "Every linear solution also reproduces {}, exactly the patterns the paper's criterion names.",
            patterns(&l.span, 8)
        )
    } else {
        let mut s = if l.span.is_empty() {
            "No linear solution is bound to reproduce any pattern outside $X$".to_string()
        } else {
            format!(
                "Every linear solution also reproduces {}",
                patterns(&l.span, 8)
            )
        };
        if !l.criterion_only.is_empty() {
            s.push_str(&format!(
                "; the paper's criterion would add {}, which a generic solution does not reproduce",
                patterns(&l.criterion_only, 8)
            ));
        }
        if !l.span_only.is_empty() {
            s.push_str(&format!(
                "; the criterion {} {}, which every solution reproduces",
                if l.criterion_only.is_empty() {
                    "misses"
                } else {
                    "and misses"
                },
                patterns(&l.span_only, 8)
            ));
        }
        s.push('.');
        s
    };
    let inference = match &out.inference {
        None => String::new(),
        Some(inf) => {
            let cands: Vec<String> = inf.candidates.iter().map(|p| p.to_string()).collect();
            let moved = inf.group_order - 1 - inf.rules_fixing_test;
            let rules = inf.group_order - 1;
            match cands.len() {
                _ if rules == 0 => format!(
                    "$\\Sigma_X$ is trivial: there is no rule to apply to the test item {}, so the set's relations give no answer.",
                    inf.test
                ),
                0 if rules == 1 => format!(
                    "The only non-trivial rule of $\\Sigma_X$ leaves the test item {} unchanged: the set's relations give no answer.",
                    inf.test
                ),
                1 if rules == 1 => format!(
                    "The only non-trivial rule of $\\Sigma_X$ moves the test item {} to {}: a unique answer.",
                    inf.test, cands[0]
                ),
                0 => format!(
                    "None of the {} non-trivial rules of $\\Sigma_X$ moves the test item {}: the set's relations give no answer.",
                    inf.group_order - 1,
                    inf.test
                ),
                1 => format!(
                    "{} of the {} non-trivial rules move the test item {}, all to {}: a unique answer.",
                    moved,
                    inf.group_order - 1,
                    inf.test,
                    cands[0]
                ),
                k => format!(
                    "{} of the {} non-trivial rules move the test item {}, to {k} different answers ({}): the relations are ambiguous.",
                    moved,
                    inf.group_order - 1,
                    inf.test,
                    patterns(&cands, 8)
                ),
            }
        }
    };
    Sentences {
        set,
        group,
        invariant,
        linear,
        networks: networks_sentence(out),
        dynamics: dynamics_sentence(out),
        inference,
    }
}

fn networks_sentence(out: &Output) -> String {
    let sums = &out.networks.summaries;
    let k = sums.first().map_or(0, |s| s.runs);
    let parts: Vec<String> = sums
        .iter()
        .map(|s| {
            let what = if s.reproduced_by_all.is_empty() {
                "no other pattern".to_string()
            } else {
                patterns(&s.reproduced_by_all, 6)
            };
            format!("the {} networks {what}", s.activation)
        })
        .collect();
    let defect = sums
        .iter()
        .map(|s| s.max_invariance_defect)
        .fold(0.0, f64::max);
    let failed: Vec<String> = sums
        .iter()
        .filter(|s| s.reproduce_x < s.runs)
        .map(|s| {
            format!(
                "{} of the {} {} networks",
                s.runs - s.reproduce_x,
                s.runs,
                s.activation
            )
        })
        .collect();
    let mut sentence = format!(
        "Besides $X$, at {} {}, {} reproduce {}",
        if k == 1 { "its" } else { "all" },
        if k == 1 {
            "one seed".to_string()
        } else {
            format!("{k} seeds")
        },
        sums.first()
            .map_or(String::new(), |s| format!("the {} networks", s.activation)),
        list(
            &parts
                .iter()
                .enumerate()
                .map(|(i, p)| if i == 0 {
                    p.trim_start_matches(&format!("the {} networks ", sums[0].activation))
                        .to_string()
                } else {
                    p.clone()
                })
                .collect::<Vec<_>>()
        )
    );
    if !failed.is_empty() {
        sentence.push_str(&format!(" ({} do not reproduce $X$ itself)", list(&failed)));
    }
    if out.group.summary.order > 1 {
        sentence.push_str(&format!(
            "; no trained $W$ is farther than {} from $\\Sigma$-invariance.",
            crate::fmt::sci(defect, 1)
        ));
    } else {
        sentence.push_str("; with a trivial group every $W$ is invariant.");
    }
    sentence
}

fn dynamics_sentence(out: &Output) -> String {
    let nonlinear: Vec<&super::NetworkDynamics> = out
        .dynamics
        .iter()
        .filter(|d| d.linear_spectrum.is_none())
        .collect();
    if nonlinear.is_empty() {
        return String::new();
    }
    let mut spurious: Vec<String> = Vec::new();
    for d in &nonlinear {
        for p in &d.others_attracting {
            if !spurious.contains(p) {
                spurious.push(p.clone());
            }
        }
    }
    spurious.sort();
    let m = out.patterns.len();
    let total = nonlinear.len();
    let all_held = nonlinear
        .iter()
        .filter(|d| d.items_attracting.len() == m)
        .count();
    let most = nonlinear
        .iter()
        .filter(|d| d.items_attracting.len() < m)
        .map(|d| d.items_attracting.len())
        .max()
        .unwrap_or(0);
    let saddles = nonlinear
        .iter()
        .filter(|d| d.item_kinds.iter().any(|(_, k)| k == "saddle"))
        .count();
    let saddle_note = if saddles > 0 {
        format!("; in {saddles} of them a training item is a saddle, repelled along some direction")
    } else {
        String::new()
    };
    let items = if all_held == total {
        format!(
            "every training item is an attracting fixed point of all {total} trained tanh and sigmoid networks"
        )
    } else {
        format!(
            "{} of the {total} trained tanh and sigmoid networks hold{} every training item as an attracting fixed point ({}{saddle_note})",
            if all_held == 0 {
                "none".to_string()
            } else {
                all_held.to_string()
            },
            if all_held == 1 || all_held == 0 {
                "s"
            } else {
                ""
            },
            if most == 0 {
                "in the others no training item attracts".to_string()
            } else {
                format!("the others at most {most} of the {m}")
            }
        )
    };
    let others = if spurious.is_empty() {
        "no other binary pattern attracts".to_string()
    } else {
        format!(
            "{} also attract{}",
            patterns(&spurious, 6),
            if spurious.len() == 1 { "s" } else { "" }
        )
    };
    let dims: Vec<usize> = out
        .dynamics
        .iter()
        .filter_map(|d| d.fixed_space_dimension)
        .collect();
    let linear = match (dims.iter().min(), dims.iter().max()) {
        (Some(a), Some(b)) if a == b => {
            format!("; each linear network leaves a subspace of dimension {a} unchanged")
        }
        (Some(a), Some(b)) => {
            format!("; the linear networks leave subspaces of dimension {a} to {b} unchanged")
        }
        _ => String::new(),
    };
    // Capitalise the first letter of the sentence.
    let mut s = format!("{items}, and {others}{linear}.");
    if let Some(first) = s.get(0..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s
}

fn finding(id: &str, ours: String, tolerance: Option<&str>, holds: bool) -> Finding {
    Finding {
        id: id.to_string(),
        ours,
        tolerance: tolerance.map(str::to_string),
        verdict: if holds {
            Verdict::Reproduced
        } else {
            Verdict::Failing
        },
        reason: None,
        holds,
    }
}

/// The statement of each claim the report checks.
pub fn statement(id: &str) -> &'static str {
    match id {
        "R1" => "Σ_X is a group, and each of its elements maps X onto X (paper §2).",
        "R2" => {
            "The Σ-invariant matrices are the span of the pair-orbit indicators (paper eqs. 3–5)."
        }
        "R3" => {
            "Every linear solution W = P + V(I − P) reproduces exactly the binary patterns of span X (§3.1)."
        }
        "R4" => "The candidate answers are the images s·t, s ∈ Σ_X, other than t (§4).",
        "R5" => {
            "A trained identity network that learned X reproduces every binary pattern of span X, as every linear solution does (§3.1)."
        }
        "R6" => {
            "Every fixed point found is one, and every attractor pulls nudged starts back at least as fast as its Jacobian predicts (§3.2)."
        }
        _ => "",
    }
}

/// The claims about the set and their checks.
pub fn findings(out: &Output) -> Vec<Finding> {
    let g = &out.group;
    let mut v = vec![finding(
        "R1",
        format!(
            "order {}; closed under composition and inverses: {} ({}); {} of {} elements rechecked to map X onto X",
            g.summary.order,
            if g.is_group { "yes" } else { "no" },
            if g.group_law_checked == g.summary.order {
                "all pairs".to_string()
            } else {
                format!("pairs of the first {} elements", g.group_law_checked)
            },
            g.elements_checked,
            g.summary.order
        ),
        None,
        g.is_group && g.every_element_fixes_x,
    )];
    if let Some(rank) = out.invariant.reynolds_rank {
        v.push(finding(
            "R2",
            format!(
                "{} pair orbits; rank of the Reynolds projections of the N² unit matrices {rank}",
                out.invariant.dimension
            ),
            Some("singular values below 1e-9 of the largest count as zero"),
            rank == out.invariant.dimension,
        ));
    }
    let l = &out.linear;
    v.push(finding(
        "R3",
        format!(
            "{} random solutions: each reproduces X to {:.1e}; the patterns outside X all of them reproduce: {}; span X: {}",
            l.random_members,
            l.member_residual,
            if l.reproduced_by_every_member.is_empty() {
                "none".to_string()
            } else {
                l.reproduced_by_every_member.join(", ")
            },
            if l.span.is_empty() {
                "none".to_string()
            } else {
                l.span.join(", ")
            }
        ),
        Some("‖Wy − y‖∞ < 1e-9"),
        l.reproduced_by_every_member == l.span && l.member_residual < super::linear::EXACT_TOL,
    ));
    let id = out
        .networks
        .summaries
        .iter()
        .find(|s| s.activation == "identity");
    if let Some(id) = id {
        v.push(finding(
            "R5",
            format!(
                "{} of {} identity networks reproduce X; span patterns some network misses: {}; largest training loss {:.1e}",
                id.reproduce_x,
                id.runs,
                if id.span_missed.is_empty() {
                    "none".to_string()
                } else {
                    id.span_missed.join(", ")
                },
                id.max_training_loss
            ),
            Some("output within 0.5 of every bit"),
            id.reproduce_x == id.runs && id.span_missed.is_empty(),
        ));
    }
    let fps = out.dynamics.iter().flat_map(|d| &d.fixed_points);
    let count = fps.clone().count();
    let worst = fps.clone().map(|f| f.residual).fold(0.0, f64::max);
    let attractors: Vec<&super::dynamics::FixedPointRow> = fps
        .filter(|f| f.stability == crate::dynamics::Stability::Attractor)
        .collect();
    let recaptured = attractors.iter().filter(|f| f.recaptures).count();
    // Attractors so weakly held (ρ near 1) that the most steps the check takes are predicted
    // to shrink a nudge by less than a thousandfold: for them it shows a return no slower
    // than the Jacobian's rate, not a return; said apart.
    let slow = attractors
        .iter()
        .filter(|f| f.recapture.as_ref().is_some_and(|r| r.slow))
        .count();
    let steps = attractors
        .iter()
        .filter_map(|f| f.recapture.as_ref().map(|r| r.steps))
        .fold(0, usize::max);
    if count > 0 {
        v.push(finding(
            "R6",
            format!(
                "{count} fixed points, largest residual ‖φ(Wx*) − x*‖ {:.1e}; {recaptured} of {} attractors pull every nudged start back at least as fast as their Jacobian predicts{}{}",
                worst,
                attractors.len(),
                if steps > super::dynamics::RECAPTURE_MIN_STEPS {
                    format!(" (up to {steps} steps for the slowest)")
                } else {
                    String::new()
                },
                if slow > 0 {
                    format!(
                        "; {slow} of them held so weakly (spectral radius near 1) that {} steps shrink a nudge by less than a thousandfold: for these the check shows a return at the predicted rate, not the return itself",
                        super::dynamics::RECAPTURE_MAX_STEPS
                    )
                } else {
                    String::new()
                }
            ),
            Some(
                "residual < 1e-10; nudges of 1e-3 in 2N directions, iterated until the Jacobian predicts them shrunk a thousandfold (2000 to 20000 steps): each ends within 10× the linearised prediction (plus the fixed point's own error) and closer than it began",
            ),
            worst < 1e-10 && recaptured == attractors.len(),
        ));
    }
    if let Some(inf) = &out.inference {
        let mut images: Vec<String> = inf
            .rules
            .iter()
            .filter(|r| r.rule.act_on_pattern(&inf.test) == r.image)
            .map(|r| r.image.to_string())
            .filter(|p| *p != inf.test.to_string())
            .collect();
        images.sort();
        images.dedup();
        let cands: Vec<String> = inf.candidates.iter().map(|p| p.to_string()).collect();
        let all_images_checked = inf
            .rules
            .iter()
            .all(|r| r.rule.act_on_pattern(&inf.test) == r.image);
        v.push(finding(
            "R4",
            format!(
                "{} rules applied to {}: candidates {}",
                inf.rules.len(),
                inf.test,
                if cands.is_empty() {
                    "none".to_string()
                } else {
                    cands.join(", ")
                }
            ),
            None,
            all_images_checked && (inf.rules_truncated || images == cands),
        ));
    }
    v
}

/// The findings as badge rows.
pub fn rows(findings: &[Finding]) -> Vec<ClaimRow> {
    findings
        .iter()
        .map(|f| ClaimRow {
            id: f.id.clone(),
            chapter: "report".into(),
            statement: statement(&f.id).to_string(),
            verdict: f.verdict,
            paper: None,
            ours: Some(f.ours.clone()),
            tolerance: f.tolerance.clone(),
            reason: f.reason.clone(),
            test: None,
            found: None,
            ok: f.holds,
            fit: None,
        })
        .collect()
}
