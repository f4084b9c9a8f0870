//! "Analytical prelude", the verdicts on P1–P5 from the computed [`Output`], and the
//! tolerance that gives "compatible" (P3) its meaning.

use super::{OrbitFixedPoint, Output, SetAnalysis};
use crate::Result;
use crate::claims::{Finding, Verdict};
use crate::dynamics::Stability;
use crate::group::SymmetryGroup;
use crate::pattern::Pattern;
use crate::perm::Permutation;

/// Tolerance for "compatible": rounding of a 3×3 product and one activation, a few ulps of
/// values of order 1, so 1e-12 leaves three orders of margin.
pub const COMPAT_TOL: f64 = 1e-12;

pub(super) fn findings(out: &Output) -> Result<Vec<Finding>> {
    Ok(vec![
        p1_identity(out),
        p2_groups(out)?,
        p3_compatibility(out),
        p4_orbit_stability(out),
        p5_invariant_form(out),
    ])
}

/// P1: the identity reproduces every training set exactly.
fn p1_identity(out: &Output) -> Finding {
    Finding {
        id: "P1".into(),
        ours: format!(
            "largest training loss of W = I over {} sets (N = {}–{}): {}",
            out.identity.sets_checked,
            out.identity.lengths.first().copied().unwrap_or(0),
            out.identity.lengths.last().copied().unwrap_or(0),
            if out.identity.max_loss == 0.0 {
                "0 (exact)".to_string()
            } else {
                format!("{:e}", out.identity.max_loss)
            }
        ),
        tolerance: Some("exactly 0".into()),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: out.identity.max_loss == 0.0,
    }
}

/// P2: Σ_X and Σ_X′ are {e, (23)}, and their orbits partition the sets.
fn p2_groups(out: &Output) -> Result<Finding> {
    let swap = Permutation::transposition(3, 1, 2)?;
    let expected = [Permutation::identity(3), swap];
    let is_e23 = |g: &SymmetryGroup| g.order() == 2 && expected.iter().all(|s| g.contains(s));
    let partitions = |a: &SetAnalysis| {
        let mut members: Vec<Pattern> = a.orbits.iter().flatten().cloned().collect();
        members.sort();
        let mut all = a.patterns.patterns().to_vec();
        all.sort();
        members == all
    };
    Ok(Finding {
        id: "P2".into(),
        ours: format!(
            "Σ_X = {{{}}}, Σ_X' = {{{}}}; orbits {} and {}",
            names(&out.x.group),
            names(&out.x_prime.group),
            orbit_text(&out.x.orbits),
            orbit_text(&out.x_prime.orbits)
        ),
        tolerance: None,
        verdict: Verdict::Reproduced,
        reason: Some(
            "(32) and (23) name the same transposition; we write cycles from their smallest point."
                .into(),
        ),
        holds: is_e23(&out.x.group)
            && is_e23(&out.x_prime.group)
            && partitions(&out.x)
            && partitions(&out.x_prime),
    })
}

/// P3: invariant W are compatible with Σ, others are not.
fn p3_compatibility(out: &Output) -> Finding {
    let inv_max = out
        .compat
        .iter()
        .map(|c| c.invariant_max_error)
        .fold(0.0, f64::max);
    let non_min = out
        .compat
        .iter()
        .map(|c| c.noninvariant_min_error)
        .fold(f64::INFINITY, f64::min);
    Finding {
        id: "P3".into(),
        ours: format!(
            "invariant W: max ‖φ_W(s·x) − s·φ_W(x)‖ = {inv_max:.1e}; non-invariant W: min = {non_min:.3} ({} matrices per kind and activation)",
            out.params.p3_matrices
        ),
        tolerance: Some(format!("compatible means error < {COMPAT_TOL:e}")),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: inv_max < COMPAT_TOL && non_min > 1e3 * COMPAT_TOL,
    }
}

/// P4: images of a fixed point under Σ are fixed points of the same type.
fn p4_orbit_stability(out: &Output) -> Finding {
    let st = &out.stability;
    let stable: Vec<&OrbitFixedPoint> = st
        .fixed_points
        .iter()
        .filter(|p| p.point.stability == Stability::Attractor)
        .collect();
    let orbit_ok = st.fixed_points.iter().all(|p| {
        p.images
            .iter()
            .all(|j| j.is_some_and(|j| st.fixed_points[j].point.stability == p.point.stability))
            && p.spectrum_gap < 1e-9
    });
    let items_stable = out
        .x_prime
        .patterns
        .patterns()
        .iter()
        .all(|x| stable.iter().any(|p| &p.nearest_pattern == x));
    Finding {
        id: "P4".into(),
        ours: format!(
            "{} fixed points of an invariant sigmoid network trained on X' ({} attractors, near {}); every image s·x* is a fixed point of the same type, spectra equal to {:.0e}",
            st.fixed_points.len(),
            stable.len(),
            stable
                .iter()
                .map(|p| p.nearest_pattern.to_string())
                .collect::<Vec<_>>()
                .join(" and "),
            st.fixed_points
                .iter()
                .map(|p| p.spectrum_gap)
                .fold(0.0, f64::max)
                .max(1e-16)
        ),
        tolerance: Some("spectra equal to 1e-9".into()),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: orbit_ok && items_stable && st.defect < 1e-9,
    }
}

/// P5: the computed invariant form against the printed eq. 5.
fn p5_invariant_form(out: &Output) -> Finding {
    let printed = crate::claims::spec_of("P5")
        .and_then(|s| s.paper)
        .unwrap_or_default();
    let same = out.x.invariant_form == printed && out.x_prime.invariant_form == printed;
    Finding {
        id: "P5".into(),
        ours: format!(
            "{} (dimension {})",
            out.x.invariant_form, out.x.invariant_dimension
        ),
        tolerance: None,
        verdict: Verdict::Reproduced,
        reason: None,
        holds: same && out.x.invariant_dimension == 5,
    }
}

fn names(g: &SymmetryGroup) -> String {
    g.elements()
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn orbit_text(orbits: &[Vec<Pattern>]) -> String {
    orbits
        .iter()
        .map(|o| {
            format!(
                "{{{}}}",
                o.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}
