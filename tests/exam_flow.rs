//! A whole mock exam through the public API: library → pool → paper → attempt → report, and
//! the forecast for a learner who has studied nothing.

use chrono::{DateTime, TimeZone, Utc};
use examdeck::deck::{DeckSource, Library};
use examdeck::exam::{
    Attempt, ForecastItem, Mode, PaperSpec, Response, draw_paper, exam_pool, exam_time_limit,
    forecast, paper_cards, weakest_domains,
};
use std::path::PathBuf;

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_900_000_000 + secs, 0)
        .single()
        .unwrap_or_default()
}

fn library() -> Library {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exam-paper");
    Library::load(&[DeckSource::Path(dir)])
}

#[test]
fn sit_a_timed_mock_exam() {
    let lib = library();
    assert_eq!(lib.error_count(), 0, "{:?}", lib.diagnostics);
    let bp = lib.exam("paper-exam").expect("fixture blueprint");
    let pool = exam_pool(&lib, &bp.id).expect("pool");
    assert_eq!(
        pool.len(),
        20,
        "12 alpha + 8 beta questions, the flashcard left out"
    );
    let spec = PaperSpec {
        questions: bp.questions as usize,
        domain: None,
        seed: 99,
    };
    let paper = draw_paper(&pool, bp, &spec, &|_| 1.0).expect("paper");
    let cards = paper_cards(&lib, &paper).expect("cards");
    let limit = exam_time_limit(bp, paper.questions.len());
    let mut attempt = Attempt::new(paper, Mode::Exam, Some(limit), at(0));

    // Answer every question right except the last, a minute each, flag the second.
    for (i, card) in cards.iter().enumerate() {
        attempt.goto(i, at(60 * i as i64)).expect("goto");
        if i + 1 < cards.len() {
            let right = Response::correct_for(card).expect("a question");
            attempt
                .answer(right, at(60 * i as i64 + 30))
                .expect("answer");
        }
        if i == 1 {
            attempt.flag(true, at(60 * i as i64 + 40)).expect("flag");
        }
    }
    assert_eq!(attempt.unanswered(), vec![cards.len() - 1]);
    assert_eq!(attempt.flagged(), vec![1]);
    attempt.submit(at(600)).expect("submit");
    let report = attempt.report(bp, &cards).expect("report");
    assert_eq!((report.raw_correct, report.total), (9, 10));
    assert!((report.percent - 90.0).abs() < 1e-9);
    // 90 % ≥ 72 %: 700 + 300 · 0.18 / 0.28 = 892.86 → 893.
    assert_eq!(report.scaled, 893);
    assert!(report.passed);
    assert_eq!(report.time_ms, Some(600_000));
    assert_eq!(report.missed().len(), 1);
    let domain_totals: Vec<usize> = report.per_domain.iter().map(|d| d.total).collect();
    assert_eq!(domain_totals, vec![6, 4]);
}

#[test]
fn forecast_for_a_learner_who_studied_nothing() {
    let lib = library();
    let bp = lib.exam("paper-exam").expect("fixture blueprint");
    let pool = exam_pool(&lib, &bp.id).expect("pool");
    let items: Vec<ForecastItem> = pool
        .iter()
        .filter_map(|p| {
            let deck = lib.deck(&p.key.deck)?;
            let card = deck.deck.cards.iter().find(|c| c.id == p.key.card)?;
            ForecastItem::new(&p.domain, card, None)
        })
        .collect();
    assert_eq!(items.len(), 20);
    let f = forecast(bp, &items);
    // alpha: single of 3 → 1/3. beta: order of 3 (b0, b3, b6) → 1/6, true/false (b1, b4, b7)
    // → 1/2, multiple 2 of 4 (b2, b5) → 1/6: mean (3/6 + 3/2 + 2/6) / 8 = 7/24.
    // Paper: 6 alpha, 4 beta → (6/3 + 4 · 7/24) / 10 = 0.31667.
    assert!((f.expected_percent - 100.0 * (2.0 + 28.0 / 24.0) / 10.0).abs() < 1e-9);
    assert!(f.pass_probability < 0.01);
    assert_eq!(weakest_domains(&f, 1)[0].domain, "beta");
    assert!(f.per_domain.iter().all(|d| d.studied == 0));
}

#[test]
fn retired_exam_is_served_through_covers() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exam-covers");
    let lib = Library::load(&[DeckSource::Bundled, DeckSource::Path(dir)]);
    let mine = |exam: &str| -> Vec<(String, String)> {
        exam_pool(&lib, exam)
            .expect("bundled blueprint")
            .into_iter()
            .filter(|p| p.key.deck == "fixture/covers")
            .map(|p| (p.key.card, p.domain))
            .collect()
    };
    assert_eq!(
        mine("aws-scs-c03"),
        vec![
            ("policy".to_string(), "iam".to_string()),
            ("trail".to_string(), "detection".to_string())
        ]
    );
    assert_eq!(
        mine("aws-scs-c02"),
        vec![
            ("policy".to_string(), "iam".to_string()),
            ("trail".to_string(), "logging-monitoring".to_string())
        ]
    );
}
