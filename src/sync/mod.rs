//! Sync through a shared folder (Syncthing, Dropbox, a git repository, a USB stick): no
//! server, nothing overwritten. Each device writes only its own folder
//! `<sync>/examdeck/devices/<device-id>/` — a `device.json` and immutable JSON Lines
//! segments ([`file`]) — and merges every other device's segments into its learner
//! ([`crate::learner::Learner::merge_batch`], then one replay). See `docs/sync.md` for the rules.

pub mod file;

use crate::learner::{BatchFile, Device, Learner, LearnerError, MergeCounts};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Records per exported file (a first export of a large history is split).
pub const RECORDS_PER_FILE: usize = 50_000;
/// The most device folders looked at.
pub const MAX_DEVICES: usize = 64;
/// The most files looked at in one device folder.
pub const MAX_FILES_PER_DEVICE: usize = 100_000;

/// Something that stopped a sync (a damaged peer file does not: it is a [`Problem`]).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The sync folder could not be used.
    #[error("{path}: {error}")]
    Io {
        /// The folder or file.
        path: String,
        /// What failed.
        error: std::io::Error,
    },
    /// The learner database failed.
    #[error(transparent)]
    Learner(#[from] LearnerError),
}

/// A peer file that was skipped, with the sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The peer device's name (or id).
    pub device: String,
    /// The file.
    pub file: String,
    /// What is wrong, as a sentence.
    pub message: String,
    /// Whether the whole file is tried again on the next sync (false: only this record was
    /// skipped and the rest of the file merged).
    pub retried: bool,
}

/// A device seen in the sync folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerInfo {
    /// Its id.
    pub id: String,
    /// Its name (from its `device.json`; the id if that is missing).
    pub name: String,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncOutcome {
    /// This device.
    pub device: Option<PeerInfo>,
    /// Records written to this device's folder.
    pub exported: usize,
    /// Files written.
    pub files_written: usize,
    /// Peer files merged.
    pub files_merged: usize,
    /// What came in.
    pub merged: MergeCounts,
    /// Finished mock-exam attempts that came in.
    pub attempts: usize,
    /// Other devices in the folder.
    pub peers: Vec<PeerInfo>,
    /// Files skipped (damaged, incomplete, too big, from a newer examdeck).
    pub problems: Vec<Problem>,
    /// The backup taken before the first merge with a new device.
    pub backup: Option<PathBuf>,
    /// Where the time went (for `examdeck bench --sync`; not part of the JSON output).
    #[serde(skip)]
    pub phases: Phases,
}

/// Wall time of each phase of one sync, ms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Phases {
    /// Writing this device's new records.
    pub export_ms: f64,
    /// Waiting for peer files to be read and checked (length, SHA-256, JSON) on the reader
    /// thread (reading overlaps the merge of the file before).
    pub read_ms: f64,
    /// The backup before a first merge with a new device: starting it, and waiting for it
    /// after the insert (the rest runs beside the insert on a second connection).
    pub backup_ms: f64,
    /// Merging the peer files (attempts and records, one transaction per peer) — with the
    /// replay of the cards they changed, for a bulk merge that replays inside its
    /// transaction.
    pub insert_ms: f64,
    /// Replaying the cards whose history changed, after every peer's merge (what the merges
    /// owed).
    pub replay_ms: f64,
}

/// Milliseconds since `t`, and restarts `t`.
fn lap(t: &mut std::time::Instant) -> f64 {
    let now = std::time::Instant::now();
    let ms = (now - *t).as_secs_f64() * 1000.0;
    *t = now;
    ms
}

impl SyncOutcome {
    /// The status line: "Synced · 3 devices" or what went wrong.
    pub fn summary(&self) -> String {
        match self.problems.first() {
            Some(p) => format!("{} — skipped", p.message),
            None => format!("Synced · {} devices", self.peers.len() + 1),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct DeviceFile {
    id: String,
    name: String,
}

/// `<sync>/examdeck/devices`.
pub fn devices_dir(sync_dir: &Path) -> PathBuf {
    sync_dir.join("examdeck").join("devices")
}

/// The deck folder a study group shares inside the sync folder: `<sync>/decks`.
pub fn decks_dir(sync_dir: &Path) -> PathBuf {
    sync_dir.join("decks")
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SyncError + '_ {
    move |error| SyncError::Io {
        path: path.display().to_string(),
        error,
    }
}

fn is_device_id(name: &str) -> bool {
    name.len() == 32
        && name
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// Exchanges with the sync folder: writes this device's new records, then merges every
/// peer file not merged yet. Damaged peer files are skipped and reported, never fatal.
pub fn sync(learner: &mut Learner, sync_dir: &Path, now: DateTime<Utc>) -> Result<SyncOutcome> {
    let me = learner.device()?;
    let devices = devices_dir(sync_dir);
    let mine = devices.join(&me.id);
    std::fs::create_dir_all(&mine).map_err(io(&mine))?;
    write_device_file(&mine, &me)?;
    let mut out = SyncOutcome {
        device: Some(PeerInfo {
            id: me.id.clone(),
            name: me.name.clone(),
        }),
        ..SyncOutcome::default()
    };
    let mut t = std::time::Instant::now();
    export(learner, &mine, &me, now, &mut out)?;
    out.phases.export_ms = lap(&mut t);
    // Files merged by an older examdeck that skipped some of their record types are merged
    // again now that this one reads more of them.
    learner.forget_partial_merges(file::KINDS_VERSION)?;
    // The merges' and the replay's checkpoint runs once, behind them (and on every path:
    // the connection's automatic checkpoints must come back).
    learner.defer_checkpoints()?;
    let merged = merge_all(learner, &devices, &me, now, &mut out, &mut t);
    learner.checkpoint_behind()?;
    merged?;
    Ok(out)
}

/// Merges every peer's new files, then replays the cards whose history changed.
fn merge_all(
    learner: &mut Learner,
    devices: &Path,
    me: &Device,
    now: DateTime<Utc>,
    out: &mut SyncOutcome,
    t: &mut std::time::Instant,
) -> Result<()> {
    for peer in peers(devices, &me.id)? {
        merge_peer(learner, &devices.join(&peer.id), &peer, now, out)?;
        out.peers.push(peer);
    }
    // Each card whose history changed is replayed once, after every file is in.
    lap(t);
    learner.finish_replay()?;
    out.phases.replay_ms = lap(t);
    Ok(())
}

/// Result with [`SyncError`].
pub type Result<T, E = SyncError> = std::result::Result<T, E>;

fn write_device_file(dir: &Path, me: &Device) -> Result<()> {
    let want = DeviceFile {
        id: me.id.clone(),
        name: me.name.clone(),
    };
    let path = dir.join("device.json");
    let current = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice::<DeviceFile>(&b).ok());
    if current.is_some_and(|c| c.id == want.id && c.name == want.name) {
        return Ok(());
    }
    let bytes = serde_json::to_vec_pretty(&want).unwrap_or_default();
    file::write_atomic(dir, "device.json", &bytes).map_err(io(&path))
}

fn export(
    learner: &mut Learner,
    dir: &Path,
    me: &Device,
    now: DateTime<Utc>,
    out: &mut SyncOutcome,
) -> Result<()> {
    loop {
        let mut written = None;
        let n = learner.export_pending(now, RECORDS_PER_FILE, |records| {
            let name = file::segment_name(now.timestamp_millis());
            let bytes = file::encode(&me.id, now.timestamp_millis(), records);
            file::write_atomic(dir, &name, &bytes)?;
            written = Some(name);
            Ok(())
        })?;
        if n == 0 {
            return Ok(());
        }
        out.exported += n;
        out.files_written += usize::from(written.is_some());
        if n < RECORDS_PER_FILE {
            return Ok(());
        }
    }
}

/// The other devices' folders, in id order (bounded; anything not named like a device id,
/// symlinks included, is ignored).
fn peers(devices: &Path, me: &str) -> Result<Vec<PeerInfo>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(devices) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io(devices)(e)),
    };
    for entry in entries.flatten().take(MAX_DEVICES * 4) {
        let name = entry.file_name().to_string_lossy().to_string();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if name == me || !is_dir || !is_device_id(&name) {
            continue;
        }
        let display = std::fs::read(entry.path().join("device.json"))
            .ok()
            .filter(|b| b.len() < 64 << 10)
            .and_then(|b| serde_json::from_slice::<DeviceFile>(&b).ok())
            .map(|d| {
                d.name
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(64)
                    .collect()
            })
            .filter(|n: &String| !n.trim().is_empty())
            .unwrap_or_else(|| name[..8].to_string());
        out.push(PeerInfo {
            id: name,
            name: display,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.truncate(MAX_DEVICES);
    Ok(out)
}

fn merge_peer(
    learner: &mut Learner,
    dir: &Path,
    peer: &PeerInfo,
    now: DateTime<Utc>,
    out: &mut SyncOutcome,
) -> Result<()> {
    let done = learner.merged_files(&peer.id)?;
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .take(MAX_FILES_PER_DEVICE)
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| file::is_segment_name(n) && !done.contains(n))
            .collect(),
        Err(_) => return Ok(()),
    };
    names.sort();
    if names.len() <= 1 {
        // One file (or none): read here — a thread would only add its start-up to a sync
        // that brings one answer.
        let (send, files) = std::sync::mpsc::sync_channel(1);
        for name in names {
            let read = file::read(&dir.join(&name), &peer.id);
            let _ = send.send((name, read));
        }
        drop(send);
        return merge_from(learner, peer, &files, now, out);
    }
    // Files are read, checked and parsed on a second thread, one ahead of the merge (bounded
    // memory), so reading the next file overlaps merging this one.
    std::thread::scope(|scope| {
        let (send, files) = std::sync::mpsc::sync_channel(0);
        let peer_id = peer.id.clone();
        scope.spawn(move || {
            for name in names {
                let read = file::read(&dir.join(&name), &peer_id);
                if send.send((name, read)).is_err() {
                    return;
                }
            }
        });
        merge_from(learner, peer, &files, now, out)
    })
}

/// A peer's files as read one by one.
type Files = std::sync::mpsc::Receiver<(String, Result<file::Segment, file::FileError>)>;

/// Merges the peer files coming from `files` (one transaction), after the backup owed to a
/// new device.
fn merge_from(
    learner: &mut Learner,
    peer: &PeerInfo,
    files: &Files,
    now: DateTime<Utc>,
    out: &mut SyncOutcome,
) -> Result<()> {
    let mut t = std::time::Instant::now();
    // The first file that reads well: the backup before a first merge with a new
    // device is taken only when something will merge.
    let Some(first) = next_good(files, peer, out) else {
        return Ok(());
    };
    out.phases.read_ms += lap(&mut t);
    let mut backup = None;
    if out.backup.is_none() && !learner.knows_device(&peer.id)? {
        // The first merge with a new device: keep the database as it was. The backup reads
        // the snapshot before the merge on a second connection while the merge inserts,
        // and the merge commits only once it is written.
        backup = learner.start_merge_backup(now)?;
        out.phases.backup_ms += lap(&mut t);
    }
    let mut first = Some(first);
    let mut waited = 0.0;
    let merged = learner.merge_batch(&peer.id, now, backup, &mut || {
        if let Some(f) = first.take() {
            return Some(f);
        }
        let mut w = std::time::Instant::now();
        let f = next_good(files, peer, out);
        waited += lap(&mut w);
        f
    })?;
    out.phases.read_ms += waited;
    out.phases.backup_ms += merged.backup_wait_ms;
    out.phases.insert_ms += lap(&mut t) - waited - merged.backup_wait_ms;
    if let Some(b) = &merged.backup {
        out.backup = Some(b.path.clone());
    }
    out.merged.add(&merged.counts);
    out.files_merged += merged.files;
    out.attempts += merged.attempts;
    out.problems
        .extend(merged.skipped.into_iter().map(|(file, why)| Problem {
            device: peer.name.clone(),
            message: format!("device {}'s file {file}: {why}", peer.name),
            file,
            retried: false,
        }));
    Ok(())
}

/// The next peer file from the reader thread that reads well; the others are reported.
fn next_good(files: &Files, peer: &PeerInfo, out: &mut SyncOutcome) -> Option<BatchFile> {
    while let Ok((name, read)) = files.recv() {
        match read {
            Ok(seg) => {
                return Some(BatchFile {
                    name,
                    records: seg.records,
                    unknown: seg.unknown,
                });
            }
            Err(e) => out.problems.push(Problem {
                device: peer.name.clone(),
                message: format!("device {}'s file {name} {e}", peer.name),
                file: name,
                retried: true,
            }),
        }
    }
    None
}
