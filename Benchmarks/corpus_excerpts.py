"""Cuts corpus pieces into excerpts of whole bars, as long as the pieces the style classifier
judges, so that it learns from music of the length it is shown (a 16-bar piece has a smaller
pitch range than a whole sonata for its length alone). Cut with mido (not ours) at the bar lines
of the file's own time signatures, in ticks, so beats, tempo and meter stay as they were.

usage: corpus_excerpts.py OUT BARS PER_PIECE FOLDER...
  writes OUT/<folder name>/<piece number>-<first bar>.mid: up to PER_PIECE excerpts of BARS bars
  per piece, evenly spaced through it and not overlapping, and OUT/<folder name>/pieces.tsv
  (excerpt file, source piece) so that a classifier can be split by piece.
"""

import hashlib
import os
import sys

import mido

# An excerpt of fewer notes than this is mostly rests (a tacet part, a fermata), not a sample of the style.
FEWEST_NOTES = 16
STATE_TYPES = {"set_tempo", "time_signature", "key_signature", "program_change", "control_change"}
# At one tick: meta and state first, then note-offs before note-ons, so a repeated note is not cut short.
ORDER = {"note_off": 2, "note_on": 3}


def midi_files(folder):
    for root, _, names in os.walk(folder):
        for name in names:
            if name.lower().endswith(".mid"):
                yield os.path.join(root, name)


def absolute(track):
    tick = 0
    for message in track:
        tick += message.time
        yield tick, message


def is_off(message):
    return message.type == "note_off" or (message.type == "note_on" and message.velocity == 0)


def bar_starts(midi):
    """Tick of every bar line up to the last event, following each time signature change."""
    signatures = sorted(
        (tick, message.numerator, message.denominator)
        for track in midi.tracks
        for tick, message in absolute(track)
        if message.type == "time_signature"
    )
    last = max((tick for track in midi.tracks for tick, _ in absolute(track)), default=0)
    if not signatures or signatures[0][0] > 0:
        signatures.insert(0, (0, 4, 4))
    starts, tick = [], 0
    for index, (at, numerator, denominator) in enumerate(signatures):
        stop = signatures[index + 1][0] if index + 1 < len(signatures) else last
        tick = max(tick, at)
        length = max(1, round(numerator * midi.ticks_per_beat * 4 / denominator))
        while tick < stop:
            starts.append(tick)
            tick += length
    starts.append(tick)  # the end of the last bar
    return starts


def excerpt(midi, start, end):
    """The file's events in [start, end) shifted to 0, with the tempo, meter, programs and
    controllers in force at `start`; notes keep their onsets there and are cut at `end`."""
    out = mido.MidiFile(type=1, ticks_per_beat=midi.ticks_per_beat)
    notes = 0
    for track in midi.tracks:
        state, events, sounding = {}, [], {}
        for tick, message in absolute(track):
            if message.is_meta and message.type == "end_of_track":
                continue
            if tick < start:
                if message.type in STATE_TYPES:
                    key = (message.type, getattr(message, "channel", None), getattr(message, "control", None))
                    state[key] = message
                continue
            if tick >= end:
                break
            if message.type in ("note_on", "note_off"):
                key = (message.channel, message.note)
                if is_off(message):
                    if key in sounding:
                        events.append((tick - start, message))
                        del sounding[key]
                    continue
                if key in sounding:  # a note struck again before its note-off: end the first here
                    events.append((tick - start, mido.Message("note_off", channel=message.channel, note=message.note)))
                sounding[key] = True
                notes += 1
            events.append((tick - start, message))
        for channel, note in sounding:
            events.append((end - start, mido.Message("note_off", channel=channel, note=note)))
        events = [(0, message) for message in state.values()] + events
        events.sort(key=lambda event: (event[0], ORDER.get("note_off" if is_off(event[1]) else event[1].type, 1)))
        rebuilt, previous = mido.MidiTrack(), 0
        for tick, message in events:
            rebuilt.append(message.copy(time=tick - previous))
            previous = tick
        rebuilt.append(mido.MetaMessage("end_of_track", time=end - start - previous))
        out.tracks.append(rebuilt)
    return out, notes


def main():
    out, bars, per_piece, folders = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    seen = set()
    for folder in folders:
        target = os.path.join(out, os.path.basename(os.path.normpath(folder)))
        os.makedirs(target, exist_ok=True)
        written, skipped = [], 0
        for number, path in enumerate(sorted(midi_files(folder))):
            digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
            if digest in seen:  # the corpus merges byte-identical copies into one piece
                continue
            seen.add(digest)
            try:
                midi = mido.MidiFile(path, clip=True)
                starts = bar_starts(midi)
            except Exception as error:  # a file mido cannot read is left out, and said so
                print(f"corpus_excerpts: {path}: {error!r}; left out", file=sys.stderr)
                skipped += 1
                continue
            whole_bars = len(starts) - 1
            if whole_bars < bars:
                skipped += 1
                continue
            count = min(per_piece, whole_bars // bars)
            step = (whole_bars - bars) / max(1, count - 1) if count > 1 else 0
            for index in range(count):
                first = round(index * step)
                piece, notes = excerpt(midi, starts[first], starts[first + bars])
                if notes < FEWEST_NOTES:
                    continue
                name = os.path.join(target, f"{number:04d}-{first + 1:04d}.mid")
                piece.save(name)
                written.append((name, path))
        with open(os.path.join(target, "pieces.tsv"), "w") as table:
            table.writelines(f"{name}\t{path}\n" for name, path in written)
        pieces = len({path for _, path in written})
        print(
            f"corpus_excerpts: {folder}: {len(written)} excerpts of {bars} bars from {pieces} pieces "
            f"({skipped} shorter than {bars} bars or unreadable)",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
