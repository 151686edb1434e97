//! The learner's scheduling settings, checked once when they are set.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Daily limits of one deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckLimits {
    /// New items introduced per day.
    pub new_per_day: u32,
    /// Reviews per day.
    pub reviews_per_day: u32,
}

/// Scheduling settings (saved as JSON in the learner's database).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Target probability of recall when a review is due (0.7–0.99).
    pub desired_retention: f32,
    /// Overrides of `desired_retention` by deck id.
    pub deck_retention: BTreeMap<String, f32>,
    /// Overrides of `desired_retention` by exam id (a deck override wins).
    pub exam_retention: BTreeMap<String, f32>,
    /// New items per day, over all decks.
    pub new_per_day: u32,
    /// Reviews per day, over all decks.
    pub reviews_per_day: u32,
    /// Limits of single decks (each deck is also bounded by the overall limits).
    pub deck_limits: BTreeMap<String, DeckLimits>,
    /// Local hour (0–23) at which a new study day starts.
    pub day_start_hour: u32,
    /// Learning steps, in minutes.
    pub learning_steps_mins: Vec<u32>,
    /// Relearning steps after a lapse, in minutes.
    pub relearning_steps_mins: Vec<u32>,
    /// Longest interval, in days.
    pub max_interval_days: u32,
    /// Lapses after which an item is tagged a leech and suspended (0 = never).
    pub leech_threshold: u32,
    /// Learning items due within this many minutes are shown when nothing else is left.
    pub learn_ahead_mins: u32,
    /// Spread review intervals a little (deterministically) so that items learned together
    /// do not stay together.
    pub fuzz: bool,
    /// The learner's exam dates, by exam id.
    pub exam_dates: BTreeMap<String, NaiveDate>,
    /// Days before an exam in which every studied item is brought up to the exam target.
    pub exam_final_days: u32,
    /// Predicted recall every studied item should have on exam day.
    pub exam_target_recall: f32,
    /// Desired retention used for an exam's items before its final days (lower: fewer
    /// reviews early, spent in the final days instead).
    pub exam_early_retention: f32,
    /// FSRS parameters (empty: the defaults).
    pub fsrs_parameters: Vec<f32>,
    /// Extra deck folders the learner added in Settings, watched like their own folder.
    pub deck_folders: Vec<std::path::PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            desired_retention: 0.9,
            deck_retention: BTreeMap::new(),
            exam_retention: BTreeMap::new(),
            new_per_day: 20,
            reviews_per_day: 200,
            deck_limits: BTreeMap::new(),
            day_start_hour: 4,
            learning_steps_mins: vec![1, 10],
            relearning_steps_mins: vec![10],
            max_interval_days: 36_500,
            leech_threshold: 8,
            learn_ahead_mins: 20,
            fuzz: true,
            exam_dates: BTreeMap::new(),
            exam_final_days: 3,
            exam_target_recall: 0.9,
            exam_early_retention: 0.85,
            fsrs_parameters: Vec::new(),
            deck_folders: Vec::new(),
        }
    }
}

/// A setting out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// A retention outside 0.7–0.99.
    #[error("{what} is {value}; use a value from 0.70 to 0.99")]
    Retention {
        /// Which setting.
        what: String,
        /// The value given.
        value: f32,
    },
    /// Day start hour above 23.
    #[error("day start hour is {0}; use 0–23")]
    DayStart(u32),
    /// A learning step of 0 minutes or longer than a day.
    #[error("{what} contains {value} minutes; each step must be 1–1440 minutes")]
    Step {
        /// Which setting.
        what: &'static str,
        /// The bad step.
        value: u32,
    },
    /// Maximum interval of 0 days.
    #[error("maximum interval must be at least 1 day")]
    MaxInterval,
    /// FSRS parameters the `fsrs` crate refuses.
    #[error("FSRS parameters are invalid: {0}")]
    Parameters(String),
}

impl Settings {
    /// Checks every value; the store only keeps settings that pass.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let retention = |what: String, value: f32| {
            if (0.7..=0.99).contains(&value) {
                Ok(())
            } else {
                Err(SettingsError::Retention { what, value })
            }
        };
        retention("desired retention".into(), self.desired_retention)?;
        retention("exam target recall".into(), self.exam_target_recall)?;
        retention("exam early retention".into(), self.exam_early_retention)?;
        for (d, r) in &self.deck_retention {
            retention(format!("retention of deck {d}"), *r)?;
        }
        for (e, r) in &self.exam_retention {
            retention(format!("retention of exam {e}"), *r)?;
        }
        if self.day_start_hour > 23 {
            return Err(SettingsError::DayStart(self.day_start_hour));
        }
        for (what, steps) in [
            ("learning steps", &self.learning_steps_mins),
            ("relearning steps", &self.relearning_steps_mins),
        ] {
            if let Some(&value) = steps.iter().find(|&&s| s == 0 || s > 1440) {
                return Err(SettingsError::Step { what, value });
            }
        }
        if self.max_interval_days == 0 {
            return Err(SettingsError::MaxInterval);
        }
        self.fsrs().map(|_| ())
    }

    /// The FSRS model with these parameters.
    pub fn fsrs(&self) -> Result<fsrs::FSRS, SettingsError> {
        fsrs::FSRS::new(&self.fsrs_parameters).map_err(|e| SettingsError::Parameters(e.to_string()))
    }

    /// The 21 parameters in use (the defaults when none are set).
    pub fn parameters(&self) -> Vec<f32> {
        fsrs::check_and_fill_parameters(&self.fsrs_parameters)
            .unwrap_or_else(|_| fsrs::DEFAULT_PARAMETERS.to_vec())
    }

    /// Desired retention of an item of `deck` (serving `exam`): deck override, exam override,
    /// then the global value.
    pub fn retention_for(&self, deck: &str, exam: Option<&str>) -> f32 {
        if let Some(r) = self.deck_retention.get(deck) {
            return *r;
        }
        if let Some(r) = exam.and_then(|e| self.exam_retention.get(e)) {
            return *r;
        }
        self.desired_retention
    }

    /// The limits of a deck (the overall limits when it has none of its own).
    pub fn limits_for(&self, deck: &str) -> DeckLimits {
        self.deck_limits.get(deck).copied().unwrap_or(DeckLimits {
            new_per_day: self.new_per_day,
            reviews_per_day: self.reviews_per_day,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_like_anki() {
        let s = Settings::default();
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.learning_steps_mins, vec![1, 10]);
        assert_eq!(s.relearning_steps_mins, vec![10]);
        assert_eq!(
            (s.new_per_day, s.reviews_per_day, s.day_start_hour),
            (20, 200, 4)
        );
        assert_eq!(s.leech_threshold, 8);
    }

    #[test]
    fn bad_values_are_refused() {
        let s = Settings {
            desired_retention: 1.2,
            ..Settings::default()
        };
        assert!(matches!(s.validate(), Err(SettingsError::Retention { .. })));
        let s = Settings {
            learning_steps_mins: vec![1, 0],
            ..Settings::default()
        };
        assert!(matches!(s.validate(), Err(SettingsError::Step { .. })));
        let s = Settings {
            fsrs_parameters: vec![f32::NAN; 21],
            ..Settings::default()
        };
        assert!(matches!(s.validate(), Err(SettingsError::Parameters(_))));
    }

    #[test]
    fn retention_overrides() {
        let mut s = Settings::default();
        s.exam_retention.insert("x".into(), 0.85);
        s.deck_retention.insert("d".into(), 0.95);
        assert_eq!(s.retention_for("d", Some("x")), 0.95);
        assert_eq!(s.retention_for("e", Some("x")), 0.85);
        assert_eq!(s.retention_for("e", None), 0.9);
    }

    #[test]
    fn old_json_gets_defaults() {
        let s: Settings = serde_json::from_str(r#"{"new_per_day": 5}"#).expect("json");
        assert_eq!(s.new_per_day, 5);
        assert_eq!(s.reviews_per_day, 200);
    }
}
