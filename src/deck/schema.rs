//! The JSON Schemas of deck format v1, for authors' editors (completion and validation as
//! they type). Hand-kept beside the reader; `tests/schema.rs` validates every bundled file
//! against them and checks that broken fixtures fail.

/// JSON Schema of a deck file (`schema/deck-v1.json`).
pub const DECK_SCHEMA: &str = include_str!("../../schema/deck-v1.json");

/// JSON Schema of an exam blueprint file (`schema/exam-v1.json`).
pub const EXAM_SCHEMA: &str = include_str!("../../schema/exam-v1.json");
