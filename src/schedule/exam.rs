//! Exam-date mode: when the learner has set the date of an exam, the items of its decks are
//! scheduled for that day.
//!
//! Three rules:
//! 1. **No review after the exam without one before it.** When an answer would schedule the
//!    next review on or after exam day and the item's predicted recall on exam day would be
//!    below the target, the review is moved into the final days before the exam (spread over
//!    them by the item's fuzz number).
//! 2. **Final days top-up.** In the last `exam_final_days` days, any studied item whose
//!    predicted recall on exam day is below the target is due now (the queue asks for it).
//! 3. **Pace.** New items of the exam's decks are introduced at
//!    `max(new_per_day, ceil(new_left / days_left_before_the_final_days))` a day, so every
//!    item is introduced before the final days.
//!
//! Before the final days, the exam's items use `exam_early_retention` (0.85 by default):
//! fewer reviews early on, spent instead just before the exam where they count.

use super::{DAY_MS, Settings, recall};
use chrono::NaiveDate;

/// The exam-date rules for one item, or `None` when its exam has no date or is past.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExamPolicy {
    /// Scheduler day of the exam.
    pub exam_day: i64,
    /// Length of the final stretch, in days.
    pub final_days: u32,
    /// Predicted recall each item should have on exam day.
    pub target: f32,
    /// Desired retention before the final stretch.
    pub early_retention: f32,
}

impl ExamPolicy {
    /// The policy for an exam on `date`, seen on scheduler day `today` (None once the exam day
    /// has come).
    pub fn new(date: NaiveDate, today: i64, settings: &Settings) -> Option<ExamPolicy> {
        let exam_day = i64::from(chrono::Datelike::num_days_from_ce(&date));
        (today < exam_day).then_some(ExamPolicy {
            exam_day,
            final_days: settings.exam_final_days.max(1),
            target: settings.exam_target_recall,
            early_retention: settings.exam_early_retention,
        })
    }

    /// First day of the final stretch.
    pub fn final_start(&self) -> i64 {
        self.exam_day - i64::from(self.final_days)
    }

    /// Whether `today` is in the final stretch.
    pub fn in_final_days(&self, today: i64) -> bool {
        today >= self.final_start() && today < self.exam_day
    }

    /// Desired retention on `today` for an item whose own retention is `normal`.
    pub fn retention(&self, today: i64, normal: f32) -> f32 {
        if today < self.final_start() {
            self.early_retention
        } else {
            normal
        }
    }

    /// Rule 1: the due day of the next review, given the one plain FSRS chose.
    pub fn adjust_due(
        &self,
        today: i64,
        due_day: i64,
        stability: f32,
        parameters: &[f32],
        fuzz: f64,
    ) -> i64 {
        if due_day < self.exam_day || today >= self.exam_day - 1 {
            return due_day;
        }
        let recall_on_exam = recall(stability, (self.exam_day - today) as f64, parameters);
        if recall_on_exam >= f64::from(self.target) {
            return due_day;
        }
        let spread = (fuzz * f64::from(self.final_days)).floor() as i64;
        (self.final_start() + spread).clamp(today + 1, self.exam_day - 1)
    }

    /// Rule 2: whether an item last reviewed at `last_review_ms` with this stability needs a
    /// review in the final days: not yet reviewed in them (they start at `final_start_ms`) and
    /// below the target on exam day (which starts at `exam_start_ms`).
    pub fn needs_top_up(
        &self,
        last_review_ms: i64,
        stability: f32,
        final_start_ms: i64,
        exam_start_ms: i64,
        parameters: &[f32],
    ) -> bool {
        if last_review_ms >= final_start_ms {
            return false;
        }
        let days = (exam_start_ms - last_review_ms) as f64 / DAY_MS as f64;
        recall(stability, days, parameters) < f64::from(self.target)
    }

    /// Rule 3: new items per day needed to introduce `new_left` items before the final days.
    pub fn new_pace(&self, today: i64, new_left: u32, base: u32) -> u32 {
        let days = (self.final_start() - today).max(1) as u64;
        let needed = u64::from(new_left).div_ceil(days);
        base.max(u32::try_from(needed).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ExamPolicy {
        ExamPolicy {
            exam_day: 1000,
            final_days: 3,
            target: 0.9,
            early_retention: 0.85,
        }
    }

    #[test]
    fn past_exam_has_no_policy() {
        let s = Settings::default();
        let date = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        let day = i64::from(chrono::Datelike::num_days_from_ce(&date));
        assert!(ExamPolicy::new(date, day - 1, &s).is_some());
        assert!(ExamPolicy::new(date, day, &s).is_none());
    }

    #[test]
    fn due_after_exam_is_moved_into_final_days() {
        let p = policy();
        let w = fsrs::DEFAULT_PARAMETERS;
        // Stability 5 days, 40 days before the exam: recall on exam day is low.
        for f in [0.0, 0.5, 0.99] {
            let d = p.adjust_due(960, 1010, 5.0, &w, f);
            assert!((997..=999).contains(&d), "{d}");
        }
        // Due before the exam: unchanged.
        assert_eq!(p.adjust_due(960, 980, 5.0, &w, 0.5), 980);
        // Stable enough to be above target on exam day: unchanged.
        assert_eq!(p.adjust_due(990, 1100, 500.0, &w, 0.5), 1100);
        // The day before the exam: nothing left to move to.
        assert_eq!(p.adjust_due(999, 1005, 1.0, &w, 0.5), 1005);
    }

    #[test]
    fn top_up_when_below_target() {
        let p = policy();
        let w = fsrs::DEFAULT_PARAMETERS;
        let exam = 100 * DAY_MS;
        let fin = exam - 3 * DAY_MS;
        assert!(p.needs_top_up(exam - 20 * DAY_MS, 10.0, fin, exam, &w));
        assert!(
            !p.needs_top_up(exam - 5 * DAY_MS, 10.0, fin, exam, &w),
            "recall high enough"
        );
        assert!(
            !p.needs_top_up(exam - 2 * DAY_MS, 1.0, fin, exam, &w),
            "seen in the final days"
        );
    }

    #[test]
    fn pace_introduces_everything_before_final_days() {
        let p = policy();
        assert_eq!(p.new_pace(990, 700, 20), 100); // 7 days to go before the final 3
        assert_eq!(p.new_pace(900, 700, 20), 20);
        assert_eq!(p.new_pace(998, 10, 20), 20);
        assert_eq!(p.new_pace(998, 50, 20), 50);
        assert!(p.in_final_days(997) && !p.in_final_days(996) && !p.in_final_days(1000));
        assert_eq!(p.retention(990, 0.9), 0.85);
        assert_eq!(p.retention(998, 0.9), 0.9);
    }
}
