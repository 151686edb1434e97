//! Exams as a person reads them: titles instead of ids, and which exams are retired.

use crate::deck::{ExamBlueprint, Library};
use chrono::NaiveDate;

/// The exam's title, or its id when no loaded blueprint has it (a deck naming an exam that
/// is not loaded still needs a label).
pub fn exam_title(library: &Library, id: &str) -> String {
    library
        .exam(id)
        .map_or_else(|| id.to_string(), |e| e.title.clone())
}

/// True once the blueprint's `retired` date has come. An unreadable date counts as not
/// retired: the deck checker reports it, and hiding an exam by mistake would be worse.
pub fn is_retired(exam: &ExamBlueprint, today: NaiveDate) -> bool {
    exam.retired
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .is_some_and(|d| d <= today)
}

/// The title with "(retired)" after it when the exam is retired (unless the title says so).
pub fn display_title(exam: &ExamBlueprint, today: NaiveDate) -> String {
    if is_retired(exam, today) && !exam.title.to_lowercase().contains("retired") {
        format!("{} (retired)", exam.title)
    } else {
        exam.title.clone()
    }
}

/// The exams a picker offers: current ones, plus retired ones when asked for.
pub fn pickable(library: &Library, today: NaiveDate, show_retired: bool) -> Vec<&ExamBlueprint> {
    library
        .exams
        .iter()
        .filter(|e| show_retired || !is_retired(e, today))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::DeckSource;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn the_bundled_scs_c02_is_retired_and_c03_is_not() {
        let lib = Library::load(&[DeckSource::Bundled]);
        let today = day("2026-11-30");
        let c02 = lib.exam("aws-scs-c02").expect("c02");
        let c03 = lib.exam("aws-scs-c03").expect("c03");
        assert!(is_retired(c02, today));
        assert!(!is_retired(c03, today));
        assert!(display_title(c02, today).contains("retired"));
        let mut renamed = c02.clone();
        renamed.title = "Old exam".into();
        assert_eq!(display_title(&renamed, today), "Old exam (retired)");
        assert_eq!(display_title(c03, today), c03.title);
        let current: Vec<&str> = pickable(&lib, today, false)
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(current, vec!["aws-scs-c03"]);
        assert_eq!(pickable(&lib, today, true).len(), 2);
        assert_eq!(exam_title(&lib, "aws-scs-c03"), c03.title);
        assert_eq!(exam_title(&lib, "no-such-exam"), "no-such-exam");
    }

    #[test]
    fn an_exam_is_retired_from_its_date_on() {
        let lib = Library::load(&[DeckSource::Bundled]);
        let mut e = lib.exam("aws-scs-c03").expect("c03").clone();
        e.retired = Some("2027-01-10".into());
        assert!(!is_retired(&e, day("2027-01-09")));
        assert!(is_retired(&e, day("2027-01-10")));
        e.retired = Some("soon".into());
        assert!(!is_retired(&e, day("2099-01-01")));
    }
}
