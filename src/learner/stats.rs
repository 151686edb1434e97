//! Settings, statistics, the optimizer and backups.

use super::types::*;
use super::{BackupInfo, OptimizeReport};
use super::{Learner, LearnerError, Result};
use crate::deck::Library;
use crate::schedule::optimize::{self, History};
use crate::schedule::{Phase, Settings};
use crate::store::events::EventKind;
use crate::store::{backup, meta};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

impl Learner {
    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Checks, saves and applies new settings (existing due dates are kept; a rebuild from
    /// the log recomputes them with the new settings). Changed keys are stamped now for sync
    /// (see [`Learner::set_settings_at`]).
    pub fn set_settings(&mut self, s: Settings) -> Result<()> {
        self.set_settings_at(s, Utc::now())
    }

    /// [`Learner::set_settings`] saved at `now`: every changed key (setting, exam date, FSRS
    /// parameters) is stamped with the time of the save, not of the next sync, so an older
    /// edit made offline never wins over a newer one from another device.
    pub fn set_settings_at(&mut self, s: Settings, now: DateTime<Utc>) -> Result<()> {
        s.validate()?;
        let fsrs = s.fsrs()?;
        self.store.write(|tx| tx.meta_set(meta::SETTINGS, &s))?;
        self.params = s.parameters();
        self.fsrs = fsrs;
        self.settings = s;
        let device = self.device()?;
        self.stamp_settings(&device.id, now.timestamp_millis())?;
        Ok(())
    }

    /// Whether a settings change saved here is not exported yet (the next export rebuilds
    /// every state with it, as the other devices will when it arrives).
    pub(super) fn settings_unexported(&self) -> Result<bool> {
        let rows = self.store.read().sync_settings()?;
        Ok(rows.iter().any(|(_, origin)| origin.is_none()))
    }

    /// Statistics for the decks of the library.
    pub fn stats(&self, library: &Library, now: DateTime<Utc>) -> Result<Stats> {
        let now_ms = now.timestamp_millis();
        let today = self.today(now_ms);
        let read = self.store.read();
        let decks: HashSet<&str> = library.decks.iter().map(|d| d.deck.id.as_str()).collect();

        // Day boundaries once, then a binary search per answer (no time-zone maths per row).
        let first = today - 364;
        let starts: Vec<i64> = (first..=today + 31).map(|d| self.day_start(d)).collect();
        let day_of = |t: i64| first + starts.partition_point(|&s| s <= t) as i64 - 1;
        let mut per_day: BTreeMap<i64, (u32, u64)> = BTreeMap::new();
        for (t, n, time) in read.review_times_since(starts[0])? {
            let e = per_day.entry(day_of(t)).or_default();
            e.0 += n;
            e.1 += time;
        }
        let reviews_per_day = per_day
            .into_iter()
            .map(|(day, (reviews, time_ms))| DayReviews {
                date: i32::try_from(day)
                    .ok()
                    .and_then(NaiveDate::from_num_days_from_ce_opt)
                    .unwrap_or_default(),
                reviews,
                time_ms,
            })
            .collect();

        let mut forecast = vec![0u32; 30];
        for due in read.due_before(self.day_start(today + 30))? {
            let i = (day_of(due) - today).clamp(0, 29) as usize;
            forecast[i] += 1;
        }

        let mut by_deck: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        let mut by_domain: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        for (deck, exam, domain, n, passed) in read.retention_rows()? {
            if !decks.contains(deck.as_str()) {
                continue;
            }
            let e = by_deck.entry(deck).or_default();
            e.0 += n;
            e.1 += passed;
            if let (Some(x), Some(d)) = (exam, domain) {
                let e = by_domain.entry(format!("{x}/{d}")).or_default();
                e.0 += n;
                e.1 += passed;
            }
        }
        let ret = |m: BTreeMap<String, (u32, u32)>| {
            m.into_iter()
                .map(|(key, (answers, passed))| Retention {
                    key,
                    answers,
                    passed,
                    rate: (answers > 0).then(|| passed as f32 / answers as f32),
                })
                .collect()
        };

        let mut phases = PhaseCounts::default();
        for (deck, phase, suspended, n) in read.phase_counts()? {
            if !decks.contains(deck.as_str()) {
                continue;
            }
            if suspended {
                phases.suspended += n;
            }
            match phase {
                Phase::New => phases.new += n,
                Phase::Learning => phases.learning += n,
                Phase::Review => phases.review += n,
                Phase::Relearning => phases.relearning += n,
            }
        }
        let (total_reviews, total_time_ms) = read.review_totals()?;
        Ok(Stats {
            reviews_per_day,
            forecast,
            retention_by_deck: ret(by_deck),
            retention_by_domain: ret(by_domain),
            phases,
            total_reviews,
            total_time_ms,
            exam_plans: self.exam_plans(library, now)?,
        })
    }

    /// Trains FSRS parameters on this learner's history; keeps them (and recomputes all
    /// states from the log) only if they predict the held-out reviews better.
    pub fn optimize(&mut self, progress: &mut dyn FnMut(f32)) -> Result<OptimizeReport> {
        let (histories, params) = self.optimizer_input()?;
        let report = optimize::optimize(&histories, &params, progress)?;
        self.adopt_parameters(&report)?;
        Ok(report)
    }

    /// What the optimizer needs, as plain data (so a window can run it on another thread and
    /// show progress): every item's scheduling answers since its last reset, and the current
    /// parameters. Run [`optimize::optimize`] on it, then [`Learner::adopt_parameters`].
    pub fn optimizer_input(&self) -> Result<(Vec<History>, Vec<f32>)> {
        let mut by_item: BTreeMap<i64, Vec<(u8, i64, i64)>> = BTreeMap::new();
        let mut resets: HashMap<i64, i64> = HashMap::new();
        for e in self.store.read().all_events()? {
            if e.kind == EventKind::Reset {
                resets.insert(e.item_id, e.after_review);
            }
        }
        for r in self.store.read().all_reviews()? {
            if !r.kind.schedules() {
                continue;
            }
            // History before the last reset belongs to an earlier life of the item.
            if resets.get(&r.item_id).is_some_and(|&after| r.id <= after) {
                continue;
            }
            by_item.entry(r.item_id).or_default().push((
                r.rating.as_u8(),
                self.today(r.at_ms),
                r.at_ms,
            ));
        }
        let histories: Vec<History> = by_item
            .into_iter()
            .map(|(item, answers)| History { item, answers })
            .collect();
        Ok((histories, self.params.clone()))
    }

    /// Keeps an optimizer result's parameters if it was accepted (they predict the held-out
    /// reviews better), and reschedules every item with them.
    pub fn adopt_parameters(&mut self, report: &OptimizeReport) -> Result<()> {
        if report.accepted {
            let s = Settings {
                fsrs_parameters: report.parameters.clone(),
                ..self.settings.clone()
            };
            self.set_settings(s)?;
            self.rebuild_from_log()?;
        }
        Ok(())
    }

    /// This learner's backups, newest first (none for an in-memory learner).
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        match &self.data_dir {
            Some(d) => Ok(backup::list(d)?),
            None => Ok(Vec::new()),
        }
    }

    /// Takes a backup now (after `quick_check`), once the automatic one has finished.
    pub fn backup_now(&mut self, now: DateTime<Utc>) -> Result<BackupInfo> {
        self.wait_for_backup()?;
        let d = self.data_dir.as_ref().ok_or(LearnerError::NoDataDir)?;
        Ok(self.store.backup_now(d, now)?)
    }

    /// Replaces the database in `data_dir` with a backup (checked first; the current database
    /// is saved byte for byte beside the backups, and the outcome names that copy). Call with
    /// no learner open on that directory.
    pub fn restore(
        data_dir: &Path,
        backup_file: &Path,
        now: DateTime<Utc>,
    ) -> Result<crate::store::restore::RestoreOutcome> {
        Ok(crate::store::restore::restore(data_dir, backup_file, now)?)
    }
}
