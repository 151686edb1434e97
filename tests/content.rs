//! The bundled AWS Security Specialty content: it loads cleanly and has the promised shape.

use examdeck::deck::{CardBody, DeckSource, Library};
use std::collections::{BTreeMap, HashSet};

fn bundled() -> Library {
    Library::load(&[DeckSource::Bundled])
}

#[test]
fn bundled_content_has_no_errors_and_no_warnings() {
    let lib = bundled();
    let all: Vec<String> = lib.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        all.is_empty(),
        "bundled content diagnostics:\n{}",
        all.join("\n")
    );
}

#[test]
fn bundled_content_passes_the_content_linter() {
    let lib = bundled();
    let warnings: Vec<String> = examdeck::deck::lint::lint_library(&lib)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings.is_empty(),
        "content linter warnings on the bundled decks:\n{}",
        warnings.join("\n")
    );
}

#[test]
fn both_blueprints_are_bundled_with_the_official_shape() {
    let lib = bundled();
    let c03 = lib.exam("aws-scs-c03").expect("SCS-C03 blueprint");
    assert_eq!(
        (c03.questions, c03.minutes, c03.passing_score),
        (65, 170, 750)
    );
    assert_eq!((c03.scale_min, c03.scale_max), (100, 1000));
    let weights: Vec<(&str, f64)> = c03
        .domains
        .iter()
        .map(|d| (d.id.as_str(), d.weight))
        .collect();
    assert_eq!(
        weights,
        [
            ("detection", 16.0),
            ("incident-response", 14.0),
            ("infrastructure", 18.0),
            ("iam", 20.0),
            ("data-protection", 18.0),
            ("governance", 14.0)
        ]
    );
    let c02 = lib.exam("aws-scs-c02").expect("SCS-C02 blueprint");
    assert_eq!(c02.retired.as_deref(), Some("2025-12-01"));
    let c02w: Vec<f64> = c02.domains.iter().map(|d| d.weight).collect();
    assert_eq!(c02w, [14.0, 18.0, 20.0, 16.0, 18.0, 14.0]);
}

#[test]
fn enough_cards_per_deck_and_in_all() {
    let lib = bundled();
    let per_deck: BTreeMap<&str, usize> = lib
        .decks
        .iter()
        .map(|d| (d.deck.id.as_str(), d.deck.cards.len()))
        .collect();
    println!("cards per deck: {per_deck:#?}");
    assert!(lib.cards().count() >= 300, "{} cards", lib.cards().count());
    for deck in ["cloudtrail", "kms", "guardduty", "iam"] {
        let n = per_deck
            .get(format!("aws-security/{deck}").as_str())
            .copied()
            .unwrap_or(0);
        assert!(n >= 30, "aws-security/{deck} has {n} cards, needs 30");
    }
}

#[test]
fn kinds_mix_has_scenarios_ordering_and_matching() {
    let lib = bundled();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, c) in lib.cards() {
        *by_kind.entry(c.body.kind_name()).or_default() += 1;
    }
    println!("cards per kind: {by_kind:#?}");
    let total = lib.cards().count() as f64;
    let scenario = (by_kind.get("single").copied().unwrap_or(0)
        + by_kind.get("multiple").copied().unwrap_or(0)) as f64;
    assert!(
        scenario / total >= 0.40,
        "scenario questions are {:.0}%",
        100.0 * scenario / total
    );
    for kind in ["basic", "cloze", "truefalse", "order", "match", "multiple"] {
        assert!(
            by_kind.get(kind).copied().unwrap_or(0) >= 5,
            "too few `{kind}` cards"
        );
    }
}

#[test]
fn every_card_has_exam_domain_source_tags_and_every_option_a_why() {
    let lib = bundled();
    for (deck, card) in lib.cards() {
        let id = format!("{}#{}", deck.id, card.id);
        assert_eq!(deck.exam.as_deref(), Some("aws-scs-c03"), "{id}");
        assert!(card.domain.is_some(), "{id} has no domain");
        assert!(
            card.source.as_deref().is_some_and(|s| !s.trim().is_empty()),
            "{id} has no source"
        );
        assert!(!card.tags.is_empty(), "{id} has no tags");
        if let CardBody::Single { choices } | CardBody::Multiple { choices, .. } = &card.body {
            for ch in choices {
                assert!(
                    ch.why.as_deref().is_some_and(|w| !w.trim().is_empty()),
                    "{id}: option without why"
                );
            }
            assert!(choices.len() >= 3, "{id}: too few options");
            assert!(
                card.explanation.is_some(),
                "{id}: question without explanation"
            );
        }
    }
}

#[test]
fn domain_mix_follows_the_blueprint_weights() {
    let lib = bundled();
    let exam = lib.exam("aws-scs-c03").expect("blueprint");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, c) in lib.cards() {
        *counts
            .entry(c.domain.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let total = lib.cards().count() as f64;
    println!("cards per domain: {counts:#?}");
    for d in &exam.domains {
        let share = 100.0 * counts.get(&d.id).copied().unwrap_or(0) as f64 / total;
        assert!(
            (share - d.weight).abs() <= 2.5,
            "domain {} has {share:.1}% of cards, blueprint weight {}%",
            d.id,
            d.weight
        );
    }
}

#[test]
fn no_two_cards_share_a_prompt() {
    let lib = bundled();
    let mut seen = HashSet::new();
    for (deck, card) in lib.cards() {
        let key = card
            .prompt
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        assert!(
            seen.insert(key),
            "duplicate prompt in {}#{}",
            deck.id,
            card.id
        );
    }
}

#[test]
fn diagrams_exist_and_are_used() {
    let lib = bundled();
    let mut used = HashSet::new();
    for loaded in &lib.decks {
        for card in &loaded.deck.cards {
            let texts = [Some(card.prompt.as_str()), card.explanation.as_deref()];
            for url in texts
                .into_iter()
                .flatten()
                .flat_map(examdeck::deck::markdown::image_urls)
            {
                let bytes = lib.read_asset(&loaded.deck.id, &url).expect("image loads");
                assert!(
                    bytes.starts_with(b"<svg") || bytes.starts_with(b"<?xml"),
                    "{url} is not SVG"
                );
                used.insert(url);
            }
        }
    }
    assert!(
        used.len() >= 6,
        "only {} diagrams used: {used:?}",
        used.len()
    );
}

/// The SCS-C03 exam-format pool (single, multiple, order, match): what mock papers draw from.
fn scs_c03_pool(lib: &Library) -> Vec<examdeck::exam::PoolItem> {
    let mut pool = examdeck::exam::exam_pool(lib, "aws-scs-c03").expect("SCS-C03 pool");
    pool.retain(|p| p.kind != examdeck::exam::QuestionKind::TrueFalse);
    pool
}

#[test]
fn enough_exam_format_questions_and_choose_n() {
    let lib = bundled();
    let pool = scs_c03_pool(&lib);
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_domain: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &pool {
        *by_kind.entry(p.kind.as_str()).or_default() += 1;
        *by_domain.entry(p.domain.as_str()).or_default() += 1;
    }
    println!("SCS-C03 exam-format questions by kind: {by_kind:?}, by domain: {by_domain:?}");
    assert!(pool.len() >= 450, "{} exam-format questions", pool.len());
    let multiple = by_kind.get("multiple").copied().unwrap_or(0);
    assert!(multiple >= 90, "{multiple} multiple-response questions");
    let exam = lib.exam("aws-scs-c03").expect("blueprint");
    for d in &exam.domains {
        let share =
            100.0 * by_domain.get(d.id.as_str()).copied().unwrap_or(0) as f64 / pool.len() as f64;
        assert!(
            (share - d.weight).abs() <= 3.0,
            "domain {} has {share:.1}% of the exam-format questions, weight {}%",
            d.id,
            d.weight
        );
    }
}

#[test]
fn seven_full_papers_without_a_repeated_question() {
    let lib = bundled();
    let exam = lib.exam("aws-scs-c03").expect("blueprint");
    let mut pool = scs_c03_pool(&lib);
    for n in 0..7u64 {
        let spec = examdeck::exam::PaperSpec {
            questions: exam.questions as usize,
            domain: None,
            seed: n,
        };
        let paper = examdeck::exam::draw_paper(&pool, exam, &spec, &|_| 1.0).expect("paper");
        assert_eq!(paper.questions.len(), 65, "paper {n}");
        assert!(
            paper.shortfalls.is_empty(),
            "paper {n}: {:?}",
            paper.shortfalls
        );
        assert!(
            paper.kind_shortfalls.is_empty(),
            "paper {n}: {:?}",
            paper.kind_shortfalls
        );
        let used: HashSet<_> = paper.questions.iter().map(|q| q.key.clone()).collect();
        pool.retain(|p| !used.contains(&p.key));
    }
}
