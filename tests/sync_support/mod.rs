//! Simulated devices for the sync tests: each has its own data folder and its own replica of
//! the sync folder; files travel between replicas only when a test delivers them (whole,
//! half-written, or as a conflicted copy), as Syncthing or Dropbox would.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use examdeck::deck::{ItemKey, Library};
use examdeck::learner::{Answer, ItemState, Learner, StudyScope};
use examdeck::schedule::{Rating, Settings};
use rand::{Rng, rngs::StdRng};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// One simulated computer.
pub struct Device {
    pub data: TempDir,
    pub replica: TempDir,
    pub learner: Learner,
    /// Clock offset of this computer (skew), ms.
    pub skew_ms: i64,
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0)
        .single()
        .expect("time")
}

pub fn library() -> Library {
    examdeck::learner::synthetic::library(3, 6, 3)
}

impl Device {
    pub fn new(lib: &Library) -> Device {
        let data = tempfile::tempdir().expect("tempdir");
        let replica = tempfile::tempdir().expect("tempdir");
        let mut learner = Learner::open(data.path(), t0()).expect("open");
        learner.wait_for_backup().expect("backup");
        learner.set_time_zone(Utc);
        learner.sync_library(lib, t0()).expect("library");
        Device {
            data,
            replica,
            learner,
            skew_ms: 0,
        }
    }

    pub fn now(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        at + Duration::milliseconds(self.skew_ms)
    }

    /// Answers up to `n` items with random ratings.
    pub fn study(&mut self, lib: &Library, at: DateTime<Utc>, n: usize, rng: &mut StdRng) {
        let now = self.now(at);
        for i in 0..n {
            let now = now + Duration::seconds(i as i64 * 7);
            let Some(next) = self
                .learner
                .next_item(&StudyScope::All, lib, now)
                .expect("next")
            else {
                return;
            };
            let rating =
                [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy][rng.random_range(0..4)];
            self.learner
                .answer(&next.key, &Answer::new(rating), now)
                .expect("answer");
        }
    }

    pub fn undo(&mut self) {
        self.learner.undo().expect("undo");
    }

    pub fn suspend(&mut self, key: &ItemKey, at: DateTime<Utc>) {
        let now = self.now(at);
        self.learner.suspend(key, now).expect("suspend");
    }

    pub fn change_settings(&mut self, new_per_day: u32, retention: f32) {
        let s = Settings {
            new_per_day,
            desired_retention: retention,
            ..self.learner.settings().clone()
        };
        self.learner.set_settings(s).expect("settings");
    }

    pub fn sync(&mut self, at: DateTime<Utc>) -> examdeck::sync::SyncOutcome {
        let now = self.now(at);
        examdeck::sync::sync(&mut self.learner, self.replica.path(), now).expect("sync")
    }

    pub fn id(&mut self) -> String {
        self.learner.device().expect("device").id
    }

    /// Everything that must be identical on every device after a full exchange.
    pub fn snapshot(&self, lib: &Library) -> Snapshot {
        let read = self.learner.store().read();
        let items: BTreeMap<i64, ItemKey> = read
            .all_items()
            .expect("items")
            .into_iter()
            .map(|r| (r.id, r.key))
            .collect();
        let mut reviews: Vec<String> = read
            .all_reviews()
            .expect("reviews")
            .into_iter()
            .map(|r| {
                let k = &items[&r.item_id];
                format!(
                    "{} {}/{}/{} {} {:?} {:?}",
                    r.uid, k.deck, k.card, k.ord, r.at_ms, r.rating, r.kind
                )
            })
            .collect();
        reviews.sort();
        let mut events: Vec<String> = read
            .all_events()
            .expect("events")
            .into_iter()
            .map(|e| {
                let k = &items[&e.item_id];
                format!(
                    "{:?} {}/{}/{} {} {:?}",
                    e.uid, k.deck, k.card, k.ord, e.at_ms, e.kind
                )
            })
            .collect();
        events.sort();
        let states = lib
            .items()
            .map(|(k, _, _)| self.learner.item_state(&k).expect("state").expect("known"))
            .collect();
        Snapshot {
            reviews,
            events,
            states,
            settings: self.learner.settings().clone(),
        }
    }
}

/// A device's merged log and states.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub reviews: Vec<String>,
    pub events: Vec<String>,
    pub states: Vec<ItemState>,
    pub settings: Settings,
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// How a delivery treats each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every file, whole.
    Whole,
    /// Each file at random: not yet, half-written, a conflicted copy, or whole.
    Partial,
}

/// Copies the files `from`'s replica has and `to`'s lacks or differs in (never into `to`'s
/// own device folder: only its owner writes there).
pub fn deliver(from: &Device, to: &mut Device, mode: Mode, rng: &mut StdRng) {
    let own = to.id();
    let (src, dst) = (from.replica.path(), to.replica.path());
    for file in files_under(src) {
        let rel = file.strip_prefix(src).expect("under");
        if rel.components().any(|c| c.as_os_str() == own.as_str()) {
            continue;
        }
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue; // a temp file of the writer
        }
        let target = dst.join(rel);
        let bytes = std::fs::read(&file).expect("read");
        if std::fs::read(&target).ok().as_deref() == Some(&bytes[..]) {
            continue;
        }
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        let choice = if mode == Mode::Whole {
            3
        } else {
            rng.random_range(0..4)
        };
        match choice {
            0 => {}
            1 => {
                let cut = rng.random_range(0..bytes.len().max(1));
                std::fs::write(&target, &bytes[..cut]).expect("half");
            }
            2 => {
                let conflicted = target.with_file_name(format!(
                    "{} (conflicted copy 2026-06-01).jsonl",
                    name.trim_end_matches(".jsonl")
                ));
                std::fs::write(conflicted, &bytes).expect("conflict");
                let sc = target.with_file_name(format!("{name}.sync-conflict-20260601-ABCDEF"));
                std::fs::write(sc, &bytes).expect("conflict");
            }
            _ => std::fs::write(&target, &bytes).expect("whole"),
        }
    }
}

/// Delivers everything everywhere and syncs until nothing changes (three rounds suffice:
/// export, import, re-export of settings that changed).
pub fn settle(devs: &mut [Device], at: DateTime<Utc>, rng: &mut StdRng) {
    for round in 0..3 {
        let at = at + Duration::minutes(round);
        for d in devs.iter_mut() {
            d.sync(at);
        }
        for i in 0..devs.len() {
            for j in 0..devs.len() {
                if i != j {
                    let (a, b) = if i < j {
                        let (l, r) = devs.split_at_mut(j);
                        (&l[i], &mut r[0])
                    } else {
                        let (l, r) = devs.split_at_mut(i);
                        (&r[0], &mut l[j])
                    };
                    deliver(a, b, Mode::Whole, rng);
                }
            }
        }
    }
    for d in devs.iter_mut() {
        let o = d.sync(at + Duration::minutes(5));
        assert!(o.problems.is_empty(), "{:?}", o.problems);
    }
}

/// Asserts every device holds the same log and states, equal to a rebuild of that log.
pub fn assert_converged(devs: &mut [Device], lib: &Library) {
    let first = devs[0].snapshot(lib);
    for (i, d) in devs.iter().enumerate().skip(1) {
        let s = d.snapshot(lib);
        assert_eq!(s.reviews, first.reviews, "review log of device {i}");
        assert_eq!(s.events, first.events, "events of device {i}");
        assert_eq!(s.settings, first.settings, "settings of device {i}");
        assert_eq!(s.states, first.states, "item states of device {i}");
    }
    for d in devs.iter_mut() {
        d.learner.rebuild_from_log().expect("rebuild");
        assert_eq!(d.snapshot(lib).states, first.states, "states = rebuild");
    }
}
