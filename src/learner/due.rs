//! What to study: due counts per deck, exam-date plans and the next item.

use super::queue::{filter_of, first_within};
use super::types::*;
use super::{Learner, Result};
use crate::deck::ItemKey;
use crate::deck::Library;
use crate::schedule::exam::ExamPolicy;
use crate::schedule::queue::{self, Candidate, Limits, Tally, count_within_limits};
use crate::schedule::{self, DeckLimits, MINUTE_MS, Phase};
use crate::store::items::ScopeFilter;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// Today's limits per deck and overall, tally, and exam plans.
type LimitsTallyPlans = (
    HashMap<String, DeckLimits>,
    DeckLimits,
    Tally,
    Vec<ExamPlan>,
);

impl Learner {
    /// Exam plans: for each exam with a date ahead, the new-item pace.
    pub fn exam_plans(&self, library: &Library, now: DateTime<Utc>) -> Result<Vec<ExamPlan>> {
        if self.settings.exam_dates.is_empty() {
            return Ok(Vec::new());
        }
        let now_ms = now.timestamp_millis();
        let day_start = self.day_start(self.today(now_ms));
        let new_by_deck: HashMap<String, u32> =
            self.store.read().count_new(now_ms)?.into_iter().collect();
        let introduced: HashMap<String, u32> = self
            .store
            .read()
            .introduced_since(day_start)?
            .into_iter()
            .collect();
        Ok(self.plans_from(library, now_ms, &new_by_deck, &introduced))
    }

    /// Exam plans from the new items left and those introduced today, per deck.
    fn plans_from(
        &self,
        library: &Library,
        now_ms: i64,
        new_by_deck: &HashMap<String, u32>,
        introduced: &HashMap<String, u32>,
    ) -> Vec<ExamPlan> {
        let today = self.today(now_ms);
        let mut out = Vec::new();
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
        out
    }

    /// Today's limits (exam pace included) and tally.
    pub(super) fn limits_and_tally(
        &self,
        library: &Library,
        now: DateTime<Utc>,
    ) -> Result<(HashMap<String, DeckLimits>, DeckLimits, Tally)> {
        let (per_deck, overall, tally, _) = self.limits_tally_plans(library, now, None)?;
        Ok((per_deck, overall, tally))
    }

    /// Today's limits, tally and exam plans, each query made once (`new_by_deck`: the new
    /// items per deck if already counted).
    fn limits_tally_plans(
        &self,
        library: &Library,
        now: DateTime<Utc>,
        new_by_deck: Option<&HashMap<String, u32>>,
    ) -> Result<LimitsTallyPlans> {
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
        let plans = if self.settings.exam_dates.is_empty() {
            Vec::new()
        } else {
            let counted;
            let new = match new_by_deck {
                Some(n) => n,
                None => {
                    counted = read.count_new(now_ms)?.into_iter().collect();
                    &counted
                }
            };
            self.plans_from(library, now_ms, new, &tally.new_by_deck)
        };
        let (per_deck, overall) = self.limits_from(library, &plans);
        Ok((per_deck, overall, tally, plans))
    }

    /// Today's limits per deck and overall, exam paces included.
    fn limits_from(
        &self,
        library: &Library,
        plans: &[ExamPlan],
    ) -> (HashMap<String, DeckLimits>, DeckLimits) {
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
        for plan in plans {
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
        (per_deck, overall)
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
        Ok(self.overview(library, now)?.counts)
    }

    /// Due counts per deck, today's totals and exam plans at once, as the home screen shows
    /// them: each counting query made once (they scan every item).
    pub fn overview(&self, library: &Library, now: DateTime<Utc>) -> Result<Overview> {
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
        let (limits, overall, tally, plans) = self.limits_tally_plans(library, now, Some(&new))?;
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
        let today = super::attempts::totals_under(&out, overall, &tally);
        Ok(Overview {
            counts: out,
            today,
            plans,
        })
    }

    /// The next item to study in `scope`, or None when nothing is left today.
    ///
    /// For a deck, exam or domain (or everything) it reads the first few candidates of each
    /// kind and takes the counts from the in-memory queue (`queue.rs`), so its cost does not
    /// grow with the number of due items.
    pub fn next_item(
        &mut self,
        scope: &StudyScope,
        library: &Library,
        now: DateTime<Utc>,
    ) -> Result<Option<NextItem>> {
        let now_ms = now.timestamp_millis();
        let id = match scope {
            StudyScope::Items(keys) => self.next_of_items(keys, now_ms)?,
            other => self.next_in_scope(other, library, now_ms)?,
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

    /// Custom study of exactly these items: no daily limits.
    fn next_of_items(&self, keys: &[ItemKey], now_ms: i64) -> Result<Option<i64>> {
        let learn_until = now_ms + i64::from(self.settings.learn_ahead_mins) * MINUTE_MS;
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
        let unlimited = |_: &str| DeckLimits {
            new_per_day: u32::MAX,
            reviews_per_day: u32::MAX,
        };
        let lim = Limits {
            deck: &unlimited,
            overall: unlimited(""),
        };
        let picked = queue::pick(&l, &r, &n, &Tally::default(), &lim, now_ms);
        Ok(picked.map(|c| c.id))
    }

    /// A deck, exam, domain or everything, within today's limits.
    fn next_in_scope(
        &mut self,
        scope: &StudyScope,
        library: &Library,
        now_ms: i64,
    ) -> Result<Option<i64>> {
        let learn_until = now_ms + i64::from(self.settings.learn_ahead_mins) * MINUTE_MS;
        let filter = filter_of(scope);
        let (learning, top_ups) = {
            let read = self.store.read();
            // Only the first is chosen from (`queue::choose`); fetching more only costs.
            let learning = read.learning_due(&filter, learn_until, 1)?;
            let mut top_ups = Vec::new();
            let exams = self.final_days_exams(now_ms);
            if !exams.is_empty() {
                let fetch = self.settings.reviews_per_day.clamp(50, 2000);
                let factor =
                    schedule::stability_factor_for(self.settings.exam_target_recall, &self.params);
                for (exam, exam_start, final_start) in exams {
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
            }
            (learning, top_ups)
        };
        let picked = match learning.first().filter(|c| c.due_ms <= now_ms) {
            Some(c) => Some(c.clone()),
            None => self.pick_from_queue(scope, &filter, &learning, library, now_ms)?,
        };
        // Exam top-ups are not bound by the daily limits: they come once the day's due items
        // are done (before learning items that are not yet due).
        Ok(match picked {
            Some(c) if !(c.phase.is_learning() && c.due_ms > now_ms) => Some(c.id),
            other => top_ups.first().map(|c| c.id).or(other.map(|c| c.id)),
        })
    }

    /// A review or a new item (interleaved within today's limits), else the first learning
    /// item of the learn-ahead window.
    fn pick_from_queue(
        &mut self,
        scope: &StudyScope,
        filter: &ScopeFilter,
        learning: &[Candidate],
        library: &Library,
        now_ms: i64,
    ) -> Result<Option<Candidate>> {
        self.queue_for(scope, now_ms)?;
        // Out of `self` while in use: its heads and limits are filled in as needed.
        let Some(mut q) = self.queue.take() else {
            return Ok(None);
        };
        let picked = self.pick_with(&mut q, filter, learning, library, now_ms);
        self.queue = Some(q);
        picked
    }

    fn pick_with(
        &self,
        q: &mut super::queue::QueueCache,
        filter: &ScopeFilter,
        learning: &[Candidate],
        library: &Library,
        now_ms: i64,
    ) -> Result<Option<Candidate>> {
        let computed;
        let (limits, overall) = match (&q.new_all, &q.limits) {
            (None, Some(kept)) => kept,
            (None, None) => q.limits.insert(self.limits_from(library, &[])),
            (Some(all), _) => {
                let plans = self.plans_from(library, now_ms, all, &q.tally.new_by_deck);
                computed = self.limits_from(library, &plans);
                &computed
            }
        };
        let overall = *overall;
        let deck_limit = |d: &str| limits.get(d).copied().unwrap_or(overall);
        let read = self.store.read();
        let t = &q.tally;
        let review = first_within(
            &mut q.reviews_head,
            |n| Ok(read.reviews_due(filter, now_ms, n)?),
            &t.reviews_by_deck,
            t.reviews,
            |d| deck_limit(d).reviews_per_day,
            overall.reviews_per_day,
        )?;
        let new = first_within(
            &mut q.new_head,
            |n| Ok(read.new_items(filter, now_ms, n)?),
            &t.new_by_deck,
            t.new,
            |d| deck_limit(d).new_per_day,
            overall.new_per_day,
        )?;
        let reviews = count_within_limits(
            q.due_by_deck.iter().map(|(d, n)| (d.as_str(), *n)),
            &t.reviews_by_deck,
            t.reviews,
            |d| deck_limit(d).reviews_per_day,
            overall.reviews_per_day,
        );
        let news = count_within_limits(
            q.new_by_deck.iter().map(|(d, n)| (d.as_str(), *n)),
            &t.new_by_deck,
            t.new,
            |d| deck_limit(d).new_per_day,
            overall.new_per_day,
        );
        // A candidate counts at least itself (the counts and the list agree; this only keeps
        // the arithmetic of `choose` sound if they ever did not).
        let picked = queue::choose(
            learning,
            review.as_ref().map(|c| (c, reviews.max(1))),
            new.as_ref().map(|c| (c, news.max(1))),
            t,
        );
        Ok(picked.cloned())
    }
}
