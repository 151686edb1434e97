//! An exam blueprint file (`*.exam.yaml`).

use super::{DOMAIN_FIELDS, EXAM_FIELDS, check_version, parse_root};
use crate::deck::diagnostics::Diagnostic;
use crate::deck::fields::{Fields, Sink, as_f64, as_seq, as_u32};
use crate::deck::model::*;
use crate::deck::yaml::Loc;

/// The result of reading one exam blueprint file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadExam {
    /// The blueprint, unless it has errors.
    pub exam: Option<ExamBlueprint>,
    /// Location of the `id` value.
    pub id_loc: Loc,
    /// Everything found wrong.
    pub diags: Vec<Diagnostic>,
}

/// Reads an exam blueprint file (`*.exam.yaml`).
pub fn read_exam(path: &str, text: &str) -> ReadExam {
    let mut sink = Sink::new(path);
    let mut out = ReadExam {
        exam: None,
        id_loc: Loc::default(),
        diags: Vec::new(),
    };
    let Some(root) = parse_root(text, &mut sink) else {
        out.diags = sink.into_diags();
        return out;
    };
    let Some(mut f) = Fields::open(&root, "exam blueprint", &mut sink) else {
        out.diags = sink.into_diags();
        return out;
    };
    let version_ok = check_version(&mut f, &mut sink);
    let id = f.required_str("id", &mut sink);
    let title = f.required_str("title", &mut sink);
    let description = f.opt_str("description", &mut sink);
    let num = |f: &mut Fields, name: &str, sink: &mut Sink| match f.take(name) {
        Some(n) => as_u32(n, name, sink).map(|v| (v, n.loc)),
        None => {
            sink.error(
                f.loc,
                format!("exam blueprint is missing required field `{name}`"),
                format!("add `{name}: …`"),
            );
            None
        }
    };
    let questions = num(&mut f, "questions", &mut sink);
    let minutes = num(&mut f, "minutes", &mut sink);
    let passing = num(&mut f, "passing_score", &mut sink);
    let scale_min = num(&mut f, "scale_min", &mut sink);
    let scale_max = num(&mut f, "scale_max", &mut sink);
    let retired = f.opt_str("retired", &mut sink);
    let domains_node = f.take("domains");
    let items = f
        .take("items")
        .map(|n| crate::deck::items::read_items(n, &mut sink))
        .unwrap_or_default();
    let loc = f.loc;
    f.finish(EXAM_FIELDS, &mut sink);
    if let Some((id, l)) = &id {
        out.id_loc = *l;
        if !is_valid_card_id(id) {
            sink.error(
                *l,
                format!("exam id `{id}` has characters that are not allowed"),
                "use lowercase a-z, 0-9 and `-`",
            );
        }
    }
    if let Some(r) = &retired
        && chrono::NaiveDate::parse_from_str(r, "%Y-%m-%d").is_err()
    {
        sink.error(
            loc,
            format!("`retired: {r}` is not a date"),
            "write it as YYYY-MM-DD",
        );
    }
    if let (Some((lo, _)), Some((hi, hl)), Some((pass, pl))) = (scale_min, scale_max, passing) {
        if lo >= hi {
            sink.error(hl, "`scale_max` must be above `scale_min`", "");
        } else if pass < lo || pass > hi {
            sink.error(
                pl,
                format!("`passing_score: {pass}` is outside the scale {lo}–{hi}"),
                "",
            );
        }
    }
    let mut domains = Vec::new();
    match domains_node {
        None => sink.error(
            loc,
            "exam blueprint is missing required field `domains`",
            "list the exam's domains with id, title and weight",
        ),
        Some(node) => {
            if let Some(items) = as_seq(node, "domains", &mut sink) {
                for item in items {
                    let Some(mut df) = Fields::open(item, "domain", &mut sink) else {
                        continue;
                    };
                    let did = df.required_str("id", &mut sink);
                    let dtitle = df.required_str("title", &mut sink);
                    let weight = match df.take("weight") {
                        Some(n) => as_f64(n, "weight", &mut sink).map(|w| (w, n.loc)),
                        None => {
                            sink.error(
                                df.loc,
                                "domain is missing required field `weight`",
                                "add `weight:` in percent",
                            );
                            None
                        }
                    };
                    let covers = df.str_list("covers", &mut sink);
                    df.finish(DOMAIN_FIELDS, &mut sink);
                    if let Some((w, wl)) = weight
                        && !(w > 0.0 && w <= 100.0)
                    {
                        sink.error(
                            wl,
                            format!("weight {w} must be between 0 and 100 percent"),
                            "",
                        );
                    }
                    if let (Some((id, l)), Some((title, _)), Some((weight, _))) =
                        (did, dtitle, weight)
                    {
                        if !is_valid_card_id(&id) {
                            sink.error(
                                l,
                                format!("domain id `{id}` has characters that are not allowed"),
                                "use lowercase a-z, 0-9 and `-`",
                            );
                        }
                        if domains.iter().any(|d: &ExamDomain| d.id == id) {
                            sink.error(l, format!("domain id `{id}` is used twice"), "");
                        }
                        domains.push(ExamDomain {
                            id,
                            title,
                            weight,
                            covers,
                        });
                    }
                }
                let total: f64 = domains.iter().map(|d| d.weight).sum();
                if !domains.is_empty() && (total - 100.0).abs() > 0.5 {
                    sink.error(
                        node.loc,
                        format!("domain weights add up to {total}%, not 100%"),
                        "fix the weights",
                    );
                }
            }
        }
    }
    if version_ok
        && sink.error_count() == 0
        && let (Some((id, _)), Some((title, _)), Some(q), Some(m), Some(p), Some(lo), Some(hi)) =
            (id, title, questions, minutes, passing, scale_min, scale_max)
    {
        out.exam = Some(ExamBlueprint {
            id,
            title,
            description,
            questions: q.0,
            minutes: m.0,
            scale_min: lo.0,
            scale_max: hi.0,
            passing_score: p.0,
            retired,
            domains,
            items,
        });
    }
    out.diags = sink.into_diags();
    out
}
