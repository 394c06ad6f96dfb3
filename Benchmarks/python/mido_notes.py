"""Note pairing over mido messages, done the way Tunesmith's Track.pairNotes() documents it.

Per track: absolute ticks are the running sum of message delta times (meta messages
included); a note_on with velocity > 0 opens a note; a note_off, or a note_on with
velocity 0, closes the oldest open note of the same channel and pitch (first in, first
out; a note-off with nothing open is ignored); notes still open when the track ends are
closed at the track's last tick (the tick of its end_of_track, or of its last message).
"""
from collections import defaultdict, deque


def track_notes(track_index, track):
    """[(track, channel, pitch, onset, duration, velocity)] in note-on order, and the end tick."""
    notes = []
    open_notes = defaultdict(deque)
    tick = 0
    for message in track:
        tick += message.time
        kind = message.type
        if kind == "note_on" and message.velocity > 0:
            open_notes[(message.channel, message.note)].append(len(notes))
            notes.append([track_index, message.channel, message.note, tick, None, message.velocity])
        elif kind == "note_off" or kind == "note_on":
            queue = open_notes.get((message.channel, message.note))
            if queue:
                note = notes[queue.popleft()]
                note[4] = tick - note[3]
    for note in notes:
        if note[4] is None:
            note[4] = tick - note[3]
    return [tuple(note) for note in notes], tick


def file_notes(midi_file):
    notes = []
    for index, track in enumerate(midi_file.tracks):
        notes.extend(track_notes(index, track)[0])
    return notes
