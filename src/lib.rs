//! examdeck: a desktop exam-study app. The library holds everything but the window: deck
//! loading, the learner store, scheduling, mock exams, and the command line.
#![warn(missing_docs)]

pub mod app;
pub mod cli;
pub mod deck;
pub mod exam;
pub mod import;
pub mod learner;
pub mod pack;
pub mod paths;
pub mod schedule;
pub mod store;
pub mod sync;
pub mod ui;
