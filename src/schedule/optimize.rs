//! Optimizing FSRS parameters from the learner's own history.
//!
//! Each review after the first day of an item becomes one training item (its history up to
//! that review, `delta_t` in scheduler days). The items are ordered by time; the newest 20 %
//! are held out. New parameters are trained with `fsrs::compute_parameters` on the rest and
//! kept only if their log loss on the held-out reviews is lower than the current parameters'.

use fsrs::{ComputeParametersInput, FSRS, FSRSItem, FSRSReview};
use serde::Serialize;

/// Fewest training items (reviews after the first day) needed to optimize.
pub const MIN_ITEMS: usize = 200;

/// One item's scheduling answers in order: (rating 1–4, scheduler day, time in UTC ms).
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Store id of the item.
    pub item: i64,
    /// The answers.
    pub answers: Vec<(u8, i64, i64)>,
}

/// The result of an optimization.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OptimizeReport {
    /// Training items used.
    pub train_items: usize,
    /// Held-out items used to compare.
    pub test_items: usize,
    /// Log loss of the current parameters on the held-out reviews.
    pub current_log_loss: f32,
    /// Log loss of the new parameters on the held-out reviews.
    pub new_log_loss: f32,
    /// Whether the new parameters were kept (lower log loss).
    pub accepted: bool,
    /// The new parameters.
    pub parameters: Vec<f32>,
}

/// Why optimizing did not happen.
#[derive(Debug, thiserror::Error)]
pub enum OptimizeError {
    /// Not enough history.
    #[error(
        "not enough reviews to optimize: {have} of the {need} needed (reviews after an item's first day)"
    )]
    NotEnoughData {
        /// Training items available.
        have: usize,
        /// Needed.
        need: usize,
    },
    /// The `fsrs` crate failed.
    #[error("FSRS optimizer failed: {0}")]
    Fsrs(fsrs::FSRSError),
}

impl From<fsrs::FSRSError> for OptimizeError {
    fn from(e: fsrs::FSRSError) -> Self {
        OptimizeError::Fsrs(e)
    }
}

/// Training items with their item id and time, sorted by time.
pub fn build_items(histories: &[History]) -> Vec<(FSRSItem, i64, i64)> {
    let mut out = Vec::new();
    for h in histories {
        let mut reviews: Vec<FSRSReview> = Vec::with_capacity(h.answers.len());
        let mut last_day = None;
        for &(rating, day, at) in &h.answers {
            let delta = last_day.map_or(0, |l: i64| (day - l).max(0));
            reviews.push(FSRSReview {
                rating: u32::from(rating),
                delta_t: u32::try_from(delta).unwrap_or(u32::MAX),
            });
            last_day = Some(day);
            if delta > 0 {
                out.push((
                    FSRSItem {
                        reviews: reviews.clone(),
                    },
                    h.item,
                    at,
                ));
            }
        }
    }
    out.sort_by_key(|(_, item, at)| (*at, *item));
    out
}

/// Trains and compares; `progress` gets 0.0–1.0.
pub fn optimize(
    histories: &[History],
    current: &[f32],
    progress: &mut dyn FnMut(f32),
) -> Result<OptimizeReport, OptimizeError> {
    progress(0.0);
    let items = build_items(histories);
    if items.len() < MIN_ITEMS {
        return Err(OptimizeError::NotEnoughData {
            have: items.len(),
            need: MIN_ITEMS,
        });
    }
    let split = items.len() * 4 / 5;
    let (train, test) = items.split_at(split);
    let train_set: Vec<FSRSItem> = train.iter().map(|(i, _, _)| i.clone()).collect();
    let card_ids: Vec<i64> = train.iter().map(|(_, c, _)| *c).collect();
    let test_set: Vec<FSRSItem> = test.iter().map(|(i, _, _)| i.clone()).collect();
    progress(0.1);
    let parameters = fsrs::compute_parameters(ComputeParametersInput {
        train_set,
        card_ids: Some(card_ids),
        ..ComputeParametersInput::default()
    })?;
    progress(0.8);
    let current_log_loss = FSRS::new(current)?
        .evaluate(test_set.clone(), |_| true)?
        .log_loss;
    let new_log_loss = FSRS::new(&parameters)?
        .evaluate(test_set, |_| true)?
        .log_loss;
    progress(1.0);
    Ok(OptimizeReport {
        train_items: split,
        test_items: items.len() - split,
        current_log_loss,
        new_log_loss,
        accepted: new_log_loss < current_log_loss,
        parameters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_prefixes_after_the_first_day() {
        let h = History {
            item: 7,
            answers: vec![(3, 10, 100), (3, 10, 200), (3, 12, 300), (1, 20, 400)],
        };
        let items = build_items(&[h]);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].0.reviews.len(), 3);
        assert_eq!(items[0].0.reviews[2].delta_t, 2);
        assert_eq!(
            items[1].0.reviews[3],
            FSRSReview {
                rating: 1,
                delta_t: 8
            }
        );
    }

    #[test]
    fn too_little_history_is_refused() {
        let err = optimize(&[], &[], &mut |_| {}).expect_err("no data");
        assert!(matches!(err, OptimizeError::NotEnoughData { have: 0, .. }));
    }
}
