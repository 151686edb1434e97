//! The kind mix of a paper: which question kinds a blueprint allows, how many of each a paper
//! gets, and how the kind counts and domain counts are met together.
//!
//! Domain counts come from [`super::allocate`] and kind counts from the blueprint's `items:`
//! shares, both by largest remainder (each within ±1 of the exact share). A paper needs, per
//! domain and kind, a number of questions whose row sums are the domain counts and whose
//! column sums are the kind counts, never more than the pool holds in that cell: a small
//! transport problem, solved as a maximum flow that starts from the proportional split.

use super::blueprint::{QuestionKind, spread};
use crate::deck::ExamBlueprint;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// A question kind the pool holds too few of for the blueprint's mix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindShortfall {
    /// The kind.
    pub kind: QuestionKind,
    /// Questions of this kind the mix asks for.
    pub wanted: usize,
    /// Questions of this kind available (in the paper's domains).
    pub available: usize,
}

/// The kinds a paper may hold, and their shares if the blueprint declares a mix.
#[derive(Debug, Clone, PartialEq)]
pub struct PaperKinds {
    /// Allowed kinds, in the blueprint's order.
    pub kinds: Vec<QuestionKind>,
    /// Percent per kind (same order), `None` when the blueprint has no `items:`.
    pub shares: Option<Vec<f64>>,
}

impl PaperKinds {
    /// The kinds of `blueprint`'s `items:`; without `items:`, every exam kind except
    /// true/false (study-only) and no mix.
    pub fn of(blueprint: &ExamBlueprint) -> Self {
        let parse = |k: &str| match k {
            "single" => Some(QuestionKind::Single),
            "multiple" => Some(QuestionKind::Multiple),
            "order" => Some(QuestionKind::Order),
            "match" => Some(QuestionKind::Match),
            _ => None,
        };
        let declared: Vec<(QuestionKind, f64)> = blueprint
            .items
            .iter()
            .filter_map(|i| Some((parse(&i.kind)?, i.share)))
            .collect();
        if declared.is_empty() {
            return Self {
                kinds: vec![
                    QuestionKind::Single,
                    QuestionKind::Multiple,
                    QuestionKind::Order,
                    QuestionKind::Match,
                ],
                shares: None,
            };
        }
        Self {
            kinds: declared.iter().map(|(k, _)| *k).collect(),
            shares: Some(declared.iter().map(|(_, s)| *s).collect()),
        }
    }

    /// Index of `kind` among the allowed kinds.
    pub fn index(&self, kind: QuestionKind) -> Option<usize> {
        self.kinds.iter().position(|k| *k == kind)
    }
}

/// Questions per `[domain][kind]` cell: row sums `rows`, kind totals by `shares` (±1), never
/// more than `avail[d][k]`. Returns the cells and the kinds the pool is short of.
///
/// When the pool cannot meet the kind counts and the domain counts at once, the domain counts
/// win and the kinds are filled as close to the mix as the pool allows.
pub fn cells(
    rows: &[usize],
    shares: &[f64],
    avail: &[Vec<usize>],
    kinds: &[QuestionKind],
) -> (Vec<Vec<usize>>, Vec<KindShortfall>) {
    let n: usize = rows.iter().sum();
    let k = shares.len();
    let col_avail: Vec<usize> = (0..k)
        .map(|j| {
            avail
                .iter()
                .zip(rows)
                .filter(|(_, r)| **r > 0)
                .map(|(a, _)| a.get(j).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let (wanted, cols) = spread(shares, n, &col_avail);
    let short = (0..k)
        .filter(|&j| wanted[j] > col_avail[j])
        .map(|j| KindShortfall {
            kind: kinds[j],
            wanted: wanted[j],
            available: col_avail[j],
        })
        .collect();
    let cap = |d: usize, j: usize| avail.get(d).and_then(|a| a.get(j)).copied().unwrap_or(0);
    // Start from the proportional split (feasible: its row and column sums stay below the
    // caps), then let augmenting paths move questions between cells.
    let mut x: Vec<Vec<usize>> = rows
        .iter()
        .enumerate()
        .map(|(d, &r)| {
            (0..k)
                .map(|j| {
                    (r * cols[j])
                        .checked_div(n)
                        .map_or(0, |share| share.min(cap(d, j)))
                })
                .collect()
        })
        .collect();
    let mut col_caps = cols.clone();
    let mut filled = max_flow(rows, &col_caps, &cap, &mut x);
    if filled < n {
        // The mix and the domains cannot both be met: relax the kind counts.
        col_caps = col_avail.clone();
        filled = max_flow(rows, &col_caps, &cap, &mut x);
    }
    debug_assert!(filled <= n);
    (x, short)
}

/// Augments the flow `x` (domain → kind) until no path is left; returns its total.
fn max_flow(
    rows: &[usize],
    cols: &[usize],
    cap: &dyn Fn(usize, usize) -> usize,
    x: &mut [Vec<usize>],
) -> usize {
    let (dn, kn) = (rows.len(), cols.len());
    loop {
        let row_sum = |x: &[Vec<usize>], d: usize| x[d].iter().sum::<usize>();
        let col_sum = |x: &[Vec<usize>], j: usize| x.iter().map(|r| r[j]).sum::<usize>();
        // BFS over domains from every domain with room, through cells: a forward step d→j
        // needs spare cap, a backward step j→d' needs flow in (d', j).
        let mut prev_dom: Vec<Option<(usize, usize)>> = vec![None; dn]; // (from domain, via kind)
        let mut seen = vec![false; dn];
        let mut queue = VecDeque::new();
        for d in 0..dn {
            if row_sum(x, d) < rows[d] {
                seen[d] = true;
                queue.push_back(d);
            }
        }
        let mut end = None;
        'bfs: while let Some(d) = queue.pop_front() {
            for j in 0..kn {
                if x[d][j] >= cap(d, j) {
                    continue;
                }
                if col_sum(x, j) < cols[j] {
                    end = Some((d, j));
                    break 'bfs;
                }
                for d2 in 0..dn {
                    if !seen[d2] && x[d2][j] > 0 {
                        seen[d2] = true;
                        prev_dom[d2] = Some((d, j));
                        queue.push_back(d2);
                    }
                }
            }
        }
        let Some((mut d, j)) = end else {
            return x.iter().flatten().sum();
        };
        // Apply: +1 at (d, j), then walk back: −1 at (d, via), +1 at (from, via).
        x[d][j] += 1;
        while let Some((from, via)) = prev_dom[d] {
            x[d][via] -= 1;
            x[from][via] += 1;
            d = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuestionKind::*;

    const KINDS: [QuestionKind; 4] = [Single, Multiple, Order, Match];

    #[test]
    fn meets_both_margins_when_the_pool_allows() {
        let rows = [10, 9, 12, 13, 12, 9];
        let avail = vec![vec![30, 8, 3, 3]; 6];
        let (x, short) = cells(&rows, &[68.0, 20.0, 6.0, 6.0], &avail, &KINDS);
        assert!(short.is_empty());
        for (d, r) in rows.iter().enumerate() {
            assert_eq!(x[d].iter().sum::<usize>(), *r);
            for j in 0..4 {
                assert!(x[d][j] <= avail[d][j]);
            }
        }
        let cols: Vec<usize> = (0..4).map(|j| x.iter().map(|r| r[j]).sum()).collect();
        assert_eq!(cols, vec![44, 13, 4, 4]);
    }

    #[test]
    fn a_kind_short_in_every_domain_is_reported_and_filled() {
        let rows = [5, 5];
        let avail = vec![vec![10, 1, 0, 0], vec![10, 0, 0, 0]];
        let (x, short) = cells(&rows, &[50.0, 50.0, 0.0, 0.0][..2], &avail, &KINDS[..2]);
        assert_eq!(
            short,
            vec![KindShortfall {
                kind: Multiple,
                wanted: 5,
                available: 1
            }]
        );
        assert_eq!(x, vec![vec![4, 1], vec![5, 0]]);
    }

    #[test]
    fn joint_infeasibility_keeps_domain_counts() {
        // Every multiple is in domain 0, which only gets 1 question.
        let rows = [1, 9];
        let avail = vec![vec![5, 5], vec![20, 0]];
        let (x, _) = cells(&rows, &[50.0, 50.0], &avail, &KINDS[..2]);
        assert_eq!(x[0].iter().sum::<usize>(), 1);
        assert_eq!(x[1].iter().sum::<usize>(), 9);
        assert_eq!(x[0][1], 1);
    }
}
