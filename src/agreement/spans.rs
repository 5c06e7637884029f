//! Span agreement for one label: exact matches and overlaps between the spans
//! of annotator A (the reference) and annotator B.

use serde::Serialize;

use crate::text::TextRange;

/// Counts from which exact and overlap precision, recall and F1 follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SpanCounts {
    /// Spans of A and of B.
    pub a: usize,
    /// Spans of B.
    pub b: usize,
    /// Pairs of identical spans (each span used once).
    pub exact: usize,
    /// A's spans overlapping at least one of B's (overlap recall's numerator).
    pub a_overlapped: usize,
    /// B's spans overlapping at least one of A's (overlap precision's numerator).
    pub b_overlapped: usize,
}

impl std::ops::AddAssign for SpanCounts {
    fn add_assign(&mut self, other: SpanCounts) {
        self.a += other.a;
        self.b += other.b;
        self.exact += other.exact;
        self.a_overlapped += other.a_overlapped;
        self.b_overlapped += other.b_overlapped;
    }
}

/// Counts for spans of one label in one document.
pub fn count_spans(a: &[TextRange], b: &[TextRange]) -> SpanCounts {
    let (mut a_sorted, mut b_sorted) = (a.to_vec(), b.to_vec());
    a_sorted.sort();
    b_sorted.sort();
    // Multiset intersection of two sorted lists.
    let (mut i, mut j, mut exact) = (0, 0, 0);
    while i < a_sorted.len() && j < b_sorted.len() {
        match a_sorted[i].cmp(&b_sorted[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                exact += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let overlapped = |these: &[TextRange], those: &[TextRange]| these.iter().filter(|x| those.iter().any(|y| x.overlaps(*y))).count();
    SpanCounts { a: a.len(), b: b.len(), exact, a_overlapped: overlapped(a, b), b_overlapped: overlapped(b, a) }
}

impl SpanCounts {
    /// 2·exact / (|A| + |B|): the same whichever annotator is the reference.
    pub fn exact_f1(&self) -> Option<f64> {
        (self.a + self.b > 0).then(|| 2.0 * self.exact as f64 / (self.a + self.b) as f64)
    }

    /// Share of B's spans that overlap one of A's.
    pub fn overlap_precision(&self) -> Option<f64> {
        (self.b > 0).then(|| self.b_overlapped as f64 / self.b as f64)
    }

    /// Share of A's spans that overlap one of B's.
    pub fn overlap_recall(&self) -> Option<f64> {
        (self.a > 0).then(|| self.a_overlapped as f64 / self.a as f64)
    }

    /// Harmonic mean of overlap precision and recall; swapping A and B swaps
    /// precision and recall, so the F1 is symmetric. 0 when one side has no spans.
    pub fn overlap_f1(&self) -> Option<f64> {
        match (self.overlap_precision(), self.overlap_recall()) {
            (None, None) => None,
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            _ => Some(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: usize, end: usize) -> TextRange {
        TextRange::new(start, end)
    }

    #[test]
    fn exact_and_overlap_counts() {
        // A: [0,5) [10,20) [30,35); B: [0,5) [12,18) [40,45) [0,5).
        // exact: [0,5) once (B's second [0,5) has no partner left) → 1.
        // A overlapped: [0,5), [10,20) → 2; B overlapped: [0,5), [12,18), [0,5) → 3.
        let counts = count_spans(&[r(0, 5), r(10, 20), r(30, 35)], &[r(0, 5), r(12, 18), r(40, 45), r(0, 5)]);
        assert_eq!(counts, SpanCounts { a: 3, b: 4, exact: 1, a_overlapped: 2, b_overlapped: 3 });
        // exact F1 = 2·1 / (3 + 4) = 2/7.
        assert!((counts.exact_f1().unwrap() - 2.0 / 7.0).abs() < 1e-12);
        // P = 3/4, R = 2/3, F1 = 2·(3/4)(2/3) / (3/4 + 2/3) = 1 / (17/12) = 12/17.
        assert!((counts.overlap_f1().unwrap() - 12.0 / 17.0).abs() < 1e-12);
    }

    #[test]
    fn empty_sides() {
        let none = count_spans(&[], &[]);
        assert_eq!((none.exact_f1(), none.overlap_f1()), (None, None));
        let one_sided = count_spans(&[r(0, 1)], &[]);
        assert_eq!((one_sided.exact_f1(), one_sided.overlap_f1(), one_sided.overlap_precision()), (Some(0.0), Some(0.0), None));
    }
}
