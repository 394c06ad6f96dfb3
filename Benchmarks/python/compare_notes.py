"""Sets Tunesmith's note lists (JSON lines from NotesDump on stdin) beside symusic's and
mido's, for every file symusic reads, and prints the agreement and every disagreement.

symusic keeps neither the source track nor the channel of a note (it regroups notes into
one track per channel x program and marks channel 10 as drums), so against symusic a
file's notes are compared as a multiset of (is_drum, pitch, onset, duration, velocity).
Against mido the full (track, channel, pitch, onset, duration, velocity) is compared;
mido reads strictly (its default: data bytes over 127 and malformed events raise).
"""
import json
import os
import sys
from collections import Counter

import mido
import symusic

from mido_notes import file_notes, track_notes


def symusic_notes(path):
    score = symusic.Score.from_file(path)
    return [(track.is_drum, note.pitch, note.time, note.duration, note.velocity)
            for track in score.tracks for note in track.notes]


def as_symusic_key(note):
    _, channel, pitch, onset, duration, velocity = note
    return (channel == 9, pitch, onset, duration, velocity)


def classify(ours_only, theirs_only, track_ends, symusic_side):
    """Names the kind of each differing note, so the causes can be counted."""
    def loose(note):
        return note[:-3] + (note[-3], note[-1]) if symusic_side else note[:3] + (note[3], note[5])

    theirs_by_start = Counter(loose(note) for note in theirs_only)
    ours_by_start = Counter(loose(note) for note in ours_only)
    kinds = Counter()
    for note in ours_only:
        duration = note[-2]
        if theirs_by_start[loose(note)] > 0:
            theirs_by_start[loose(note)] -= 1
            ours_by_start[loose(note)] -= 1
            kinds["same onset, other duration" + (" (ours is zero-length)" if duration == 0 else "")] += 1
        elif duration == 0:
            kinds["zero-length note only in Tunesmith"] += 1
        elif not symusic_side and note[0] < len(track_ends) and note[3] + duration == track_ends[note[0]]:
            kinds["note closed at track end only in Tunesmith"] += 1
        elif symusic_side and note[-3] + duration in track_ends:
            kinds["note reaching a track end only in Tunesmith"] += 1
        else:
            kinds["note only in Tunesmith"] += 1
    for key, left in theirs_by_start.items():
        if left > 0:
            kinds["note only in the other library"] += left
    return kinds


def compare(ours, theirs, track_ends, symusic_side):
    ours_count, theirs_count = Counter(ours), Counter(theirs)
    shared = sum((ours_count & theirs_count).values())
    ours_only = list((ours_count - theirs_count).elements())
    theirs_only = list((theirs_count - ours_count).elements())
    kinds = classify(ours_only, theirs_only, track_ends, symusic_side) if ours_only or theirs_only else Counter()
    return shared, max(len(ours), len(theirs)), kinds, ours_only[:3], theirs_only[:3]


def main():
    corpus = sys.argv[1]
    totals = {name: {"files": 0, "agree": 0, "shared": 0, "notes": 0, "kinds": Counter(), "kind_files": Counter()}
              for name in ("symusic", "mido")}
    symusic_failures, mido_failures, tunesmith_failures = [], [], []
    disagreements = []
    for line in sys.stdin:
        record = json.loads(line)
        path = record["file"]
        name = os.path.relpath(path, corpus)
        try:
            theirs_symusic = symusic_notes(path)
        except Exception as error:
            symusic_failures.append((name, f"{type(error).__name__}: {error}", "error" not in record))
            continue
        if "error" in record:
            tunesmith_failures.append((name, record["error"]))
            continue
        ours = [tuple(note) for note in record["notes"]]
        ends = record["track_ends"]
        sides = [("symusic", [as_symusic_key(n) for n in ours], theirs_symusic, ends, True)]
        try:
            midi = mido.MidiFile(path)
            sides.append(("mido", ours, file_notes(midi), None, False))
        except Exception as error:
            mido_failures.append((name, f"{type(error).__name__}: {error}"))
        for library, ours_side, theirs, ends_side, symusic_side in sides:
            if ends_side is None:
                ends_side = [track_notes(i, t)[1] for i, t in enumerate(midi.tracks)]
            shared, total, kinds, ours_only, theirs_only = compare(ours_side, theirs, ends_side, symusic_side)
            tally = totals[library]
            tally["files"] += 1
            tally["shared"] += shared
            tally["notes"] += total
            if not kinds:
                tally["agree"] += 1
                continue
            tally["kinds"].update(kinds)
            tally["kind_files"].update(kinds.keys())
            disagreements.append((library, name, len(ours_side), len(theirs), kinds, ours_only, theirs_only, record["findings"]))

    print("Note-list agreement over ../shared/corpus (files symusic reads)")
    for library, tally in totals.items():
        files, notes = tally["files"], tally["notes"]
        print(f"  Tunesmith vs {library:8}: {tally['agree']}/{files} files identical ({100 * tally['agree'] / max(files, 1):.2f} %), "
              f"{tally['shared']}/{notes} notes identical ({100 * tally['shared'] / max(notes, 1):.3f} %)")
        for kind, count in tally["kinds"].most_common():
            print(f"      {count:7} notes in {tally['kind_files'][kind]:3} files: {kind}")
    print(f"\nsymusic cannot read {len(symusic_failures)} files (left out above):")
    for name, error, ours_ok in symusic_failures:
        print(f"  {name}: {error[:110]} [Tunesmith {'reads it' if ours_ok else 'finds no MIDI data'}]")
    print(f"\nmido (strict) cannot read {len(mido_failures)} of them (compared with symusic only):")
    for name, error in mido_failures:
        print(f"  {name}: {error[:120]}")
    print(f"\nTunesmith finds no MIDI data in {len(tunesmith_failures)} files symusic reads:")
    for name, error in tunesmith_failures:
        print(f"  {name}: {error[:160]}")
    print(f"\nDisagreements ({len(disagreements)}):")
    for library, name, ours_count, theirs_count, kinds, ours_only, theirs_only, findings in disagreements:
        summary = "; ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        print(f"  [{library}] {name}: Tunesmith {ours_count} notes, {library} {theirs_count}: {summary}")
        print(f"      only Tunesmith e.g. {ours_only}; only {library} e.g. {theirs_only}; findings {sorted(set(findings))}")


if __name__ == "__main__":
    main()
