//! Every seed the book derives, in one place (STYLE §9: all randomness from the one seed in a
//! chapter's `Params`).
//!
//! A chapter's `Params.seed` (2024 by default, `--seed` on the command line) is the only source
//! of randomness. Each function here turns it into the seed of one random stream, named after
//! what that stream draws. The formulas are arbitrary but fixed: they keep the streams of
//! different runs apart, and changing one would change the book's numbers, so the test
//! `seeds_are_pinned_at_2024` holds each to the value it had when it was introduced.
//! All arithmetic wraps (a seed is 64 bits of entropy, not a quantity).

/// The chapter's own stream, for draws that are not tied to one run: the seed itself.
pub fn chapter(base: u64) -> u64 {
    base
}

/// §3.1 (linear chapter), one run of the training grid: training set `set` (0 = X, 1 = X′),
/// initialisation `init` (its index in the chapter's list).
pub fn linear_run(base: u64, set: usize, init: usize) -> u64 {
    base.wrapping_mul(1_000_003)
        .wrapping_add((set as u64) * 100 + init as u64)
}

/// §3.1, draw `draw` of the search for the paper's unstated Adam settings (L4).
pub fn linear_search(base: u64, draw: usize) -> u64 {
    base.wrapping_add(draw as u64)
}

/// §3.1, draw `draw` of averaging stream `stream` (L7, the average of many trained matrices).
pub fn linear_average(base: u64, stream: u64, draw: usize) -> u64 {
    base.wrapping_mul(7919)
        .wrapping_add(stream.wrapping_mul(1_000_003))
        .wrapping_add(draw as u64)
}

/// §3.1, the random members of the solution set drawn to check L1.
pub fn linear_random_members(base: u64) -> u64 {
    base ^ 0x11
}

/// §3.2 (nonlinear chapter), one run of the training grid: activation `act` (its index in
/// the chapter's list), training set `set`, initialisation `init`.
pub fn nonlinear_run(base: u64, act: usize, set: usize, init: usize) -> u64 {
    base.wrapping_mul(1_000_003)
        .wrapping_add(10_000 * (act as u64 + 1) + 100 * set as u64 + init as u64)
}

/// §3.2, draw `draw` of the Table 1 reproduction for activation `act`.
pub fn nonlinear_table_draw(base: u64, act: usize, draw: usize) -> u64 {
    base.wrapping_mul(7919)
        .wrapping_add(1000 * act as u64 + draw as u64)
}

/// §3.2, the perturbations of Table 1's printed targets within their rounding, for
/// activation `act`.
pub fn nonlinear_rounding(base: u64, act: usize) -> u64 {
    base ^ (0x5eed + act as u64)
}

/// Beyond the paper, initial matrix `draw` of a sweep.
pub fn beyond_init(base: u64, draw: usize) -> u64 {
    base.wrapping_add(draw as u64)
}

/// The study of one training set (`maths::study`), network seed `k` of its K seeds: the
/// same seeds for every set, so sets differ only in their patterns.
pub fn study(base: u64, k: usize) -> u64 {
    base.wrapping_mul(104_729).wrapping_add(k as u64)
}

/// The default seeds of a study: `study(base, k)` for k = 0..count.
pub fn study_seeds(base: u64, count: usize) -> Vec<u64> {
    (0..count).map(|k| study(base, k)).collect()
}

/// The atlas (every class of training sets), the uniform sample of classes drawn at length N.
pub fn atlas_sample(base: u64, n: usize) -> u64 {
    base ^ (0xa71a5 + n as u64)
}

/// The report (`items-or-relations report`), the random members of the linear solution set
/// drawn to check which patterns every solution reproduces.
pub fn report_linear_members(base: u64) -> u64 {
    base ^ 0x7e90
}

/// The report, the random Newton starts for the fixed points of trained network `network`
/// (its index in the report's list) and the random starts of its flow figure.
pub fn report_newton_starts(base: u64, network: usize) -> u64 {
    base.wrapping_mul(7_919_003).wrapping_add(network as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values every derivation had at the default seed when it moved here: a change to a
    /// formula changes the book, and must be made on purpose.
    #[test]
    fn seeds_are_pinned_at_2024() {
        let b = 2024;
        assert_eq!(chapter(b), 2024);
        assert_eq!(linear_run(b, 1, 2), 2_024_006_174);
        assert_eq!(linear_search(b, 3), 2027);
        assert_eq!(linear_average(b, 2, 5), 2024 * 7919 + 2 * 1_000_003 + 5);
        assert_eq!(linear_random_members(b), 2024 ^ 0x11);
        assert_eq!(nonlinear_run(b, 1, 1, 2), 2_024_006_072 + 20_000 + 102);
        assert_eq!(nonlinear_table_draw(b, 1, 4), 2024 * 7919 + 1004);
        assert_eq!(nonlinear_rounding(b, 1), 2024 ^ 0x5eee);
        assert_eq!(beyond_init(b, 7), 2031);
        assert_eq!(study(b, 3), 2024 * 104_729 + 3);
        assert_eq!(atlas_sample(b, 5), 2024 ^ 0xa71aa);
        assert_eq!(report_linear_members(b), 2024 ^ 0x7e90);
        assert_eq!(report_newton_starts(b, 3), 2024 * 7_919_003 + 3);
        // Wrapping, not overflow, at the top of the range.
        assert_eq!(linear_search(u64::MAX, 1), 0);
    }
}
