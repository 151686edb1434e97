#!/usr/bin/env python3
"""The Anki peer of `examdeck bench`: the same measures on an equivalent Anki collection.

Uses the `anki` package from PyPI (26.9.x), which is Anki's own Rust backend, headless.

    python3 benches/anki/peer.py build DIR      # once: 50,000 notes, 50 decks, 200,000 revlog rows
    python3 benches/anki/peer.py measure DIR    # JSON figures on stdout
    python3 benches/anki/peer.py loop-round DIR # the study loop alone, every answer's time

`measure` runs every step in a fresh process (the page cache warm, like examdeck's warm start):
open + first card (median of 5 processes, with each child's peak RSS), then on a scratch copy of
the collection the study loop (fetch + answer, 300 answers) and the due counts of every deck.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time

WORDS = (
    "key policy principal role trust boundary encryption envelope rotation audit trail "
    "bucket object replication region account organization guardrail detective preventive "
    "control finding severity remediation workflow event rule target queue stream retention "
    "certificate chain private endpoint gateway subnet route table flow log packet inspection "
    "firewall session token federation identity provider assertion attribute condition "
    "deny allow explicit implicit evaluation logic boundary permission set delegated "
    "administrator aggregator conformance pack baseline drift snapshot backup vault lock"
).split()


def text(rng, chars):
    """Markdown-like prose of about `chars` characters, with a list as bundled cards have."""
    out, n = [], 0
    while n < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
        if rng.random() < 0.2:
            sentence = "- " + sentence + "\n"
        else:
            sentence = sentence.capitalize() + ". "
        out.append(sentence)
        n += len(sentence)
    return "".join(out)


def build(args):
    from anki.collection import Collection, AddNoteRequest

    os.makedirs(args.dir, exist_ok=True)
    path = os.path.join(args.dir, "collection.anki2")
    if os.path.exists(path):
        print(f"{path} exists; remove it to build again", file=sys.stderr)
        return 0
    rng = random.Random(0x5EED)
    col = Collection(path)
    # FSRS on, as examdeck schedules with FSRS; limits out of the way of the study loop.
    col.set_config("fsrs", True)
    conf = col.decks.get_config(1)
    # 9999 is Anki's highest limit (examdeck's bench lifts its limits too).
    conf["new"]["perDay"] = 9999
    conf["rev"]["perDay"] = 9999
    col.decks.update_config(conf)
    basic = col.models.by_name("Basic")
    per_deck = args.notes // args.decks
    t = time.perf_counter()
    # The 50 decks under one parent, selected, as a learner studying the whole library.
    parent = col.decks.id("bench")
    col.decks.select(parent)
    for d in range(args.decks):
        did = col.decks.id(f"bench::exam{d:02}")
        reqs = []
        for i in range(per_deck):
            note = col.new_note(basic)
            # ~1.4 KB per note, as the bundled examdeck cards: a scenario and an explanation.
            note["Front"] = text(rng, 500)
            note["Back"] = text(rng, 900)
            reqs.append(AddNoteRequest(note=note, deck_id=did))
        col.add_notes(reqs)
    print(f"notes added in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    # Review history written directly, with card states consistent with it: cards are studied
    # in order until the review budget is spent, first seen on a day of the past year, then
    # reviewed at each due date until about now (a learner who keeps up), as examdeck's
    # `bench` generator does.
    today = col.sched.today
    day_secs = 86400
    now = int(time.time())
    cids = col.db.list("select id from cards order by id")
    revlog, cards = [], []
    done = 0
    rid = (now - 400 * day_secs) * 1000
    for cid in cids:
        if done >= args.reviews:
            break
        first = -rng.randint(1, 360)  # day offset from today
        cutoff = -rng.random() * 1.5
        day, ivl, last_ivl, reps, lapses = float(first), 0, 0, 0, 0
        stability, difficulty = 1.0, 5.0
        while done < args.reviews and day < cutoff:
            ease = rng.choice([1, 2, 3, 3, 3, 3, 3, 3, 3, 4])
            if ease == 1 and reps:
                lapses += 1
                stability = max(0.5, stability * 0.4)
            else:
                stability *= {2: 1.2, 3: 2.5, 4: 3.5}.get(ease, 1.0)
            new_ivl = max(1, round(stability))
            rtype = 0 if reps == 0 else 1
            rid += rng.randint(1000, 60000)
            revlog.append((rid, cid, -1, ease, new_ivl, last_ivl, 2500, 8000, rtype))
            reps += 1
            done += 1
            last_ivl = new_ivl
            day += new_ivl
        if reps:
            due = today + int(day)
            data = json.dumps({"s": round(stability, 4), "d": difficulty, "lrt": now + int((day - last_ivl) * day_secs)})
            cards.append((due, last_ivl, reps, lapses, data, cid))
    def write():
        col.db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) values (?,?,?,?,?,?,?,?,?)",
            revlog,
        )
        col.db.executemany(
            "update cards set type = 2, queue = 2, due = ?, ivl = ?, factor = 2500, reps = ?, lapses = ?, data = ?, left = 0 where id = ?",
            cards,
        )

    # One transaction (outside one, every row would be its own durable commit).
    col.db.transact(write)
    col.close()
    print(f"built {path}: {len(cids)} cards, {len(revlog)} revlog rows", file=sys.stderr)
    return 0


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def open_first(args):
    """Child: open the collection and fetch the first due card, as the desktop does."""
    t0 = time.perf_counter()
    from anki.collection import Collection

    t_import = time.perf_counter()
    col = Collection(os.path.join(args.dir, "collection.anki2"))
    t_open = time.perf_counter()
    queued = col.sched.get_queued_cards(fetch_limit=1)
    t_first = time.perf_counter()
    assert queued.cards, "no due card"
    out = {
        "import_ms": (t_import - t0) * 1000,
        "open_ms": (t_open - t_import) * 1000,
        "first_card_ms": (t_first - t_open) * 1000,
        "peak_rss_mib": peak_rss_mib(),
        "journal_mode": col.db.scalar("pragma journal_mode"),
        "synchronous": col.db.scalar("pragma synchronous"),
    }
    col.close(downgrade=False)
    json.dump(out, sys.stdout)
    return 0


def loop(args):
    """Child: the study loop (fetch + answer) and the due counts, on a scratch copy."""
    from anki.collection import Collection
    from anki.cards import Card
    from anki.scheduler.v3 import CardAnswer

    col = Collection(os.path.join(args.dir, "collection.anki2"))
    fetch, answer, both = [], [], []
    for i in range(args.answers):
        t = time.perf_counter()
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        t1 = time.perf_counter()
        rating = CardAnswer.AGAIN if i % 10 == 0 else CardAnswer.GOOD
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=rating))
        t2 = time.perf_counter()
        fetch.append((t1 - t) * 1000)
        answer.append((t2 - t1) * 1000)
        both.append((t2 - t) * 1000)
    trees = []
    for _ in range(6):
        t = time.perf_counter()
        col.sched.deck_due_tree()
        trees.append((time.perf_counter() - t) * 1000)
    out = {
        "answers": len(both),
        "fetch_answer_ms": both,
        "fetch_median_ms": statistics.median(fetch),
        "answer_median_ms": statistics.median(answer),
        "fetch_answer_median_ms": statistics.median(both),
        # The first call builds caches; the median of the later ones is the steady state.
        "due_tree_first_ms": trees[0],
        "due_tree_median_ms": statistics.median(trees[1:]),
        "cards": col.card_count(),
        "revlog": col.db.scalar("select count() from revlog"),
    }
    col.close(downgrade=False)
    json.dump(out, sys.stdout)
    return 0


def child(step, directory, *extra):
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), step, directory, *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out), (time.perf_counter() - t) * 1000


def fresh_loop(directory, answers):
    """The study loop (a child process) on a fresh scratch copy of the collection."""
    scratch = os.path.join(directory, "scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    shutil.copy(os.path.join(directory, "collection.anki2"), scratch)
    # Written back now, so that the timed answers' fsyncs do not also wait for the copy.
    os.sync()
    study, _ = child("loop", scratch, "--answers", str(answers))
    return study


def loop_round(args):
    """The study loop alone on a fresh scratch copy (a child process), every answer's time
    printed: `compare.py` alternates it with examdeck's `--study-loop-only`."""
    study = fresh_loop(args.dir, args.answers)
    json.dump(study, sys.stdout)
    print()
    return 0


def measure(args):
    starts = []
    for _ in range(args.runs):
        figures, wall = child("open-first", args.dir)
        figures["process_wall_ms"] = wall
        starts.append(figures)
    study = fresh_loop(args.dir, args.answers)
    med = lambda k: statistics.median(s[k] for s in starts)
    out = {
        "anki_version": __import__("anki.buildinfo", fromlist=["version"]).version,
        "runs": args.runs,
        "open_ms": med("open_ms"),
        "first_card_ms": med("first_card_ms"),
        "open_first_card_ms": statistics.median(s["open_ms"] + s["first_card_ms"] for s in starts),
        "import_ms": med("import_ms"),
        "process_start_to_first_card_ms": med("process_wall_ms"),
        "peak_rss_mib": max(s["peak_rss_mib"] for s in starts),
        "journal_mode": starts[0]["journal_mode"],
        "synchronous": starts[0]["synchronous"],
        **study,
    }
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("dir")
    b.add_argument("--notes", type=int, default=50_000)
    b.add_argument("--decks", type=int, default=50)
    b.add_argument("--reviews", type=int, default=200_000)
    m = sub.add_parser("measure")
    m.add_argument("dir")
    m.add_argument("--runs", type=int, default=5)
    m.add_argument("--answers", type=int, default=300)
    o = sub.add_parser("open-first")
    o.add_argument("dir")
    lp = sub.add_parser("loop")
    lp.add_argument("dir")
    lp.add_argument("--answers", type=int, default=300)
    lr = sub.add_parser("loop-round")
    lr.add_argument("dir")
    lr.add_argument("--answers", type=int, default=300)
    args = p.parse_args()
    steps = {"build": build, "measure": measure, "open-first": open_first, "loop": loop, "loop-round": loop_round}
    return steps[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
