//! Papers follow the blueprint's kind mix and domain weights (each within ±1), never hold
//! true/false, and say what is missing when the pool is too small for the mix.

use examdeck::deck::{DeckSource, ExamBlueprint, ExamDomain, ItemKey, ItemShare, Library};
use examdeck::exam::{PaperSpec, PoolItem, QuestionKind, draw_paper, exam_pool};
use std::collections::BTreeMap;
use std::path::PathBuf;

const KINDS: [QuestionKind; 5] = [
    QuestionKind::Single,
    QuestionKind::Multiple,
    QuestionKind::TrueFalse,
    QuestionKind::Order,
    QuestionKind::Match,
];

fn scs_c03(items: &[(&str, f64)]) -> ExamBlueprint {
    let domains = [
        ("detection", 16.0),
        ("incident-response", 14.0),
        ("infrastructure", 18.0),
        ("iam", 20.0),
        ("data-protection", 18.0),
        ("governance", 14.0),
    ];
    ExamBlueprint {
        id: "aws-scs-c03".into(),
        title: "SCS-C03".into(),
        description: None,
        questions: 65,
        minutes: 170,
        scale_min: 100,
        scale_max: 1000,
        passing_score: 750,
        retired: None,
        domains: domains
            .iter()
            .map(|(id, w)| ExamDomain {
                id: (*id).into(),
                title: id.to_uppercase(),
                weight: *w,
                covers: Vec::new(),
            })
            .collect(),
        items: items
            .iter()
            .map(|(k, s)| ItemShare {
                kind: (*k).into(),
                share: *s,
            })
            .collect(),
    }
}

/// `per_kind[k]` questions of each kind (in [`KINDS`] order) in every domain.
fn pool(bp: &ExamBlueprint, per_kind: [usize; 5]) -> Vec<PoolItem> {
    let mut v = Vec::new();
    for d in &bp.domains {
        for (kind, &n) in KINDS.iter().zip(&per_kind) {
            for i in 0..n {
                v.push(PoolItem {
                    key: ItemKey {
                        deck: format!("deck/{}", d.id),
                        card: format!("{kind}-{i}"),
                        ord: 0,
                    },
                    domain: d.id.clone(),
                    kind: *kind,
                    options: if *kind == QuestionKind::TrueFalse {
                        0
                    } else {
                        4
                    },
                });
            }
        }
    }
    v
}

fn spec(questions: usize, domain: Option<&str>, seed: u64) -> PaperSpec {
    PaperSpec {
        questions,
        domain: domain.map(String::from),
        seed,
    }
}

const MIX: [(&str, f64); 4] = [
    ("single", 68.0),
    ("multiple", 20.0),
    ("order", 6.0),
    ("match", 6.0),
];

#[test]
fn kind_mix_and_domain_weights_hold_for_300_seeds() {
    let bp = scs_c03(&MIX);
    let pool = pool(&bp, [40, 15, 10, 6, 6]);
    for seed in 0..300u64 {
        for n in [65usize, 30] {
            let p = draw_paper(&pool, &bp, &spec(n, None, seed), &|_| 1.0).expect("pool is big");
            assert_eq!(p.questions.len(), n);
            assert!(p.kind_shortfalls.is_empty() && p.shortfalls.is_empty());
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            let mut domains: BTreeMap<&str, usize> = BTreeMap::new();
            for q in &p.questions {
                *kinds.entry(q.kind.as_str()).or_default() += 1;
                *domains.entry(q.domain.as_str()).or_default() += 1;
            }
            assert_eq!(kinds.get("truefalse"), None, "seed {seed}");
            for (kind, share) in MIX {
                let got = kinds.get(kind).copied().unwrap_or(0) as f64;
                let want = n as f64 * share / 100.0;
                assert!(
                    (got - want).abs() <= 1.0,
                    "seed {seed} n {n} {kind}: {got} vs {want}"
                );
            }
            for d in &bp.domains {
                let got = domains.get(d.id.as_str()).copied().unwrap_or(0) as f64;
                let want = n as f64 * d.weight / 100.0;
                assert!(
                    (got - want).abs() <= 1.0,
                    "seed {seed} n {n} {}: {got} vs {want}",
                    d.id
                );
            }
        }
    }
}

#[test]
fn a_full_scs_c03_paper_has_44_13_4_4() {
    let bp = scs_c03(&MIX);
    let p = draw_paper(
        &pool(&bp, [40, 15, 10, 6, 6]),
        &bp,
        &spec(65, None, 7),
        &|_| 1.0,
    )
    .expect("draw");
    let count = |k: QuestionKind| p.questions.iter().filter(|q| q.kind == k).count();
    assert_eq!(
        [
            QuestionKind::Single,
            QuestionKind::Multiple,
            QuestionKind::Order,
            QuestionKind::Match
        ]
        .map(count),
        [44, 13, 4, 4]
    );
}

#[test]
fn practice_papers_for_one_domain_follow_the_kinds() {
    let bp = scs_c03(&[("single", 75.0), ("multiple", 25.0)]);
    let pool = pool(&bp, [20, 10, 10, 10, 10]);
    for seed in 0..300u64 {
        let p = draw_paper(&pool, &bp, &spec(12, Some("iam"), seed), &|_| 1.0).expect("draw");
        assert_eq!(p.questions.len(), 12);
        assert!(p.questions.iter().all(|q| q.domain == "iam"));
        let singles = p
            .questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Single)
            .count();
        let multiples = p
            .questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Multiple)
            .count();
        assert_eq!((singles, multiples), (9, 3), "seed {seed}");
    }
}

#[test]
fn no_true_false_without_a_declared_mix_either() {
    let bp = scs_c03(&[]);
    let pool = pool(&bp, [5, 3, 30, 2, 2]);
    for seed in 0..300u64 {
        let p = draw_paper(&pool, &bp, &spec(65, None, seed), &|_| 1.0).expect("draw");
        assert!(
            p.questions
                .iter()
                .all(|q| q.kind != QuestionKind::TrueFalse)
        );
        // 12 non-true/false questions per domain: all 72 could serve, 65 are drawn.
        assert_eq!(p.questions.len(), 65);
    }
}

#[test]
fn a_pool_too_small_for_the_mix_says_which_kind_is_missing() {
    let bp = scs_c03(&MIX);
    // One multiple-response question per domain: 6 where the mix wants 13.
    let pool = pool(&bp, [40, 1, 0, 6, 6]);
    let p = draw_paper(&pool, &bp, &spec(65, None, 3), &|_| 1.0).expect("draw");
    assert_eq!(p.questions.len(), 65);
    assert_eq!(p.kind_shortfalls.len(), 1);
    let s = &p.kind_shortfalls[0];
    assert_eq!(
        (s.kind, s.wanted, s.available),
        (QuestionKind::Multiple, 13, 6)
    );
    let multiples = p
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Multiple)
        .count();
    assert_eq!(multiples, 6);
}

#[test]
fn the_fixture_exam_never_puts_its_true_false_card_on_a_paper() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks");
    let lib = Library::load(&[
        DeckSource::Path(root.join("exam")),
        DeckSource::Path(root.join("good")),
    ]);
    let bp = lib.exam("test-exam").expect("fixture exam");
    let pool = exam_pool(&lib, "test-exam").expect("pool");
    assert!(pool.iter().any(|p| p.kind == QuestionKind::TrueFalse));
    for seed in 0..300u64 {
        let p = draw_paper(&pool, bp, &spec(10, None, seed), &|_| 1.0).expect("draw");
        assert!(
            p.questions
                .iter()
                .all(|q| q.kind != QuestionKind::TrueFalse)
        );
    }
}

#[test]
fn bundled_blueprints_declare_exam_item_types_only() {
    let lib = Library::load(&[DeckSource::Bundled]);
    let mix = |id: &str| -> Vec<(String, f64)> {
        lib.exam(id)
            .expect("bundled blueprint")
            .items
            .iter()
            .map(|i| (i.kind.clone(), i.share))
            .collect()
    };
    assert_eq!(
        mix("aws-scs-c03"),
        MIX.map(|(k, s)| (k.to_string(), s)).to_vec()
    );
    assert_eq!(
        mix("aws-scs-c02"),
        vec![("single".to_string(), 78.0), ("multiple".to_string(), 22.0)]
    );
}
