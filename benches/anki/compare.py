#!/usr/bin/env python3
"""examdeck beside Anki on one machine, one run: prints a side-by-side table with the ratio
per target of issue 12.

    cargo build --release
    python3 benches/anki/compare.py [--dir /tmp/examdeck-compare] [--examdeck PATH]

The study loop is fsync-bound on both sides, and a disk's fsync latency drifts over seconds, so
one run of each, a minute apart, compares the disk's moods more than the programs: the loop is
measured in --loop-rounds rounds alternating Anki and examdeck (each on a fresh copy of its
data), and the figures are the medians of every answer of every round.

Generates once (kept in --dir): an Anki collection (50,000 notes of ~1.4 KB, 50 decks,
200,000 revlog rows; `peer.py build`) and examdeck's library (50 files, 50,000 cards, ~57 MB
of YAML, 200,000 reviews; `examdeck bench --library`). Then measures both in fresh processes.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def default_exe():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "..", "target"))
    return os.path.join(target, "release", "examdeck")


def run_json(cmd):
    print("+ " + " ".join(cmd), file=sys.stderr)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dir", default="/tmp/examdeck-compare")
    p.add_argument("--examdeck", default=default_exe())
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--answers", type=int, default=300)
    p.add_argument("--loop-rounds", type=int, default=6)
    args = p.parse_args()
    anki_dir = os.path.join(args.dir, "anki")
    ours_dir = os.path.join(args.dir, "examdeck")
    peer = os.path.join(HERE, "peer.py")
    if not os.path.exists(os.path.join(anki_dir, "collection.anki2")):
        subprocess.run([sys.executable, peer, "build", anki_dir], check=True)
    anki = run_json([sys.executable, peer, "measure", anki_dir, "--runs", str(args.runs), "--answers", str(args.answers)])
    ours = run_json([
        args.examdeck, "bench", "--library", ours_dir, "--format", "json",
        "--runs", str(args.runs), "--answers", str(args.answers),
    ])

    # The study loop, alternated: Anki, examdeck, Anki, … each round on a fresh copy.
    anki_loops, ours_loops, round_ratios = [], [], []
    for _ in range(args.loop_rounds):
        a = run_json([sys.executable, peer, "loop-round", anki_dir, "--answers", str(args.answers)])
        o = run_json([
            args.examdeck, "bench", "--library", ours_dir, "--study-loop-only", "--answers", str(args.answers),
        ])
        anki_loops += a["fetch_answer_ms"]
        ours_loops += o["study_loop_ms"]
        round_ratios.append(o["study_loop_median_ms"] / a["fetch_answer_median_ms"])
    anki_loop = statistics.median(anki_loops)
    ours_loop = statistics.median(ours_loops)

    def ratio(a, b):
        return f"{b / a:.2f}×" if a else "—"

    rows = [
        (
            "process start → first due card (warm)",
            f"{anki['open_first_card_ms']:.0f} ms (open {anki['open_ms']:.0f} + first card {anki['first_card_ms']:.0f}; "
            f"+{anki['import_ms']:.0f} ms Python import)",
            f"{ours['warm_start_ms']:.0f} ms (open {ours['warm_open_ms']:.0f} + first card {ours['warm_first_card_ms']:.1f})",
            ratio(anki["open_first_card_ms"], ours["warm_start_ms"]),
            "≤ 0.25×",
        ),
        (
            "peak RSS at the first card",
            f"{anki['peak_rss_mib']:.0f} MiB",
            f"{ours['warm_peak_rss_mib']:.0f} MiB",
            ratio(anki["peak_rss_mib"], ours["warm_peak_rss_mib"]),
            "≤ 0.5×",
        ),
        (
            f"study loop: next card + durable answer (median of {len(ours_loops)} answers, {args.loop_rounds} alternated rounds)",
            f"{anki_loop:.3f} ms",
            f"{ours_loop:.3f} ms",
            ratio(anki_loop, ours_loop)
            + " (rounds: " + ", ".join(f"{r:.2f}" for r in round_ratios) + ")",
            "≤ 1.0×",
        ),
        (
            "study loop, one run each in the measures above (median)",
            f"{anki['fetch_answer_median_ms']:.3f} ms (fetch {anki['fetch_median_ms']:.3f} + answer {anki['answer_median_ms']:.3f})",
            f"{ours['study_loop_median_ms']:.3f} ms (next {ours['next_item_median_ms']:.3f} + answer {ours['answer_median_ms']:.3f})",
            ratio(anki["fetch_answer_median_ms"], ours["study_loop_median_ms"]),
            "—",
        ),
        (
            "due counts of every deck (median)",
            f"{anki['due_tree_median_ms']:.1f} ms (deck_due_tree, later calls)",
            f"{ours['due_counts_median_ms']:.1f} ms",
            ratio(anki["due_tree_median_ms"], ours["due_counts_median_ms"]),
            "—",
        ),
        (
            "first load, no cache / YAML scanner on all cores",
            "—",
            f"{ours['first_load_ms']:.0f} ms / {ours['scanner_all_threads_ms']:.0f} ms ({ours['threads']} threads; 1 thread {ours['scanner_1_thread_ms']:.0f} ms)",
            f"{ours['first_load_over_scanner']:.2f}×",
            "≤ 1.0×",
        ),
        (
            "one-file reload (1,000 of 50,000 cards)",
            "—",
            f"{ours['reload_one_file_ms']:.0f} ms",
            "—",
            "≤ 100 ms",
        ),
    ]
    print(f"Anki {anki['anki_version']} ({anki['cards']} cards, {anki['revlog']} revlog rows) vs examdeck "
          f"({ours['cards']} cards, {ours['reviews']} reviews, {ours['yaml_bytes'] / 1e6:.1f} MB YAML); one run, this machine")
    print(f"durability: Anki journal_mode={anki['journal_mode']}, synchronous={anki['synchronous']} "
          f"(2 = FULL; each op commits); examdeck WAL, synchronous=FULL, one transaction per answer")
    print()
    print("| measure | Anki | examdeck | ratio (examdeck / Anki) | target |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
