//! The app's state outside any screen: the deck library, the learner's store, and where they
//! come from. Screens read it and ask for changes through actions of the window; nothing here
//! draws.

use crate::deck::library::{LoadOptions, LoadProgress};
use crate::deck::{DeckSource, ExamBlueprint, Library, LoadedDeck};
use crate::learner::{DeckCounts, Learner};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Library, learner and their origins.
pub struct AppCore {
    /// Every loaded deck and blueprint, with problems.
    pub library: Library,
    /// The learner's progress.
    pub learner: Learner,
    /// Where decks come from (bundled, user folder, extra folders).
    pub sources: Vec<DeckSource>,
    /// The sources before the folders saved in Settings (bundled, user folder, `--decks`).
    pub base_sources: Vec<DeckSource>,
    /// The learner's own deck folder (where "Add decks…" copies to).
    pub user_decks: Option<PathBuf>,
    /// The data folder, if on disk.
    pub data_dir: Option<PathBuf>,
    /// Counts per deck, refreshed after every change.
    pub counts: Vec<DeckCounts>,
    /// Today's totals under the overall limits, refreshed with the counts.
    pub today: crate::learner::TodayTotals,
    /// A fixed "now" for tests and screenshots; the system clock otherwise.
    pub fixed_now: Option<DateTime<Utc>>,
    /// Last status message for the status bar (e.g. "Reloaded kms.yaml").
    pub status: Option<String>,
    /// Window preferences.
    pub prefs: super::prefs::UiPrefs,
    /// Exam-date plans (pace of new cards, final review days), refreshed with the counts.
    pub plans: Vec<crate::learner::ExamPlan>,
    /// Readiness forecast per exam id: recomputed when the home screen is shown, and after
    /// an open or a reload once the window has drawn ([`AppCore::refresh_stale_after_frame`]).
    pub forecasts: std::collections::BTreeMap<String, crate::exam::Forecast>,
    /// The forecasts predate the last open, reload or sync (they cost tens of milliseconds
    /// at 50,000 cards: the first card and a reloaded deck need not wait for them).
    pub forecasts_stale: bool,
    /// The due counts were left for after the first frame ([`OpenOptions::defer_counts`]).
    counts_stale: bool,
    /// Sync through a shared folder: the folder, the running job, the last outcome.
    pub sync: super::sync_job::SyncStatus,
    /// How long each phase of the last open or reload took, ms (the benchmark prints them).
    pub phases: Vec<(&'static str, f64)>,
}

/// How [`AppCore::open_with`] opens.
#[derive(Default)]
pub struct OpenOptions<'a> {
    /// Use a sync folder: `sync_dir`, else the one saved in the learner's settings.
    pub sync: bool,
    /// The sync folder for this run (`--sync-dir`).
    pub sync_dir: Option<PathBuf>,
    /// Called from any thread as deck files are read.
    pub progress: Option<&'a (dyn Fn(LoadProgress) + Sync)>,
    /// Leave the due counts to [`AppCore::refresh_stale`] (the window: its first frame shows
    /// the decks at once, their counts a frame later).
    pub defer_counts: bool,
}

/// Decks that serve one exam (or none).
pub struct ExamGroup<'a> {
    /// The blueprint, `None` for decks without an exam.
    pub exam: Option<&'a ExamBlueprint>,
    /// Its decks with their counts.
    pub decks: Vec<(&'a LoadedDeck, Option<&'a DeckCounts>)>,
}

impl AppCore {
    /// Opens the data folder and loads every deck source.
    pub fn open(
        data_dir: PathBuf,
        extra_decks: &[PathBuf],
        now: DateTime<Utc>,
    ) -> anyhow::Result<AppCore> {
        AppCore::open_with(data_dir, extra_decks, now, &OpenOptions::default())
    }

    /// [`AppCore::open`] as the window does it: with the sync folder's decks, reporting how
    /// many deck files are read (the start-up screen), the library cache in
    /// `<data dir>/cache`. The library is read once, after the sources are known.
    pub fn open_with(
        data_dir: PathBuf,
        extra_decks: &[PathBuf],
        now: DateTime<Utc>,
        opts: &OpenOptions<'_>,
    ) -> anyhow::Result<AppCore> {
        let mut laps = Laps::start();
        let user_decks = data_dir.join("decks");
        std::fs::create_dir_all(&user_decks)?;
        let learner = Learner::open(&data_dir, now)?;
        laps.lap("learner open");
        let sources = crate::paths::library_sources(Some(user_decks.clone()), extra_decks);
        let mut core = AppCore::empty(learner, sources);
        if opts.sync {
            let folder = match opts.sync_dir.clone() {
                Some(f) => Some(f),
                None => core.learner.sync_folder()?,
            };
            if folder.is_some() {
                core.use_sync_folder(folder);
            }
        }
        let progress = opts.progress;
        let cache = data_dir.join("cache");
        let library = Library::load_with(
            &core.sources,
            &LoadOptions {
                cache_dir: Some(&cache),
                progress,
            },
        );
        laps.lap("library load");
        core.adopt(library, now, &mut laps, !opts.defer_counts)?;
        core.user_decks = Some(user_decks);
        core.prefs = super::prefs::UiPrefs::load(&data_dir);
        core.data_dir = Some(data_dir);
        laps.lap("prefs");
        core.phases = laps.done;
        Ok(core)
    }

    /// A core over an in-memory learner (tests, demos).
    pub fn in_memory(sources: Vec<DeckSource>, now: DateTime<Utc>) -> anyhow::Result<AppCore> {
        let learner = Learner::open_in_memory()?;
        let mut core = AppCore::with(learner, sources, now)?;
        core.fixed_now = Some(now);
        Ok(core)
    }

    fn with(
        learner: Learner,
        sources: Vec<DeckSource>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<AppCore> {
        let mut core = AppCore::empty(learner, sources);
        core.reload(now)?;
        Ok(core)
    }

    /// A core with no library loaded yet; the sources include the folders saved in Settings.
    fn empty(learner: Learner, sources: Vec<DeckSource>) -> AppCore {
        let all = super::folders::with_saved(&sources, &learner.settings().deck_folders);
        AppCore {
            library: Library::default(),
            learner,
            sources: all,
            base_sources: sources,
            user_decks: None,
            data_dir: None,
            counts: Vec::new(),
            today: Default::default(),
            fixed_now: None,
            status: None,
            prefs: super::prefs::UiPrefs::default(),
            forecasts: Default::default(),
            forecasts_stale: false,
            counts_stale: false,
            plans: Vec::new(),
            sync: Default::default(),
            phases: Vec::new(),
        }
    }

    /// Takes a freshly loaded library: registers its cards with the learner, then counts
    /// (or leaves the counts stale for [`AppCore::refresh_stale`]).
    fn adopt(
        &mut self,
        library: Library,
        now: DateTime<Utc>,
        laps: &mut Laps,
        count: bool,
    ) -> anyhow::Result<()> {
        self.library = library;
        self.learner.sync_library(&self.library, now)?;
        laps.lap("sync library");
        if count {
            self.refresh_counts(now)?;
            laps.lap("counts");
        } else {
            self.counts_stale = true;
        }
        self.forecasts_stale = true;
        Ok(())
    }

    /// The current time (fixed in tests).
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    /// Reloads every deck source and registers new, edited and removed cards with the learner.
    /// Only changed files are read again (the rest come from the library in memory, then the
    /// cache in `<data dir>/cache`).
    pub fn reload(&mut self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let cache = self.data_dir.as_ref().map(|d| d.join("cache"));
        let opts = crate::deck::LoadOptions {
            cache_dir: cache.as_deref(),
            progress: None,
        };
        let mut laps = Laps::start();
        self.library.reload(&self.sources, &opts);
        laps.lap("library reload");
        self.learner.sync_library(&self.library, now)?;
        laps.lap("sync library");
        self.refresh_counts(now)?;
        laps.lap("counts");
        self.forecasts_stale = true;
        self.phases = laps.done;
        Ok(())
    }

    /// Recomputes the per-deck counts.
    pub fn refresh_counts(&mut self, now: DateTime<Utc>) -> anyhow::Result<()> {
        self.counts_stale = false;
        let o = self.learner.overview(&self.library, now)?;
        self.counts = o.counts;
        self.today = o.today;
        self.plans = o.plans;
        Ok(())
    }

    /// Recomputes the readiness forecasts (a recall prediction per exam question: done when
    /// the home screen is shown, not after every answer).
    pub fn refresh_forecasts(&mut self) {
        self.forecasts_stale = false;
        self.forecasts.clear();
        let exams: Vec<String> = self.library.exams.iter().map(|e| e.id.clone()).collect();
        for exam in exams {
            let at = super::readiness::exam_moment(self, &exam);
            // An exam no deck serves has no forecast; that is not an error.
            if let Ok(f) = super::readiness::readiness(self, &exam, at) {
                self.forecasts.insert(exam, f);
            }
        }
    }

    /// Whether the due counts are known (an open for the window leaves them to the frame
    /// after the first: see [`OpenOptions::defer_counts`]).
    pub fn counts_ready(&self) -> bool {
        !self.counts_stale
    }

    /// Computes what an open left for after the first frame — the due counts — and, on the
    /// home screen (`forecasts`), the forecasts an open, reload or sync left stale; whether it
    /// did anything (the window calls it after drawing a frame, then draws again).
    pub fn refresh_stale_after_frame(&mut self, forecasts: bool) -> anyhow::Result<bool> {
        self.refresh_stale_at(self.now(), forecasts)
    }

    /// [`AppCore::refresh_stale_after_frame`] with the counts taken at `now` (the bench's
    /// fixed clock).
    pub fn refresh_stale_at(
        &mut self,
        now: DateTime<Utc>,
        forecasts: bool,
    ) -> anyhow::Result<bool> {
        let mut did = false;
        if self.counts_stale {
            self.refresh_counts(now)?;
            did = true;
        }
        if forecasts && self.forecasts_stale {
            self.refresh_forecasts();
            did = true;
        }
        Ok(did)
    }

    /// Replaces the learner's progress with a backup (the current database is first copied
    /// byte for byte by the store) and reopens it; the name of that copy, if one was made.
    pub fn restore_backup(
        &mut self,
        backup: &std::path::Path,
    ) -> anyhow::Result<Option<std::path::PathBuf>> {
        let Some(dir) = self.data_dir.clone() else {
            anyhow::bail!("progress lives in memory: there is nothing to restore into");
        };
        let now = self.now();
        // The open connection must be closed before the file is replaced.
        self.learner = Learner::open_in_memory()?;
        let restored = Learner::restore(&dir, backup, now);
        self.learner = Learner::open(&dir, now)?;
        let outcome = restored?;
        self.learner.sync_library(&self.library, now)?;
        self.refresh_counts(now)?;
        Ok(outcome.safety_copy)
    }

    /// Counts of one deck.
    pub fn counts_of(&self, deck: &str) -> Option<&DeckCounts> {
        self.counts.iter().find(|c| c.deck == deck)
    }

    /// Decks grouped by exam; exams in id order, then decks with no (known) exam.
    pub fn exam_groups(&self) -> Vec<ExamGroup<'_>> {
        let mut groups: Vec<ExamGroup> = self
            .library
            .exams
            .iter()
            .map(|e| ExamGroup {
                exam: Some(e),
                decks: Vec::new(),
            })
            .collect();
        let mut other = ExamGroup {
            exam: None,
            decks: Vec::new(),
        };
        for d in &self.library.decks {
            let entry = (d, self.counts_of(&d.deck.id));
            match groups
                .iter_mut()
                .find(|g| g.exam.is_some_and(|e| Some(&e.id) == d.deck.exam.as_ref()))
            {
                Some(g) => g.decks.push(entry),
                None => other.decks.push(entry),
            }
        }
        groups.retain(|g| !g.decks.is_empty());
        if !other.decks.is_empty() {
            groups.push(other);
        }
        groups
    }

    /// Totals over all decks under the overall limits: (new, learning, review) left today.
    pub fn totals(&self) -> (u32, u32, u32) {
        (self.today.new, self.today.learning, self.today.review)
    }
}

/// Phase timer of an open or reload ([`AppCore::phases`]).
struct Laps {
    since: std::time::Instant,
    done: Vec<(&'static str, f64)>,
}

impl Laps {
    fn start() -> Laps {
        Laps {
            since: std::time::Instant::now(),
            done: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        let ms = now.duration_since(self.since).as_secs_f64() * 1e3;
        self.done.push((name, ms));
        self.since = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::DeckSource;

    #[test]
    fn forecasts_wait_for_the_first_frame_then_are_computed_once() {
        let now = Utc::now();
        let mut core = AppCore::in_memory(vec![DeckSource::Bundled], now).expect("core");
        assert!(
            !core.library.exams.is_empty(),
            "the bundled decks serve exams"
        );
        assert!(!core.counts.is_empty(), "counts are ready at once");
        assert!(core.forecasts_stale && core.forecasts.is_empty());
        assert!(
            !core.refresh_stale_after_frame(false).expect("refresh"),
            "not off the home screen"
        );
        assert!(
            core.refresh_stale_after_frame(true).expect("refresh"),
            "computed when asked"
        );
        assert!(!core.forecasts.is_empty());
        assert!(
            !core.refresh_stale_after_frame(true).expect("refresh"),
            "not again until the next reload"
        );
        core.reload(now).expect("reload");
        assert!(core.forecasts_stale);
        let phases: Vec<&str> = core.phases.iter().map(|(n, _)| *n).collect();
        assert_eq!(phases, ["library reload", "sync library", "counts"]);
    }

    #[test]
    fn an_open_for_the_window_counts_after_the_first_frame_what_an_open_counts_at_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let now = Utc::now();
        let counted = AppCore::open(dir.path().join("a"), &[], now).expect("open");
        assert!(counted.counts_ready() && !counted.counts.is_empty());
        let deferred = OpenOptions {
            defer_counts: true,
            ..OpenOptions::default()
        };
        let mut core = AppCore::open_with(dir.path().join("b"), &[], now, &deferred).expect("open");
        assert!(!core.counts_ready() && core.counts.is_empty());
        let phases: Vec<&str> = core.phases.iter().map(|(n, _)| *n).collect();
        assert!(!phases.contains(&"counts"), "{phases:?}");
        core.fixed_now = Some(now);
        assert!(core.refresh_stale_after_frame(false).expect("refresh"));
        assert!(core.counts_ready());
        assert_eq!(core.counts, counted.counts);
        assert_eq!(core.totals(), counted.totals());
        assert!(
            !core.refresh_stale_after_frame(false).expect("refresh"),
            "counted once"
        );
    }
}
