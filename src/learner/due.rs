//! What to study: due counts per deck, exam-date plans and the next item.

use super::types::*;
use super::{Learner, Result};
use crate::deck::Library;
use crate::schedule::exam::ExamPolicy;
use crate::schedule::queue::{self, Candidate, Limits, Tally};
use crate::schedule::{self, DeckLimits, MINUTE_MS, Phase};
use crate::store::items::ScopeFilter;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

impl Learner {
    /// Exam plans: for each exam with a date ahead, the new-item pace.
    pub fn exam_plans(&self, library: &Library, now: DateTime<Utc>) -> Result<Vec<ExamPlan>> {
        let now_ms = now.timestamp_millis();
        let today = self.today(now_ms);
        let day_start = self.day_start(today);
        let mut out = Vec::new();
        if self.settings.exam_dates.is_empty() {
            return Ok(out);
        }
        let new_by_deck: HashMap<String, u32> =
            self.store.read().count_new(now_ms)?.into_iter().collect();
        let introduced: HashMap<String, u32> = self
            .store
            .read()
            .introduced_since(day_start)?
            .into_iter()
            .collect();
        for (exam, date) in &self.settings.exam_dates {
            let Some(p) = ExamPolicy::new(*date, today, &self.settings) else {
                continue;
            };
            let decks: HashSet<&str> = library
                .decks
                .iter()
                .filter(|d| d.deck.exam.as_deref() == Some(exam.as_str()))
                .map(|d| d.deck.id.as_str())
                .collect();
            let new_left: u32 = decks
                .iter()
                .map(|d| new_by_deck.get(*d).copied().unwrap_or(0))
                .sum();
            let done: u32 = decks
                .iter()
                .map(|d| introduced.get(*d).copied().unwrap_or(0))
                .sum();
            out.push(ExamPlan {
                exam: exam.clone(),
                date: *date,
                days_left: p.exam_day - today,
                new_left,
                new_per_day: p.new_pace(today, new_left + done, self.settings.new_per_day),
                in_final_days: p.in_final_days(today),
            });
        }
        Ok(out)
    }

    /// Today's limits (exam pace included) and tally.
    pub(super) fn limits_and_tally(
        &self,
        library: &Library,
        now: DateTime<Utc>,
    ) -> Result<(HashMap<String, DeckLimits>, DeckLimits, Tally)> {
        let now_ms = now.timestamp_millis();
        let start = self.day_start(self.today(now_ms));
        let read = self.store.read();
        let mut tally = Tally::default();
        for (deck, n) in read.introduced_since(start)? {
            tally.new += n;
            tally.new_by_deck.insert(deck, n);
        }
        for (deck, n) in read.reviewed_since(start)? {
            tally.reviews += n;
            tally.reviews_by_deck.insert(deck, n);
        }
        let mut per_deck: HashMap<String, DeckLimits> = library
            .decks
            .iter()
            .map(|d| (d.deck.id.clone(), self.settings.limits_for(&d.deck.id)))
            .collect();
        let mut overall = DeckLimits {
            new_per_day: self.settings.new_per_day,
            reviews_per_day: self.settings.reviews_per_day,
        };
        let mut paces = 0u32;
        for plan in self.exam_plans(library, now)? {
            paces = paces.saturating_add(plan.new_per_day);
            for d in &library.decks {
                if d.deck.exam.as_deref() == Some(plan.exam.as_str())
                    && let Some(l) = per_deck.get_mut(&d.deck.id)
                {
                    l.new_per_day = l.new_per_day.max(plan.new_per_day);
                }
            }
        }
        overall.new_per_day = overall.new_per_day.max(paces);
        Ok((per_deck, overall, tally))
    }

    /// Exams in their final days: (exam id, exam day start ms, final days start ms).
    pub(super) fn final_days_exams(&self, now_ms: i64) -> Vec<(String, i64, i64)> {
        let today = self.today(now_ms);
        self.settings
            .exam_dates
            .iter()
            .filter_map(|(exam, date)| {
                let p = ExamPolicy::new(*date, today, &self.settings)?;
                p.in_final_days(today).then(|| {
                    (
                        exam.clone(),
                        self.day_start(p.exam_day),
                        self.day_start(p.final_start()),
                    )
                })
            })
            .collect()
    }

    /// Due counts per deck of the library, daily limits applied.
    pub fn due_counts(&self, library: &Library, now: DateTime<Utc>) -> Result<Vec<DeckCounts>> {
        let now_ms = now.timestamp_millis();
        let learn_until = now_ms + i64::from(self.settings.learn_ahead_mins) * MINUTE_MS;
        let read = self.store.read();
        let new: HashMap<String, u32> = read.count_new(now_ms)?.into_iter().collect();
        let due: HashMap<String, (u32, u32)> = read
            .count_due(now_ms, learn_until)?
            .into_iter()
            .map(|(d, r, l)| (d, (r, l)))
            .collect();
        let mastered: HashMap<String, u32> = read.count_mastered(now_ms)?.into_iter().collect();
        let totals = self.totals()?;
        let mut top_ups: HashMap<String, u32> = HashMap::new();
        let factor = schedule::stability_factor_for(self.settings.exam_target_recall, &self.params);
        for (exam, exam_start, final_start) in self.final_days_exams(now_ms) {
            for (deck, n) in read.count_top_ups(&exam, now_ms, exam_start, final_start, factor)? {
                *top_ups.entry(deck).or_default() += n;
            }
        }
        let (limits, overall, tally) = self.limits_and_tally(library, now)?;
        let new_left_all = overall.new_per_day.saturating_sub(tally.new);
        let rev_left_all = overall.reviews_per_day.saturating_sub(tally.reviews);
        let mut out = Vec::new();
        for d in &library.decks {
            let id = &d.deck.id;
            let (total, suspended) = totals.get(id).copied().unwrap_or((0, 0));
            let (review, learning) = due.get(id).copied().unwrap_or((0, 0));
            let mastered = mastered.get(id).copied().unwrap_or(0);
            let lim = limits.get(id).copied().unwrap_or(overall);
            let new_left = lim
                .new_per_day
                .saturating_sub(tally.new_by_deck.get(id).copied().unwrap_or(0))
                .min(new_left_all);
            let rev_left = lim
                .reviews_per_day
                .saturating_sub(tally.reviews_by_deck.get(id).copied().unwrap_or(0))
                .min(rev_left_all);
            out.push(DeckCounts {
                deck: id.clone(),
                new: new.get(id).copied().unwrap_or(0).min(new_left),
                learning,
                review: review.min(rev_left) + top_ups.get(id).copied().unwrap_or(0),
                total,
                suspended,
                mastered_fraction: if total == 0 {
                    0.0
                } else {
                    mastered as f32 / total as f32
                },
            });
        }
        Ok(out)
    }

    /// The next item to study in `scope`, or None when nothing is left today.
    pub fn next_item(
        &mut self,
        scope: &StudyScope,
        library: &Library,
        now: DateTime<Utc>,
    ) -> Result<Option<NextItem>> {
        let now_ms = now.timestamp_millis();
        let learn_until = now_ms + i64::from(self.settings.learn_ahead_mins) * MINUTE_MS;
        let mut top_ups = Vec::new();
        let (learning, reviews, news, limited) = match scope {
            StudyScope::Items(keys) => {
                let (mut l, mut r, mut n) = (Vec::new(), Vec::new(), Vec::new());
                for key in keys {
                    let Some(row) = self.store.read().item_by_key(key)? else {
                        continue;
                    };
                    if row.removed || row.sched.suspended {
                        continue;
                    }
                    let c = Candidate {
                        id: row.id,
                        deck: row.key.deck.clone(),
                        due_ms: row.sched.due_ms.unwrap_or(row.position),
                        phase: row.sched.phase,
                    };
                    match row.sched.phase {
                        Phase::New => n.push(c),
                        Phase::Review if c.due_ms <= now_ms => r.push(c),
                        Phase::Learning | Phase::Relearning if c.due_ms <= learn_until => l.push(c),
                        _ => {}
                    }
                }
                l.sort_by_key(|c| (c.due_ms, c.id));
                r.sort_by_key(|c| (c.due_ms, c.id));
                (l, r, n, false)
            }
            other => {
                let filter = match other {
                    StudyScope::Deck(d) => ScopeFilter {
                        deck: Some(d.clone()),
                        ..ScopeFilter::default()
                    },
                    StudyScope::Exam(e) => ScopeFilter {
                        exam: Some(e.clone()),
                        ..ScopeFilter::default()
                    },
                    StudyScope::Domain { exam, domain } => ScopeFilter {
                        exam: Some(exam.clone()),
                        domain: Some(domain.clone()),
                        ..ScopeFilter::default()
                    },
                    _ => ScopeFilter::default(),
                };
                let read = self.store.read();
                let fetch = self.settings.reviews_per_day.clamp(50, 2000);
                let learning = read.learning_due(&filter, learn_until, 50)?;
                let reviews = read.reviews_due(&filter, now_ms, fetch)?;
                let factor =
                    schedule::stability_factor_for(self.settings.exam_target_recall, &self.params);
                for (exam, exam_start, final_start) in self.final_days_exams(now_ms) {
                    top_ups.extend(read.top_ups(
                        &filter,
                        &exam,
                        now_ms,
                        exam_start,
                        final_start,
                        factor,
                        fetch,
                    )?);
                }
                let news = read.new_items(&filter, now_ms, fetch)?;
                (learning, reviews, news, true)
            }
        };
        let picked = if limited {
            let (limits, overall, tally) = self.limits_and_tally(library, now)?;
            let deck_limit = |d: &str| limits.get(d).copied().unwrap_or(overall);
            let lim = Limits {
                deck: &deck_limit,
                overall,
            };
            queue::pick(&learning, &reviews, &news, &tally, &lim, now_ms)
        } else {
            let unlimited = |_: &str| DeckLimits {
                new_per_day: u32::MAX,
                reviews_per_day: u32::MAX,
            };
            let lim = Limits {
                deck: &unlimited,
                overall: unlimited(""),
            };
            queue::pick(&learning, &reviews, &news, &Tally::default(), &lim, now_ms)
        };
        // Exam top-ups are not bound by the daily limits: they come once the day's due items
        // are done (before learning items that are not yet due).
        let id = match picked {
            Some(c) if !(c.phase.is_learning() && c.due_ms > now_ms) => Some(c.id),
            other => top_ups.first().or(other).map(|c| c.id),
        };
        let Some(id) = id else { return Ok(None) };
        let Some(row) = self.store.read().item_by_id(id)? else {
            return Ok(None);
        };
        let ctx = self.ctx(&row, now_ms);
        let previews = schedule::previews(&row.sched, now_ms, &ctx)
            .map_err(|e| Self::fsrs_err(&row.key, e))?;
        Ok(Some(NextItem {
            key: row.key,
            phase: row.sched.phase,
            edited: row.edited,
            previews,
        }))
    }
}
