//! The desktop app's state and start-up: the library, the learner, study sessions, deck
//! reloading and importing. Nothing here draws or imports the window (see `crate::ui`).

pub mod browse;
pub mod core;
pub mod dialog;
pub mod exams;
pub mod folders;
pub mod import;
pub mod import_flow;
pub mod import_preview;
pub mod mock;
pub mod optimize_job;
pub mod prefs;
pub mod question;
pub mod readiness;
pub mod session;
pub mod startup;
pub mod sync_job;
pub mod watch;
