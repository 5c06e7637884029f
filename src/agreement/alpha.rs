//! Krippendorff's alpha for nominal data, from the coincidence matrix: each
//! item (token) contributes the pairs of values its coders gave, weighted by
//! 1/(m − 1) for m coders present, so coders missing on an item are simply
//! absent and items with fewer than two values contribute nothing. The matrix
//! is additive, so documents and corpora sum.

use std::collections::BTreeMap;

/// Krippendorff's coincidence matrix of pairable labels, summed over tokens.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coincidences {
    matrix: BTreeMap<(String, String), f64>,
}

impl Coincidences {
    /// Adds one item: the value each coder gave, `None` where a coder is missing.
    pub fn add_item(&mut self, values: &[Option<&str>]) {
        let present: Vec<&str> = values.iter().flatten().copied().collect();
        let m = present.len();
        if m < 2 {
            return;
        }
        let weight = 1.0 / (m - 1) as f64;
        for (i, c) in present.iter().enumerate() {
            for (j, k) in present.iter().enumerate() {
                if i != j {
                    *self.matrix.entry((c.to_string(), k.to_string())).or_default() += weight;
                }
            }
        }
    }

    /// Adds another matrix (documents and corpora sum).
    pub fn merge(&mut self, other: &Coincidences) {
        for (pair, weight) in &other.matrix {
            *self.matrix.entry(pair.clone()).or_default() += weight;
        }
    }

    /// Pairable values: n in Krippendorff's notation.
    pub fn pairable_values(&self) -> f64 {
        self.matrix.values().sum()
    }

    /// α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k. `None` without
    /// disagreement expected by chance (fewer than two values in use).
    pub fn alpha(&self) -> Option<f64> {
        let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
        let mut observed_disagreement = 0.0;
        for ((c, k), &o) in &self.matrix {
            *totals.entry(c).or_default() += o;
            if c != k {
                observed_disagreement += o;
            }
        }
        let n: f64 = totals.values().sum();
        let expected: f64 = n * n - totals.values().map(|t| t * t).sum::<f64>();
        (expected > 0.0).then(|| 1.0 - (n - 1.0) * observed_disagreement / expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_coders_hand_computed() {
        // Items (a,a) (a,b) (b,b) (b,b): o_aa = 2, o_ab = o_ba = 1, o_bb = 4;
        // n_a = 3, n_b = 5, n = 8; Σ_{c≠k} o = 2; Σ_{c≠k} n_c n_k = 2·3·5 = 30.
        // α = 1 − 7·2/30 = 16/30.
        let mut c = Coincidences::default();
        for (x, y) in [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")] {
            c.add_item(&[Some(x), Some(y)]);
        }
        assert!((c.alpha().unwrap() - 16.0 / 30.0).abs() < 1e-12);
    }

    #[test]
    fn krippendorffs_published_example_with_missing_values() {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal
        // example: 4 observers, 12 units, some values missing; α = 0.743.
        let rows: [[Option<&str>; 12]; 4] = {
            let parse = |s: &'static str| {
                let mut row = [None; 12];
                for (i, v) in s.split(' ').enumerate() {
                    row[i] = (v != ".").then_some(v);
                }
                row
            };
            [
                parse("1 2 3 3 2 1 4 1 2 . . ."),
                parse("1 2 3 3 2 2 4 1 2 5 . 3"),
                parse(". 3 3 3 2 3 4 2 2 5 1 ."),
                parse("1 2 3 3 2 4 4 1 2 5 1 ."),
            ]
        };
        let mut c = Coincidences::default();
        for unit in 0..12 {
            c.add_item(&rows.map(|row| row[unit]));
        }
        // Unit 12 has one value only and is not pairable: n = 40 of the 41 values.
        assert!((c.pairable_values() - 40.0).abs() < 1e-9);
        assert!((c.alpha().unwrap() - 0.743).abs() < 0.0005, "{:?}", c.alpha());
    }

    #[test]
    fn a_single_value_in_use_has_no_alpha() {
        let mut c = Coincidences::default();
        c.add_item(&[Some("O"), Some("O")]);
        assert_eq!(c.alpha(), None);
    }
}
