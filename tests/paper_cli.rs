//! `examdeck paper`: the printed paper is reproducible for a seed and decks.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exam-paper")
}

fn paper(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_examdeck"))
        .env_remove("EXAMDECK_DATA_DIR")
        .arg("--decks")
        .arg(fixture())
        .arg("paper")
        .args(args)
        .output()
        .expect("the examdeck binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = paper(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn same_seed_same_paper_text() {
    let a = paper(&["--exam", "paper-exam", "--seed", "7"]);
    let b = paper(&["--exam", "paper-exam", "--seed", "7"]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
    let c = paper(&["--exam", "paper-exam", "--seed", "8"]);
    assert_ne!(a.stdout, c.stdout);
    let text = String::from_utf8_lossy(&a.stdout);
    assert!(text.starts_with("paper "), "{text}");
    assert!(text.contains("per domain: alpha 6, beta 4"), "{text}");
}

#[test]
fn json_paper_follows_weights_without_repeats() {
    let v = json(&["--exam", "paper-exam", "--seed", "7"]);
    let qs = v["questions"].as_array().expect("questions");
    assert_eq!(qs.len(), 10);
    let alpha = qs.iter().filter(|q| q["domain"] == "alpha").count();
    assert_eq!(alpha, 6);
    let mut keys: Vec<String> = qs.iter().map(|q| q["key"]["card"].to_string()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 10);
    assert!(qs.iter().all(|q| q["kind"] != "basic"));
    // Pinned: this paper is what every study group with these decks gets for seed 7, on every
    // platform. Changing it changes everyone's paper: only do so deliberately.
    // Changed deliberately when true/false left papers (issue 13).
    assert_eq!(v["fingerprint"], "9c9838f13298");
    assert_eq!(v["seed"], 7);
}

#[test]
fn domain_and_length() {
    let out = paper(&[
        "--exam",
        "paper-exam",
        "--seed",
        "1",
        "--domain",
        "beta",
        "--questions",
        "20",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let qs = v["questions"].as_array().expect("questions");
    // 8 beta questions, 3 of them true/false, which papers never hold (issue 13).
    assert_eq!(qs.len(), 5, "beta has 5 exam-format questions");
    assert!(qs.iter().all(|q| q["domain"] == "beta"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only 5 of the 20"), "{err}");
    let v = json(&["--exam", "paper-exam", "--seed", "1", "--questions", "5"]);
    assert_eq!(v["questions"].as_array().map(Vec::len), Some(5));
}

#[test]
fn unknown_exam_or_domain_fails() {
    let out = paper(&["--exam", "nope", "--seed", "1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no exam blueprint `nope`"));
    let out = paper(&["--exam", "paper-exam", "--seed", "1", "--domain", "gamma"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no domain `gamma`"));
}
