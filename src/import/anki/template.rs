//! Anki card templates (`{{Field}}`, `{{#Field}}…{{/Field}}`, `{{^Field}}…{{/Field}}`,
//! filters such as `{{text:Field}}`, `{{type:Field}}`, `{{FrontSide}}`) rendered to the
//! HTML of one side. Only what decides a card's text is kept: type-in boxes and special
//! fields render empty, and the answer side leaves out the question it repeats.

use std::collections::HashMap;

/// Renders `template` with `fields` (name → HTML). `{{FrontSide}}` renders empty: our
/// answer is shown under the prompt already.
pub fn render(template: &str, fields: &HashMap<&str, &str>) -> String {
    render_side(template, fields, false)
}

/// Renders the answer side: `{{type:Field}}` shows the expected answer there.
pub fn render_answer(template: &str, fields: &HashMap<&str, &str>) -> String {
    render_side(template, fields, true)
}

fn render_side(template: &str, fields: &HashMap<&str, &str>, answer: bool) -> String {
    let tokens = tokenize(template);
    let mut out = String::new();
    let mut pos = 0;
    render_into(&tokens, &mut pos, fields, None, &mut out, 0, answer);
    // The separator Anki puts under the repeated question.
    for marker in ["<hr id=answer>", "<hr id=\"answer\">", "<hr id='answer'>"] {
        out = out.replace(marker, "");
    }
    out
}

enum Token<'a> {
    Text(&'a str),
    Open { name: &'a str, inverted: bool },
    Close(&'a str),
    Field(&'a str),
}

fn tokenize(t: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(i) = rest.find("{{") {
        if i > 0 {
            out.push(Token::Text(&rest[..i]));
        }
        let Some(j) = rest[i + 2..].find("}}") else {
            out.push(Token::Text(&rest[i..]));
            return out;
        };
        let inner = rest[i + 2..i + 2 + j].trim();
        rest = &rest[i + 4 + j..];
        out.push(if let Some(n) = inner.strip_prefix('#') {
            Token::Open {
                name: n.trim(),
                inverted: false,
            }
        } else if let Some(n) = inner.strip_prefix('^') {
            Token::Open {
                name: n.trim(),
                inverted: true,
            }
        } else if let Some(n) = inner.strip_prefix('/') {
            Token::Close(n.trim())
        } else {
            Token::Field(inner)
        });
    }
    if !rest.is_empty() {
        out.push(Token::Text(rest));
    }
    out
}

fn field_value<'a>(spec: &str, fields: &HashMap<&str, &'a str>, answer: bool) -> &'a str {
    let mut parts = spec.rsplit(':');
    let name = parts.next().unwrap_or("").trim();
    // Type-in boxes are shown by examdeck as a plain flashcard: the answer side says it.
    if spec.starts_with("type:") && !answer {
        return "";
    }
    fields.get(name).copied().unwrap_or("")
}

fn render_into(
    tokens: &[Token<'_>],
    pos: &mut usize,
    fields: &HashMap<&str, &str>,
    until: Option<&str>,
    out: &mut String,
    depth: usize,
    answer: bool,
) {
    while let Some(tok) = tokens.get(*pos) {
        *pos += 1;
        match tok {
            Token::Text(t) => out.push_str(t),
            Token::Field(spec) => out.push_str(field_value(spec, fields, answer)),
            Token::Close(name) => {
                if until == Some(*name) {
                    return;
                }
            }
            Token::Open { name, inverted } => {
                let filled = fields.get(name).is_some_and(|v| !v.trim().is_empty());
                let mut inner = String::new();
                // Deeply nested sections are not rendered further (a hostile template).
                if depth < 32 {
                    render_into(
                        tokens,
                        pos,
                        fields,
                        Some(name),
                        &mut inner,
                        depth + 1,
                        answer,
                    );
                }
                if filled != *inverted {
                    out.push_str(&inner);
                }
            }
        }
    }
}

/// The field a cloze template shows (`{{cloze:Text}}`), if any.
pub fn cloze_field(template: &str) -> Option<&str> {
    tokenize(template).into_iter().find_map(|t| match t {
        Token::Field(spec) if spec.starts_with("cloze:") => spec.rsplit(':').next(),
        _ => None,
    })
}

/// Names of the fields a template shows.
pub fn fields_used(template: &str) -> Vec<&str> {
    tokenize(template)
        .into_iter()
        .filter_map(|t| match t {
            Token::Field(spec) => spec.rsplit(':').next().map(str::trim),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f<'a>(pairs: &[(&'a str, &'a str)]) -> HashMap<&'a str, &'a str> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn fields_sections_and_front_side() {
        let fields = f(&[("Front", "Q"), ("Back", "A"), ("Extra", "")]);
        assert_eq!(render("{{Front}}", &fields), "Q");
        assert_eq!(
            render("{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}", &fields).trim(),
            "A"
        );
        assert_eq!(
            render(
                "{{#Extra}}x{{Extra}}{{/Extra}}{{^Extra}}none{{/Extra}}",
                &fields
            ),
            "none"
        );
        assert_eq!(render("{{#Back}}[{{text:Back}}]{{/Back}}", &fields), "[A]");
        assert_eq!(render("{{Front}}{{type:Back}}", &fields), "Q");
        assert_eq!(render("{{Missing}}{{Front", &fields), "{{Front");
    }

    #[test]
    fn finds_the_cloze_field() {
        assert_eq!(cloze_field("{{cloze:Text}}<br>{{Extra}}"), Some("Text"));
        assert_eq!(cloze_field("{{Front}}"), None);
        assert_eq!(fields_used("{{#A}}{{B}}{{/A}}{{hint:C}}"), vec!["B", "C"]);
    }
}
