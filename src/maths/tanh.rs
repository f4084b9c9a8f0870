//! The hyperbolic tangent used by every network in the crate, computed by one fixed sequence
//! of IEEE-754 operations: one value at a time ([`tanh`]) or four at a time with AVX2
//! ([`tanh_into`]), with the same bits either way.
//!
//! Why not `f64::tanh`? Two reasons. It calls the platform's libm, whose last bit differs between
//! libms (glibc, musl, macOS), so the book's numbers would depend on the machine; and it cannot
//! be evaluated four lanes at once, which the throughput path ([`crate::fast`]) needs. Here
//! only additions, multiplications, one division and exact bit manipulations are used, none of
//! them fused, so the result is the same on every IEEE-754 machine and in every lane width.
//! Accuracy: within 2 ulp of the correctly rounded value on 6003 reference inputs computed with
//! 256-bit mpmath ([`accuracy`], `data/tanh_reference.txt`), exact on 72% of them — as glibc's
//! `f64::tanh` on the same inputs. The roundings of expm1 (where 2ᵏ expm1(r) + 2ᵏ − 1 cancels),
//! e + 2 and the quotient bound the error near 2.5 ulp. Against glibc's tanh the largest
//! distance on 10⁶ inputs is 3 ulp ([`distance_to_platform`]).
//!
//! Method: tanh|x| = e/(e + 2) with e = expm1(2|x|), and tanh(−x) = −tanh(x). For y = 2|x|,
//! write y = k ln 2 + r with k = round(y / ln 2) and |r| ≤ ln 2 / 2 (ln 2 split into a head with
//! trailing zero bits and a tail, so k·ln2_hi is exact); then expm1(y) = 2ᵏ expm1(r) + (2ᵏ − 1),
//! and expm1(r) is its Taylor series to r¹³/13! (the next term is below 2⁻⁵⁶ |r|), summed by
//! Estrin's scheme, whose short dependency chain matters where one tanh waits for the last. Inputs are
//! clamped to |x| ≤ 20, where tanh already rounds to ±1; NaN is returned unchanged.

/// ln 2, head (0.693147180369…): its low 21 bits are zero, so k·LN2_HI is exact for every
/// k < 2²¹ (here k ≤ 58).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// ln 2 − LN2_HI (1.908214929…e−10), rounded.
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// 1 / ln 2.
const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// 2⁵² + 2⁵¹: adding it to a value below 2⁵¹ in magnitude rounds the value to the nearest
/// integer (ties to even), which then sits in the low bits of the sum.
const ROUND: f64 = 6_755_399_441_055_744.0;
/// |x| beyond which tanh(x) rounds to ±1: 1 − tanh(20) ≈ 8.5e−18 < 2⁻⁵⁴.
const CLAMP: f64 = 20.0;
/// Terms of the Taylor series of expm1 kept: r¹/1! … r¹³/13!.
const TERMS: usize = 13;

/// 1/n! for n = 0..=TERMS. n! is exact in f64 up to 22!, so each entry is correctly rounded.
const INV_FACT: [f64; TERMS + 1] = {
    let mut out = [0.0; TERMS + 1];
    let mut fact = 1.0;
    let mut n = 0;
    while n <= TERMS {
        if n > 0 {
            fact *= n as f64;
        }
        out[n] = 1.0 / fact;
        n += 1;
    }
    out
};

// ANCHOR: tanh
/// tanh(x), within 2 ulp of the correctly rounded value on the reference set, with the same
/// bits on every machine (see the module notes).
#[inline]
pub fn tanh(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let y = 2.0 * x.abs().min(CLAMP);
    // y = k ln 2 + r, k held in the low bits of `kr`.
    let kr = y * INV_LN2 + ROUND;
    let k = kr - ROUND;
    let r = (y - k * LN2_HI) - k * LN2_LO;
    // expm1(r) = r + r² p(r), p(r) = Σ_{n=2}^{13} r^{n−2}/n! by Estrin's scheme (pairs, then
    // pairs of pairs: a short dependency chain), the leading r added last and exact.
    let c = &INV_FACT;
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let (b0, b1, b2) = (c[2] + c[3] * r, c[4] + c[5] * r, c[6] + c[7] * r);
    let (b3, b4, b5) = (c[8] + c[9] * r, c[10] + c[11] * r, c[12] + c[13] * r);
    let (d0, d1, d2) = (b0 + b1 * r2, b2 + b3 * r2, b4 + b5 * r2);
    let p = (d0 + d1 * r4) + d2 * r8;
    let e_r = r + r2 * p;
    // 2^k from k's bits (0 ≤ k ≤ 58), then expm1(y) = 2^k expm1(r) + (2^k − 1).
    let two_k = f64::from_bits((kr.to_bits() - ROUND.to_bits() + 1023) << 52);
    let e = two_k * e_r + (two_k - 1.0);
    (e / (e + 2.0)).copysign(x)
}
// ANCHOR_END: tanh

/// |got − want| in units in the last place of `want`: the spacing of f64 values in want's
/// binade (the smallest subnormal below the normal range).
pub fn ulp_distance(got: f64, want: f64) -> f64 {
    let a = want.abs();
    let ulp = if a < f64::MIN_POSITIVE {
        f64::from_bits(1)
    } else {
        // 2^e · 2⁻⁵², with 2^e = a's exponent bits alone.
        f64::from_bits(a.to_bits() & 0x7ff0_0000_0000_0000) * f64::EPSILON
    };
    (got - want).abs() / ulp
}

/// Inputs x and tanh(x) correctly rounded to f64 (mpmath at 256 bits), as hexadecimal bit
/// patterns, one "x tanh(x)" pair per line; written by `data/make_tanh_reference.py`.
const REFERENCE: &str = include_str!("../../data/tanh_reference.txt");

/// How far a tanh is from the correctly rounded values of `data/tanh_reference.txt`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Accuracy {
    /// Reference inputs (6003: every scale from 2⁻⁴⁰ to 20, the range where expm1 is rebuilt
    /// with cancellation, saturation, and the points where ours and glibc's differ most).
    pub inputs: usize,
    /// The smallest and largest |x| among them.
    pub min_abs: f64,
    pub max_abs: f64,
    /// The largest distance from the correctly rounded value, in ulp (the true error is at
    /// most half an ulp more), and where it occurs.
    pub max_ulps: f64,
    pub at: f64,
    /// Inputs where the value is the correctly rounded one.
    pub exact: usize,
}

/// Compare `f` with the reference values.
pub fn accuracy(f: fn(f64) -> f64) -> Accuracy {
    let mut out = Accuracy {
        inputs: 0,
        min_abs: f64::INFINITY,
        max_abs: 0.0,
        max_ulps: 0.0,
        at: 0.0,
        exact: 0,
    };
    let parse = |s: &str| u64::from_str_radix(s, 16).ok().map(f64::from_bits);
    for line in REFERENCE.lines() {
        let mut fields = line.split_whitespace();
        let (Some(x), Some(want)) = (fields.next().and_then(parse), fields.next().and_then(parse))
        else {
            continue;
        };
        let got = f(x);
        let d = ulp_distance(got, want);
        out.inputs += 1;
        out.min_abs = out.min_abs.min(x.abs());
        out.max_abs = out.max_abs.max(x.abs());
        out.exact += usize::from(got == want);
        if d > out.max_ulps {
            (out.max_ulps, out.at) = (d, x);
        }
    }
    out
}

/// How far [`tanh`] is from the platform's `f64::tanh` on a fixed grid: 200 001 points evenly
/// over [−25, 25], and the same points scaled by 10⁻³, 10⁻⁸, 10⁻¹⁷ and 10⁻³⁰⁰ (every regime:
/// tanh x = x, the curved part, saturation).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PlatformDistance {
    /// The grid: 200 001 points evenly over [−half_width, half_width], each also multiplied by
    /// every entry of `scales`.
    pub half_width: f64,
    pub scales: [f64; 5],
    /// Inputs compared.
    pub inputs: usize,
    /// The largest distance, in ulp of the platform's value.
    pub max_ulps: f64,
    /// Where it occurs.
    pub at: f64,
    /// Inputs where the two differ at all.
    pub differing: usize,
}

/// Compare [`tanh`] with `f64::tanh` on the grid described at [`PlatformDistance`].
pub fn distance_to_platform() -> PlatformDistance {
    let n = 200_000;
    let mut out = PlatformDistance {
        half_width: 25.0,
        scales: [1.0, 1e-3, 1e-8, 1e-17, 1e-300],
        inputs: 0,
        max_ulps: 0.0,
        at: 0.0,
        differing: 0,
    };
    for i in 0..=n {
        let x = -out.half_width + 2.0 * out.half_width * f64::from(i) / f64::from(n);
        for scale in out.scales {
            let x = x * scale;
            // The platform's tanh on purpose: this measures the distance to it.
            #[allow(clippy::disallowed_methods)]
            let (ours, platform) = (tanh(x), x.tanh());
            let d = ulp_distance(ours, platform);
            out.inputs += 1;
            out.differing += usize::from(ours != platform);
            if d > out.max_ulps {
                (out.max_ulps, out.at) = (d, x);
            }
        }
    }
    out
}

/// `out[i] = tanh(xs[i])` for every i, with the same bits as [`tanh`], four at a time with
/// AVX2 when the processor has it.
///
/// # Panics
/// When `xs` and `out` differ in length.
pub fn tanh_into(xs: &[f64], out: &mut [f64]) {
    assert_eq!(
        xs.len(),
        out.len(),
        "tanh_into: input and output lengths differ"
    );
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2 (checked on the line above).
        unsafe { avx2::tanh_into(xs, out) };
        return;
    }
    for (x, o) in xs.iter().zip(out) {
        *o = tanh(*x);
    }
}

/// The AVX2 evaluation of [`tanh`] on four lanes, operation for operation.
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx2 {
    use std::arch::x86_64::{
        __m256d, _CMP_UNORD_Q, _mm256_add_epi64, _mm256_add_pd, _mm256_and_pd, _mm256_blendv_pd,
        _mm256_castpd_si256, _mm256_castsi256_pd, _mm256_cmp_pd, _mm256_div_pd, _mm256_min_pd,
        _mm256_mul_pd, _mm256_or_pd, _mm256_set1_epi64x, _mm256_set1_pd, _mm256_setr_pd,
        _mm256_slli_epi64, _mm256_storeu_pd, _mm256_sub_epi64, _mm256_sub_pd,
    };

    use super::{CLAMP, INV_FACT, INV_LN2, LN2_HI, LN2_LO, ROUND};

    /// [`super::tanh`] on each lane of `x`.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub fn tanh_pd(x: __m256d) -> __m256d {
        let sign_bit = _mm256_set1_pd(-0.0);
        let abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(i64::MAX));
        let round = _mm256_set1_pd(ROUND);
        // y = 2 min(|x|, CLAMP); for NaN lanes minpd gives CLAMP, and the blend below puts
        // the NaN back, as the scalar code returns it.
        let ax = _mm256_min_pd(_mm256_and_pd(x, abs_mask), _mm256_set1_pd(CLAMP));
        let y = _mm256_mul_pd(_mm256_set1_pd(2.0), ax);
        let kr = _mm256_add_pd(_mm256_mul_pd(y, _mm256_set1_pd(INV_LN2)), round);
        let k = _mm256_sub_pd(kr, round);
        let r = _mm256_sub_pd(
            _mm256_sub_pd(y, _mm256_mul_pd(k, _mm256_set1_pd(LN2_HI))),
            _mm256_mul_pd(k, _mm256_set1_pd(LN2_LO)),
        );
        let r2 = _mm256_mul_pd(r, r);
        let r4 = _mm256_mul_pd(r2, r2);
        let r8 = _mm256_mul_pd(r4, r4);
        // a + b·s, the step of Estrin's scheme.
        let step = |a: __m256d, b: __m256d, s: __m256d| _mm256_add_pd(a, _mm256_mul_pd(b, s));
        let c = |n: usize| _mm256_set1_pd(INV_FACT[n]);
        let (b0, b1, b2) = (
            step(c(2), c(3), r),
            step(c(4), c(5), r),
            step(c(6), c(7), r),
        );
        let (b3, b4, b5) = (
            step(c(8), c(9), r),
            step(c(10), c(11), r),
            step(c(12), c(13), r),
        );
        let (d0, d1, d2) = (step(b0, b1, r2), step(b2, b3, r2), step(b4, b5, r2));
        let p = step(step(d0, d1, r4), d2, r8);
        let e_r = _mm256_add_pd(r, _mm256_mul_pd(r2, p));
        let k_bits = _mm256_sub_epi64(
            _mm256_castpd_si256(kr),
            _mm256_set1_epi64x(ROUND.to_bits() as i64),
        );
        let two_k = _mm256_castsi256_pd(_mm256_slli_epi64::<52>(_mm256_add_epi64(
            k_bits,
            _mm256_set1_epi64x(1023),
        )));
        let e = _mm256_add_pd(
            _mm256_mul_pd(two_k, e_r),
            _mm256_sub_pd(two_k, _mm256_set1_pd(1.0)),
        );
        let t = _mm256_div_pd(e, _mm256_add_pd(e, _mm256_set1_pd(2.0)));
        // copysign(t, x): t ≥ 0, so OR-ing in x's sign bit suffices.
        let t = _mm256_or_pd(t, _mm256_and_pd(x, sign_bit));
        let nan = _mm256_cmp_pd::<_CMP_UNORD_Q>(x, x);
        _mm256_blendv_pd(t, x, nan)
    }

    /// [`super::tanh`] on four values.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub fn tanh4(x: [f64; 4]) -> [f64; 4] {
        let t = tanh_pd(_mm256_setr_pd(x[0], x[1], x[2], x[3]));
        let mut out = [0.0; 4];
        // SAFETY: `out` holds four f64, the width of one unaligned 256-bit store.
        unsafe { _mm256_storeu_pd(out.as_mut_ptr(), t) };
        out
    }

    /// [`super::tanh_into`] with AVX2: four lanes at a time, the tail one by one.
    #[target_feature(enable = "avx2")]
    pub fn tanh_into(xs: &[f64], out: &mut [f64]) {
        let mut x4 = xs.chunks_exact(4);
        let mut o4 = out.chunks_exact_mut(4);
        for (x, o) in x4.by_ref().zip(o4.by_ref()) {
            o.copy_from_slice(&tanh4([x[0], x[1], x[2], x[3]]));
        }
        for (x, o) in x4.remainder().iter().zip(o4.into_remainder()) {
            *o = super::tanh(*x);
        }
    }
}

#[cfg(test)]
mod tests;
