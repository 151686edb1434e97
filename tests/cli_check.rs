//! `examdeck check` as a study group's CI would run it: exit codes, text and JSON output.

use std::path::Path;
use std::process::Command;

fn fixtures(case: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/decks")
        .join(case)
        .display()
        .to_string()
}

fn examdeck(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_examdeck"))
        .args(args)
        .env(
            "EXAMDECK_DATA_DIR",
            std::env::temp_dir().join("examdeck-cli-check-test"),
        )
        .output()
        .expect("run examdeck");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn errors_fail_and_are_printed_with_file_line_column() {
    let (code, out) = examdeck(&["check", &fixtures("exam"), &fixtures("single-two-correct")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("single-two-correct/deck.yaml:12:7: error: a `single` question needs exactly one correct choice, found 2"), "{out}");
    assert!(out.contains("1 error, 0 warnings"), "{out}");
}

#[test]
fn a_valid_folder_passes_with_a_summary() {
    let (code, out) = examdeck(&["check", &fixtures("exam"), &fixtures("good")]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("checked 2 files: 1 decks, 6 cards (7 review items), 1 exam blueprints"),
        "{out}"
    );
    assert!(
        out.contains("by kind:   basic 1, cloze 1, match 1, multiple 1, order 1, truefalse 1"),
        "{out}"
    );
    assert!(
        out.contains("by domain: test-exam/alpha 5, test-exam/beta 1"),
        "{out}"
    );
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let args = ["check", &fixtures("exam"), &fixtures("warnings")];
    let (code, _) = examdeck(&args);
    assert_eq!(code, 0);
    let mut strict = args.to_vec();
    strict.push("--deny-warnings");
    let (code, out) = examdeck(&strict);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn json_output_is_machine_readable() {
    let (code, out) = examdeck(&[
        "check",
        "--format",
        "json",
        &fixtures("exam"),
        &fixtures("unknown-field"),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 9);
    assert_eq!(d["column"], 5);
    assert_eq!(d["message"], "unknown field `promt` in card");
    assert_eq!(d["hint"], "did you mean `prompt`?");
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn help_documents_the_commands() {
    let (code, out) = examdeck(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("check"), "{out}");
}

#[test]
fn a_bare_file_name_resolves_images_next_to_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decks/images-ok");
    let out = Command::new(env!("CARGO_BIN_EXE_examdeck"))
        .args(["check", "deck.yaml"])
        .current_dir(&dir)
        .output()
        .expect("run examdeck");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
}
