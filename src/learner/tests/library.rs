//! Syncing the library: new, edited and removed cards.

use super::*;

#[test]
fn sync_adds_flags_edited_and_removed_keeping_history() {
    let mut lib = synthetic::library(2, 3, 0);
    let now = t("2026-03-01T10:00:00Z");
    let mut l = Learner::open_in_memory().expect("open");
    let r = l.sync_library(&lib, now).expect("sync");
    assert_eq!((r.added, r.edited, r.removed, r.total), (6, 0, 0, 6));
    good(&mut l, &key(0, 0, 0), now);
    good(&mut l, &key(0, 1, 0), now);

    // Edit card 0, remove card 1.
    lib.decks[0].deck.cards[0].content_hash = "changed".into();
    let removed = lib.decks[0].deck.cards.remove(1);
    let r = l.sync_library(&lib, now).expect("sync");
    assert_eq!((r.added, r.edited, r.removed), (0, 1, 1));
    let s = l.item_state(&key(0, 0, 0)).expect("state").expect("item");
    assert!(s.edited && s.reps == 1, "edited keeps its progress");
    let s = l.item_state(&key(0, 1, 0)).expect("state").expect("item");
    assert!(s.removed);
    assert_eq!(
        l.history(&key(0, 1, 0)).expect("history").len(),
        1,
        "history kept"
    );
    // A removed item is not offered.
    let scope = StudyScope::Items(vec![key(0, 1, 0)]);
    assert!(l.next_item(&scope, &lib, now).expect("next").is_none());

    // The next answer clears the edited flag; NextItem shows it before.
    let scope = StudyScope::Items(vec![key(0, 0, 0)]);
    let later = now + Duration::minutes(15);
    let next = l
        .next_item(&scope, &lib, later)
        .expect("next")
        .expect("item");
    assert!(next.edited);
    good(&mut l, &key(0, 0, 0), later);
    assert!(
        !l.item_state(&key(0, 0, 0))
            .expect("state")
            .expect("item")
            .edited
    );

    // The card comes back: restored with its history.
    lib.decks[0].deck.cards.insert(1, removed);
    let r = l.sync_library(&lib, now).expect("sync");
    assert_eq!((r.restored, r.removed), (1, 0));
    let s = l.item_state(&key(0, 1, 0)).expect("state").expect("item");
    assert!(!s.removed && s.reps == 1);
}
