//! Duplicate and near-duplicate prompts across the library, by Jaccard similarity of their
//! content-word sets. Candidates come from prefix filtering (two sets with similarity ≥ t
//! share a word among each one's `|s| − ⌈t·|s|⌉ + 1` rarest words), so a large library is not
//! compared pair by pair.

use std::collections::{BTreeMap, BTreeSet};

/// Prompts this similar (Jaccard of content words) or more are near-duplicates.
pub const MIN_JACCARD: f64 = 0.8;
/// Prompts with fewer content words than this are too short to compare.
pub const MIN_WORDS: usize = 4;

/// Jaccard similarity of two sets (0 for two empty sets).
pub fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Pairs `(earlier, later, similarity)` of indexes into `docs` whose similarity is at least
/// [`MIN_JACCARD`], sorted.
pub fn near_duplicates(docs: &[BTreeSet<String>]) -> Vec<(usize, usize, f64)> {
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    for d in docs {
        for w in d {
            *df.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut pairs = BTreeSet::new();
    for (i, d) in docs.iter().enumerate() {
        if d.len() < MIN_WORDS {
            continue;
        }
        let mut words: Vec<&str> = d.iter().map(String::as_str).collect();
        words.sort_by_key(|w| (df.get(w).copied().unwrap_or(0), *w));
        let prefix = d.len() - (MIN_JACCARD * d.len() as f64).ceil() as usize + 1;
        let mut seen = BTreeSet::new();
        for w in words.iter().take(prefix) {
            let list = index.entry(w).or_default();
            for &j in list.iter() {
                if seen.insert(j) && jaccard(&docs[j], d) >= MIN_JACCARD {
                    pairs.insert((j, i));
                }
            }
            list.push(i);
        }
    }
    pairs
        .into_iter()
        .map(|(a, b)| (a, b, jaccard(&docs[a], &docs[b])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::lint::words::content_stems;

    #[test]
    fn finds_rewordings_and_skips_different_questions() {
        let docs: Vec<BTreeSet<String>> = [
            "Which feature proves CloudTrail log files were not changed after delivery?",
            "Which GuardDuty finding type points to cryptocurrency mining on an instance?",
            "Which feature proves that CloudTrail log files were not changed after their delivery?",
            "Short one",
        ]
        .iter()
        .map(|s| content_stems(s))
        .collect();
        let found = near_duplicates(&docs);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (0, 2));
        assert!(found[0].2 >= MIN_JACCARD);
    }

    #[test]
    fn prefix_filter_finds_what_brute_force_finds() {
        // Ten shared words, one left out and one added per document: similarities from
        // 9/11 (0.82) to 1, and below the threshold when two words differ.
        let texts: Vec<String> = (0..60)
            .map(|i: usize| {
                let mut w: Vec<String> = (0..10)
                    .filter(|k| *k != i % 10)
                    .map(|k| format!("word{k}"))
                    .collect();
                w.push(format!("extra{}", i % 3));
                if i.is_multiple_of(4) {
                    w.push(format!("rare{i}"));
                }
                w.join(" ")
            })
            .collect();
        let docs: Vec<BTreeSet<String>> = texts.iter().map(|s| content_stems(s)).collect();
        let mut brute = Vec::new();
        for i in 0..docs.len() {
            for j in i + 1..docs.len() {
                let s = jaccard(&docs[i], &docs[j]);
                if s >= MIN_JACCARD && docs[i].len() >= MIN_WORDS && docs[j].len() >= MIN_WORDS {
                    brute.push((i, j, s));
                }
            }
        }
        assert!(!brute.is_empty());
        assert_eq!(near_duplicates(&docs), brute);
    }
}
