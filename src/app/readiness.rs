//! The readiness forecast for an exam: each card's FSRS-predicted recall on exam day, weighted
//! by the blueprint's domains (see [`crate::exam::forecast`]).

use super::core::AppCore;
use crate::exam::{self, Forecast, ForecastItem};
use chrono::{DateTime, NaiveTime, Utc};

/// The moment recall is predicted for: 09:00 UTC on the exam date if one is set, else now.
pub fn exam_moment(core: &AppCore, exam_id: &str) -> DateTime<Utc> {
    core.learner
        .settings()
        .exam_dates
        .get(exam_id)
        .map(|d| {
            d.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
                .and_utc()
        })
        .filter(|t| *t > core.now())
        .unwrap_or_else(|| core.now())
}

/// Forecasts the score of `exam_id` at `at`.
pub fn readiness(core: &AppCore, exam_id: &str, at: DateTime<Utc>) -> anyhow::Result<Forecast> {
    let blueprint = core
        .library
        .exam(exam_id)
        .ok_or_else(|| exam::ExamError::UnknownExam(exam_id.to_string()))?;
    let pool = exam::exam_pool(&core.library, exam_id)?;
    let mut items = Vec::with_capacity(pool.len());
    for p in &pool {
        let Some(card) = super::session::card_of(core, &p.key) else {
            continue;
        };
        let recall = core.learner.recall_at(&p.key, at)?;
        if let Some(item) = ForecastItem::new(&p.domain, card, recall) {
            items.push(item);
        }
    }
    Ok(exam::forecast(blueprint, &items))
}
