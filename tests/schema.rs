//! The JSON Schemas of deck format v1 accept every bundled deck and blueprint and refuse
//! broken files, checked with a maintained JSON-Schema validator.

use examdeck::deck::schema::{DECK_SCHEMA, EXAM_SCHEMA};
use examdeck::deck::yaml::{self, Node, Value};
use serde_json::{Map, Value as Json};
use std::path::{Path, PathBuf};

/// Our own YAML reader's tree as JSON (the YAML an editor's language server sees).
fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                let key = match to_json(k) {
                    Json::String(s) => s,
                    other => other.to_string(),
                };
                m.insert(key, to_json(v));
            }
            Json::Object(m)
        }
    }
}

fn yaml_file(path: &Path) -> Json {
    let text = std::fs::read_to_string(path).expect("read fixture");
    to_json(&yaml::parse(&text).expect("fixture is YAML"))
}

fn validator(schema: &str) -> jsonschema::Validator {
    let schema: Json = serde_json::from_str(schema).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn errors(v: &jsonschema::Validator, doc: &Json) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn every_bundled_deck_and_blueprint_is_valid() {
    let decks = validator(DECK_SCHEMA);
    let exams = validator(EXAM_SCHEMA);
    let mut checked = (0, 0);
    for entry in std::fs::read_dir(manifest("content/aws-security")).expect("content") {
        let path = entry.expect("entry").path();
        let name = path.to_string_lossy().to_string();
        if !name.ends_with(".yaml") {
            continue;
        }
        let doc = yaml_file(&path);
        if name.ends_with(".exam.yaml") {
            assert_eq!(errors(&exams, &doc), Vec::<String>::new(), "{name}");
            checked.1 += 1;
        } else {
            assert_eq!(errors(&decks, &doc), Vec::<String>::new(), "{name}");
            checked.0 += 1;
        }
    }
    assert!(checked.0 >= 10 && checked.1 == 2, "{checked:?}");
}

#[test]
fn the_good_fixtures_are_valid() {
    let decks = validator(DECK_SCHEMA);
    for f in [
        "tests/fixtures/decks/good/deck.yaml",
        "tests/fixtures/schema/lint-allow.yaml",
    ] {
        assert_eq!(
            errors(&decks, &yaml_file(&manifest(f))),
            Vec::<String>::new(),
            "{f}"
        );
    }
}

#[test]
fn broken_decks_fail_the_schema() {
    let decks = validator(DECK_SCHEMA);
    // (fixture, a part of the JSON pointer the error must name)
    let cases = [
        ("tests/fixtures/decks/unknown-field/deck.yaml", ""),
        ("tests/fixtures/decks/unknown-kind/deck.yaml", "/kind"),
        ("tests/fixtures/decks/bad-id/deck.yaml", "/id"),
        (
            "tests/fixtures/decks/single-two-correct/deck.yaml",
            "/choices",
        ),
        ("tests/fixtures/decks/missing-field/deck.yaml", ""),
        ("tests/fixtures/schema/wrong-kind-field.yaml", "/cards/0"),
        ("tests/fixtures/schema/bad-lint-rule.yaml", "/lint/allow/0"),
    ];
    for (f, pointer) in cases {
        let found = errors(&decks, &yaml_file(&manifest(f)));
        assert!(!found.is_empty(), "{f} passed the schema");
        assert!(
            found.iter().any(|e| e.contains(pointer)),
            "{f}: no error at {pointer}: {found:?}"
        );
    }
}

#[test]
fn broken_blueprints_fail_the_schema() {
    let exams = validator(EXAM_SCHEMA);
    let good = yaml_file(&manifest("content/aws-security/scs-c03.exam.yaml"));
    let mut truefalse = good.clone();
    truefalse["items"]["truefalse"] = Json::from(10);
    let mut no_domains = good.clone();
    no_domains.as_object_mut().expect("map").remove("domains");
    let mut bad_share = good.clone();
    bad_share["items"]["single"] = Json::from(0);
    for (what, doc) in [
        ("truefalse item", truefalse),
        ("no domains", no_domains),
        ("zero share", bad_share),
    ] {
        assert!(!exams.is_valid(&doc), "{what} passed the schema");
    }
}
