//! The sync folder is a git repository: two clones push and pull through a bare repository.
//! Each device only adds files in its own folder, so pulls never conflict.

mod sync_support;

use chrono::Duration;
use rand::{SeedableRng, rngs::StdRng};
use std::path::Path;
use std::process::Command;
use sync_support::*;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(["-c", "init.defaultBranch=main", "-c", "pull.rebase=true"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn share(d: &mut Device) {
    let r = d.replica.path();
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "--allow-empty", "-m", "progress"]);
    git(r, &["pull", "-q", "--no-edit", "origin", "main"]);
    git(r, &["push", "-q", "origin", "HEAD:main"]);
}

#[test]
fn two_clones_through_a_bare_repository_never_conflict() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed; skipped");
        return;
    }
    let lib = library();
    let mut rng = StdRng::seed_from_u64(1);
    let bare = tempfile::tempdir().expect("tempdir");
    git(bare.path(), &["init", "-q", "--bare", "-b", "main"]);
    let mut devs = vec![Device::new(&lib), Device::new(&lib)];
    for (i, d) in devs.iter_mut().enumerate() {
        let r = d.replica.path();
        git(r, &["init", "-q", "-b", "main"]);
        git(
            r,
            &["remote", "add", "origin", &bare.path().to_string_lossy()],
        );
        if i == 0 {
            git(r, &["commit", "-q", "--allow-empty", "-m", "start"]);
            git(r, &["push", "-q", "origin", "main"]);
        } else {
            git(r, &["pull", "-q", "origin", "main"]);
        }
    }
    for step in 0..4 {
        let at = t0() + Duration::hours(step * 3);
        for d in devs.iter_mut() {
            d.study(&lib, at, 4, &mut rng);
            d.sync(at);
            share(d);
        }
    }
    for round in 0..2 {
        for d in devs.iter_mut() {
            git(d.replica.path(), &["pull", "-q", "origin", "main"]);
            d.sync(t0() + Duration::days(1) + Duration::minutes(round));
            share(d);
        }
    }
    assert!(!devs[0].snapshot(&lib).reviews.is_empty());
    assert_converged(&mut devs, &lib);
}
