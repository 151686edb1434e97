//! The reader's own checks.

use super::card::hash_content;
use crate::deck::model::CardBody;
use sha2::{Digest, Sha256};

/// The hash is stored with every learner's history: it must never change for the same card.
#[test]
fn content_hash_is_unchanged() {
    fn reference(prompt: &str, body: &CardBody, explanation: Option<&str>) -> String {
        let mut h = Sha256::new();
        h.update(prompt.as_bytes());
        h.update([0]);
        h.update(serde_json::to_vec(body).unwrap_or_default());
        h.update([0]);
        h.update(explanation.unwrap_or_default().as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
    let bodies = [
        CardBody::Basic {
            answer: "It records \"API\" activity — **who**, *when*.\n".into(),
        },
        CardBody::TrueFalse { answer: true },
        CardBody::Order {
            steps: vec!["a".into(), "é".into()],
        },
    ];
    for body in &bodies {
        for explanation in [None, Some("why ![x](y.png)")] {
            let got = hash_content("What?", body, explanation);
            assert_eq!(got, reference("What?", body, explanation));
            assert_eq!(got.len(), 64);
        }
    }
    assert_eq!(
        hash_content("", &CardBody::TrueFalse { answer: false }, None),
        reference("", &CardBody::TrueFalse { answer: false }, None)
    );
}
