//! The maths core: everything the paper's argument needs, general in the pattern length N and
//! the training set, and knowing nothing of the book. Chapters compose these modules; nothing
//! here imports a chapter, a template or a figure.
//!
//! - [`pattern`], [`perm`], [`group`]: binary patterns, permutations and their actions, the
//!   symmetry group Σ_X, orbits, Σ-invariant matrices (§2);
//! - [`network`], [`train`], [`fast`], [`tanh`]: networks `y = φ(Wx)`, losses and gradients,
//!   seeded training, the batched throughput path, the crate's one tanh;
//! - [`linear`]: the linear auto-associator in closed form (§3.1);
//! - [`dynamics`]: iterates, fixed points and their stability (§3.2.2);
//! - [`matrix`]: the one matrix type of results (rows in JSON);
//! - [`solve`]: general numerical helpers (Levenberg–Marquardt least squares, the eigenvector
//!   of a known eigenvalue, median, distance);
//! - [`inference`]: §4's rule inference;
//! - [`study`]: the paper's question asked of one training set (span set, criterion set,
//!   trained networks over several seeds), shared by `analyze`, the atlas and the report;
//! - [`penalty`]: penalised training (L1, L2, firing rate) and the activation family from
//!   the identity to tanh, for §4's claim about regularisation.

pub mod dynamics;
pub mod fast;
pub mod group;
pub mod inference;
pub mod linear;
pub mod matrix;
pub mod network;
pub mod pattern;
pub mod penalty;
pub mod perm;
pub mod solve;
pub mod study;
pub mod tanh;
pub mod train;
