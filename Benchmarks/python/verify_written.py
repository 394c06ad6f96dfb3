"""Loads every original corpus file and every copy `tunesmith repair` wrote with mido
(strict, its default), pretty_midi, symusic and music21, and counts what loads.

music21 is checked two ways: its MIDI file parser (music21.midi.MidiFile.read) on every
file, and the full conversion to a score (converter.parse) on the N smallest repaired
files and their originals only, because that conversion takes seconds to minutes per
file (the 10 first jazz files took 210 s here), which is days for the whole corpus.

usage: verify_written.py REPAIR_JSON_LINES [STREAM_SAMPLE]
"""
import json
import os
import sys
import warnings

import mido
import pretty_midi
import symusic
from music21 import converter, midi as music21_midi

warnings.filterwarnings("ignore")


def music21_midi_parser(path):
    parsed = music21_midi.MidiFile()
    parsed.open(path)
    try:
        parsed.read()
    finally:
        parsed.close()


LOADERS = {
    "mido (strict)": lambda path: mido.MidiFile(path),
    "pretty_midi": lambda path: pretty_midi.PrettyMIDI(path),
    "symusic": lambda path: symusic.Score(path),
    "music21 (MIDI parser)": music21_midi_parser,
}


def failure(load, path):
    try:
        load(path)
        return None
    except Exception as error:
        return f"{type(error).__name__}: {str(error)[:100]}"


def main():
    records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    sample_size = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    originals = [record["file"] for record in records]
    repaired = [(record["file"], record["output"]) for record in records if "output" in record]
    print(f"{len(originals)} corpus files; tunesmith repair wrote {len(repaired)} copies "
          f"({len(originals) - len(repaired)} hold no MIDI data)")
    print(f"{'library':24} {'originals load':>16} {'repaired load':>15}")
    broken_copies = []
    for name, load in LOADERS.items():
        original_ok = sum(failure(load, path) is None for path in originals)
        repaired_ok = 0
        for source, output in repaired:
            problem = failure(load, output)
            if problem is None:
                repaired_ok += 1
            else:
                broken_copies.append((name, source, problem))
        print(f"{name:24} {original_ok:>9}/{len(originals):<6} {repaired_ok:>8}/{len(repaired):<6}", flush=True)

    sample = sorted(repaired, key=lambda pair: os.path.getsize(pair[1]))[:sample_size]
    parse = lambda path: converter.parse(path, format="midi")
    original_ok = sum(failure(parse, source) is None for source, _ in sample)
    repaired_ok = 0
    for source, output in sample:
        problem = failure(parse, output)
        if problem is None:
            repaired_ok += 1
        else:
            broken_copies.append(("music21 (converter.parse)", source, problem))
    print(f"{'music21 (converter.parse)':24} {original_ok:>9}/{len(sample):<6} {repaired_ok:>8}/{len(sample):<6}"
          f" (the {len(sample)} smallest repaired files and their originals)")

    print(f"\nRepaired copies some library cannot load: {len(broken_copies)}")
    for name, source, problem in broken_copies:
        print(f"  [{name}] repair of {source}: {problem}")
    sys.exit(1 if broken_copies else 0)


if __name__ == "__main__":
    main()
