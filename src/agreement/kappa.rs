//! Cohen's kappa for two annotators labelling the same items (here: tokens).

use std::collections::BTreeMap;

/// How often A gave label `a` where B gave label `b`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Confusion {
    counts: BTreeMap<(String, String), usize>,
}

impl Confusion {
    /// Counts one token labelled `a` by A and `b` by B.
    pub fn add(&mut self, a: &str, b: &str) {
        match self.counts.get_mut(&(a.to_string(), b.to_string())) {
            Some(count) => *count += 1,
            None => {
                self.counts.insert((a.to_string(), b.to_string()), 1);
            }
        }
    }

    /// Adds another table (documents and corpora sum).
    pub fn merge(&mut self, other: &Confusion) {
        for (pair, count) in &other.counts {
            *self.counts.entry(pair.clone()).or_default() += count;
        }
    }

    /// Tokens counted.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    /// κ = (p_o − p_e) / (1 − p_e), p_o the observed agreement, p_e the chance
    /// agreement from each annotator's own label distribution. `None` when there
    /// are no items or chance agreement is already perfect (one label only).
    pub fn kappa(&self) -> Option<f64> {
        let n = self.total() as f64;
        if n == 0.0 {
            return None;
        }
        let mut a_marginal: BTreeMap<&str, f64> = BTreeMap::new();
        let mut b_marginal: BTreeMap<&str, f64> = BTreeMap::new();
        let mut agreed = 0.0;
        for ((a, b), &count) in &self.counts {
            *a_marginal.entry(a).or_default() += count as f64;
            *b_marginal.entry(b).or_default() += count as f64;
            if a == b {
                agreed += count as f64;
            }
        }
        let observed = agreed / n;
        let chance: f64 = a_marginal.iter().map(|(label, a)| a * b_marginal.get(label).copied().unwrap_or(0.0)).sum::<f64>() / (n * n);
        (chance < 1.0).then(|| (observed - chance) / (1.0 - chance))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confusion(cells: &[(&str, &str, usize)]) -> Confusion {
        let mut c = Confusion::default();
        for &(a, b, n) in cells {
            for _ in 0..n {
                c.add(a, b);
            }
        }
        c
    }

    #[test]
    fn textbook_two_by_two() {
        // yes/yes 20, yes/no 5, no/yes 10, no/no 15; n = 50.
        // p_o = 35/50 = 0.7; A says yes 25/50, B 30/50; p_e = 0.5·0.6 + 0.5·0.4 = 0.5.
        // κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
        let c = confusion(&[("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15)]);
        assert!((c.kappa().unwrap() - 0.4).abs() < 1e-12);
    }

    #[test]
    fn one_label_only_has_no_kappa() {
        assert_eq!(confusion(&[("O", "O", 5)]).kappa(), None);
        assert_eq!(Confusion::default().kappa(), None);
    }
}
