//! A blueprint's `items:` mix: which question kinds a paper holds, and in what shares.
//!
//! Kept apart from `reader.rs` so the exam-fidelity rules (true/false is study-only) live in
//! one place.

use super::fields::{Sink, as_f64, closest};
use super::model::ItemShare;
use super::yaml::{Node, Value};

/// The kinds a blueprint's `items:` may name: the item types of the real exams.
pub const PAPER_KINDS: [&str; 4] = ["single", "multiple", "order", "match"];

/// Kinds that exist in decks but never on a paper.
const STUDY_ONLY: [&str; 3] = ["truefalse", "basic", "cloze"];

/// Reads `items: {single: 68, multiple: 20, …}`: percent shares adding up to 100.
///
/// Every problem is reported at its `file:line:column`; the kinds read without error are
/// returned in file order (the caller drops the blueprint if the sink gained an error).
pub fn read_items(node: &Node, sink: &mut Sink) -> Vec<ItemShare> {
    let Value::Map(entries) = &node.value else {
        sink.error(
            node.loc,
            format!(
                "`items` must be a mapping of kind to percent, found {}",
                node.value.type_name()
            ),
            "write e.g. `items: {single: 68, multiple: 20, order: 6, match: 6}`",
        );
        return Vec::new();
    };
    if entries.is_empty() {
        sink.error(
            node.loc,
            "`items` names no question kind",
            "list the kinds a paper holds with their percent, or remove `items`",
        );
        return Vec::new();
    }
    let mut out: Vec<ItemShare> = Vec::new();
    for (key, value) in entries {
        let Value::Str(kind) = &key.value else {
            sink.error(key.loc, "a key of `items` must be a kind name", "");
            continue;
        };
        if STUDY_ONLY.contains(&kind.as_str()) {
            sink.error(
                key.loc,
                format!("`{kind}` cannot be on a paper: it is study-only"),
                "real exams have no true/false items or flashcards; remove it from `items`",
            );
            continue;
        }
        if !PAPER_KINDS.contains(&kind.as_str()) {
            let hint = match closest(kind, &PAPER_KINDS) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("use one of {}", PAPER_KINDS.join(", ")),
            };
            sink.error(key.loc, format!("unknown item kind `{kind}`"), hint);
            continue;
        }
        let Some(share) = as_f64(value, kind, sink) else {
            continue;
        };
        if !(share > 0.0 && share <= 100.0) {
            sink.error(
                value.loc,
                format!("`{kind}: {share}` must be a percent above 0 and at most 100"),
                "remove a kind the exam does not use",
            );
            continue;
        }
        out.push(ItemShare {
            kind: kind.clone(),
            share,
        });
    }
    let total: f64 = out.iter().map(|i| i.share).sum();
    if out.len() == entries.len() && (total - 100.0).abs() > 0.5 {
        sink.error(
            node.loc,
            format!("item shares add up to {total}%, not 100%"),
            "give each kind its percent of a paper so that they add up to 100",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::deck::reader::read_exam;

    fn exam(items: &str) -> crate::deck::reader::ReadExam {
        let text = format!(
            "examdeck: 1\nid: x\ntitle: X\nquestions: 10\nminutes: 10\npassing_score: 700\n\
             scale_min: 100\nscale_max: 1000\ndomains:\n  - {{id: a, title: A, weight: 100}}\n{items}"
        );
        read_exam("x.exam.yaml", &text)
    }

    fn messages(r: &crate::deck::reader::ReadExam) -> Vec<String> {
        r.diags.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn shares_in_file_order() {
        let r = exam("items: {single: 70, multiple: 30}\n");
        assert!(r.diags.is_empty(), "{:?}", messages(&r));
        let items = r.exam.expect("valid").items;
        let got: Vec<(&str, f64)> = items.iter().map(|i| (i.kind.as_str(), i.share)).collect();
        assert_eq!(got, vec![("single", 70.0), ("multiple", 30.0)]);
        assert!(exam("").exam.expect("valid").items.is_empty());
    }

    #[test]
    fn study_only_unknown_and_bad_sums_are_errors_at_their_place() {
        let r = exam("items:\n  single: 80\n  truefalse: 20\n");
        assert!(r.exam.is_none());
        assert_eq!(
            messages(&r),
            vec![
                "x.exam.yaml:13:3: error: `truefalse` cannot be on a paper: it is study-only — \
                 real exams have no true/false items or flashcards; remove it from `items`"
            ]
        );
        let r = exam("items: {singel: 100}\n");
        assert!(messages(&r)[0].contains("unknown item kind `singel` — did you mean `single`?"));
        let r = exam("items: {single: 60, multiple: 30}\n");
        assert!(messages(&r)[0].contains("item shares add up to 90%, not 100%"));
        let r = exam("items: {single: 0, multiple: 100}\n");
        assert!(messages(&r)[0].contains("must be a percent above 0"));
        let r = exam("items: [single]\n");
        assert!(messages(&r)[0].contains("`items` must be a mapping"));
    }
}
