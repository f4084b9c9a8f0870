//! How the book writes a number. Every number that reaches a page, a figure's tick label or a
//! label of the maths (`N(0,0.05)`) goes through one of these functions, so a format is
//! defined once: the templates' filters, the figures' axes and the findings share them.
//!
//! The formats are the ones the book has always printed: changing one here changes the book.

/// The superscript digits ⁰ … ⁹, indexed by the digit.
/// The superscript digits 0–9 (also used by the book's notation pass).
pub(crate) const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// An integer in superscript digits, with a superscript minus.
///
/// ```
/// use items_or_relations::fmt::superscript;
/// assert_eq!(superscript(2), "²");
/// assert_eq!(superscript(-16), "⁻¹⁶");
/// assert_eq!(superscript(0), "⁰");
/// ```
pub fn superscript(n: i64) -> String {
    n.to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => SUPERSCRIPT[d as usize],
            None => '⁻',
        })
        .collect()
}

/// Fixed-point text with `d` decimals that never reads as a negative zero; NaN and the
/// infinities in words and symbols.
///
/// ```
/// use items_or_relations::fmt::fixed;
/// assert_eq!(fixed(-0.25, 2), "-0.25");
/// assert_eq!(fixed(-0.00001, 4), "0.0000");
/// assert_eq!(fixed(1.0 / 3.0, 4), "0.3333");
/// assert_eq!(fixed(2.5, 0), "2");
/// assert_eq!(fixed(f64::NAN, 2), "NaN");
/// assert_eq!(fixed(f64::NEG_INFINITY, 2), "−∞");
/// ```
pub fn fixed(x: f64, d: usize) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let s = format!("{x:.d$}");
    let unsigned = s.trim_start_matches('-');
    if unsigned.chars().all(|c| c == '0' || c == '.') {
        unsigned.to_string()
    } else {
        s
    }
}

/// Scientific text for prose, `d` decimals in the mantissa: `1.2 × 10⁻¹⁶`; exact zero as `0`,
/// NaN and the infinities as [`fixed`] writes them.
///
/// ```
/// use items_or_relations::fmt::sci;
/// assert_eq!(sci(1.234e-16, 1), "1.2 × 10⁻¹⁶");
/// assert_eq!(sci(-3.0e5, 2), "-3.00 × 10⁵");
/// assert_eq!(sci(1.5, 1), "1.5 × 10⁰");
/// assert_eq!(sci(0.0, 1), "0");
/// assert_eq!(sci(f64::INFINITY, 1), "∞");
/// ```
pub fn sci(x: f64, d: usize) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return fixed(x, d);
    }
    let s = format!("{x:.d$e}");
    match s.split_once('e') {
        Some((mantissa, exp)) => match exp.parse::<i64>() {
            Ok(e) => format!("{mantissa} × 10{}", superscript(e)),
            Err(_) => s,
        },
        None => s,
    }
}

/// Compact scientific text, as Rust's `{:.d$e}` writes it: `1.2e-16`; exact zero as `0`.
/// For the findings' one-line summaries and the ticks of a logarithmic axis.
///
/// ```
/// use items_or_relations::fmt::sci_e;
/// assert_eq!(sci_e(1.234e-16, 1), "1.2e-16");
/// assert_eq!(sci_e(0.0, 1), "0");
/// assert_eq!(sci_e(-0.0, 1), "0");
/// assert_eq!(sci_e(250.0, 0), "2e2");
/// assert_eq!(sci_e(f64::NAN, 1), "NaN");
/// ```
pub fn sci_e(x: f64, d: usize) -> String {
    if x == 0.0 {
        "0".into()
    } else {
        format!("{x:.d$e}")
    }
}

/// The shortest text that reads back as `x` (Rust's `{}`), with a negative zero as `0`: for
/// numbers that were typed, such as the parameters in a label `N(0,0.05)`.
///
/// ```
/// use items_or_relations::fmt::shortest;
/// assert_eq!(shortest(0.05), "0.05");
/// assert_eq!(shortest(1.0), "1");
/// assert_eq!(shortest(-0.0), "0");
/// assert_eq!(shortest(1e-8), "0.00000001");
/// ```
pub fn shortest(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else {
        format!("{x}")
    }
}

/// 10 to the power `e`, with the exponent in superscript: `1`, `10`, `10²`, `10⁻¹⁷`.
///
/// ```
/// use items_or_relations::fmt::ten_to;
/// assert_eq!(ten_to(0), "1");
/// assert_eq!(ten_to(1), "10");
/// assert_eq!(ten_to(2), "10²");
/// assert_eq!(ten_to(-17), "10⁻¹⁷");
/// ```
pub fn ten_to(e: i64) -> String {
    match e {
        0 => "1".to_string(),
        1 => "10".to_string(),
        _ => format!("10{}", superscript(e)),
    }
}

/// Tick label of an axis that carries log₁₀ of the quantity: 10^v at integers, blank
/// elsewhere. (Plotters' log scale drops key points below `f64::EPSILON`, so the figures plot
/// quantities down to 1e-32 as their logarithm on a linear axis.)
///
/// ```
/// use items_or_relations::fmt::exponent_tick;
/// assert_eq!(exponent_tick(-3.0), "10⁻³");
/// assert_eq!(exponent_tick(0.0), "1");
/// assert_eq!(exponent_tick(-2.5), "");
/// ```
pub fn exponent_tick(v: f64) -> String {
    if (v - v.round()).abs() > 1e-9 {
        return String::new();
    }
    ten_to(v.round() as i64)
}

/// Tick label of a logarithmic axis: a power of ten as [`ten_to`] writes it, any other value
/// as one significant digit times a power of ten (`3 × 10²`), so every axis of the book writes
/// small and large numbers in one style (never `3e2` or `1e-4`).
///
/// ```
/// use items_or_relations::fmt::log_tick;
/// assert_eq!(log_tick(1000.0), "10³");
/// assert_eq!(log_tick(1.0), "1");
/// assert_eq!(log_tick(0.01), "10⁻²");
/// assert_eq!(log_tick(300.0), "3 × 10²");
/// assert_eq!(log_tick(0.05), "5 × 10⁻²");
/// assert_eq!(log_tick(0.2), "0.2");
/// assert_eq!(log_tick(5.0), "5");
/// ```
pub fn log_tick(v: f64) -> String {
    if !(v.is_finite() && v > 0.0) {
        return fixed(v, 0);
    }
    let e = libm::log10(v);
    if (e - e.round()).abs() <= 1e-6 {
        return ten_to(e.round() as i64);
    }
    let s = format!("{v:.0e}");
    match s.split_once('e').map(|(m, x)| (m, x.parse::<i64>())) {
        // One decade either side of 1 reads best as a plain number.
        Some((m, Ok(-1))) => format!("0.{m}"),
        Some((m, Ok(0))) => m.to_string(),
        Some((m, Ok(x))) => format!("{m} × {}", ten_to(x)),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formats the crate printed before this module existed, written out once more, to
    /// check that every replacement prints the same text.
    mod before {
        pub fn superscript_table(exp: &str) -> String {
            exp.chars()
                .map(|c| match c {
                    '-' => '⁻',
                    '0' => '⁰',
                    '1' => '¹',
                    '2' => '²',
                    '3' => '³',
                    '4' => '⁴',
                    '5' => '⁵',
                    '6' => '⁶',
                    '7' => '⁷',
                    '8' => '⁸',
                    _ => '⁹',
                })
                .collect()
        }
        /// `f4` of the nonlinear chapter, `tick1` and `f2` of the figures.
        pub fn f_d(x: f64, d: usize) -> String {
            let s = format!("{x:.d$}");
            let zero = format!("-{:.d$}", 0.0);
            if s == zero { zero[1..].to_string() } else { s }
        }
        /// `e1` of the nonlinear chapter.
        pub fn e1(x: f64) -> String {
            if x == 0.0 {
                "0".into()
            } else {
                format!("{x:.1e}")
            }
        }
    }

    fn samples() -> Vec<f64> {
        let mut xs = vec![
            0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 0.05, 1e-300, -1e-300, 1e300, 123456.789, 2.5, 3.5,
            -2.5, 0.999_95, -0.000_04, 1e-5, -1e-5, 0.125, -0.125, 9.999_999,
        ];
        // A deterministic spread over many magnitudes and both signs.
        let mut s: u64 = 2024;
        for _ in 0..2000 {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let m = (s >> 11) as f64 / (1u64 << 53) as f64;
            let e = ((s >> 3) % 41) as i32 - 20;
            let sign = if s & 1 == 0 { 1.0 } else { -1.0 };
            xs.push(sign * m * 10f64.powi(e));
        }
        xs
    }

    #[test]
    fn fixed_matches_the_figures_and_findings_formats_on_finite_numbers() {
        for x in samples() {
            for d in 0..6 {
                assert_eq!(fixed(x, d), before::f_d(x, d), "x = {x:e}, d = {d}");
            }
        }
        assert_eq!(fixed(f64::NAN, 4), before::f_d(f64::NAN, 4));
    }

    #[test]
    fn sci_e_is_e1_at_one_decimal() {
        let special = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        for x in samples().into_iter().chain(special) {
            assert_eq!(sci_e(x, 1), before::e1(x), "x = {x:e}");
        }
    }

    #[test]
    fn superscript_is_the_old_table() {
        for n in [
            -120,
            -17,
            -16,
            -1,
            0,
            1,
            2,
            9,
            10,
            45,
            308,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(superscript(n), before::superscript_table(&n.to_string()));
        }
    }

    #[test]
    fn sci_writes_mantissa_times_power() {
        for x in samples().into_iter().filter(|x| *x != 0.0) {
            for d in 0..4 {
                let s = format!("{x:.d$e}");
                let (m, e) = s.split_once('e').unwrap();
                let want = format!("{m} × 10{}", before::superscript_table(e));
                assert_eq!(sci(x, d), want);
            }
        }
    }

    #[test]
    fn shortest_is_display_but_for_negative_zero() {
        for x in samples() {
            let want = if x == 0.0 { "0".into() } else { format!("{x}") };
            assert_eq!(shortest(x), want);
        }
    }
}
