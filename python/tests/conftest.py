"""Fixtures: a small corpus of MIDI files written here (no shared data needed), the
`tunesmith` binary (TUNESMITH, or the package's release build), and its export."""

import os
import random
import struct
import subprocess
import sys

import pytest

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_ROOT = os.path.join(PACKAGE_ROOT, "python")


def midi_file(notes, tempo=500_000, division=480, programs=None):
    """A format-0 file of (pitch, onset, duration, velocity[, channel]) notes in quarters, the
    channels' programs set first (`programs`: channel → program; channel 9 is the drum kit)."""
    events = [(0, bytes([0xFF, 0x51, 3]) + tempo.to_bytes(3, "big"))]
    events += [(0, bytes([0xC0 | channel, program])) for channel, program in (programs or {}).items()]
    for pitch, onset, duration, velocity, *channel in notes:
        status = channel[0] if channel else 0
        events.append((int(onset * division), bytes([0x90 | status, pitch, velocity])))
        events.append((int((onset + duration) * division), bytes([0x80 | status, pitch, 0])))
    events.sort(key=lambda event: (event[0], event[1][0] & 0xF0 not in (0x80, 0xF0, 0xC0)))
    track, tick = b"", 0
    for when, message in events:
        delta, encoded = when - tick, [when - tick & 0x7F]
        delta >>= 7
        while delta:
            encoded.insert(0, 0x80 | (delta & 0x7F))
            delta >>= 7
        track += bytes(encoded) + message
        tick = when
    track += bytes([0, 0xFF, 0x2F, 0])
    return b"MThd" + struct.pack(">IHHH", 6, 0, 1, division) + b"MTrk" + struct.pack(">I", len(track)) + track


def write_corpus(folder, pieces=12, seed=5):
    """Melodies over a few chords, with rests and varied rhythms: enough music for a tiny model."""
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    for index in range(pieces):
        tonic, notes, onset = 48 + rng.randrange(12), [], 0.0
        for _ in range(60 + 5 * index):
            step = rng.choice([0.25, 0.5, 0.5, 1.0, 1 / 3])
            pitch = tonic + rng.choice([0, 2, 4, 5, 7, 9, 11, 12, 14, 16])
            notes.append((pitch, onset, step, rng.randrange(50, 110)))
            if rng.random() < 0.3:
                notes.append((tonic - 12 + rng.choice([0, 7]), onset, 1.0, 70))
            onset += step
        with open(os.path.join(folder, f"piece{index:02d}.mid"), "wb") as handle:
            handle.write(midi_file(notes, tempo=rng.choice([400_000, 500_000, 600_000])))
    return folder


def write_band(folder, pieces=10, seed=9):
    """Melody on a piano, a bass line and a drum kit in 4/4: headers with several instruments,
    drum notes a transposition must leave alone, and bars for bar infilling."""
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    for index in range(pieces):
        tonic, notes = 48 + rng.randrange(12), []
        for bar in range(10 + index % 4):
            for beat in range(4):
                onset = 4.0 * bar + beat
                notes.append((tonic + 12 + rng.choice([0, 2, 4, 7, 9, 12]), onset, rng.choice([0.5, 1.0]),
                              rng.randrange(60, 110), 0))
                if beat % 2 == 0:
                    notes.append((tonic - 12 + rng.choice([0, 5, 7]), onset, 2.0, 80, 1))
                notes.append((rng.choice([36, 38, 42, 46]), onset, 0.25, 90, 9))
        with open(os.path.join(folder, f"tune{index:02d}.mid"), "wb") as handle:
            handle.write(midi_file(notes, tempo=rng.choice([400_000, 500_000, 600_000]), programs={0: 0, 1: 33}))
    return folder


@pytest.fixture(scope="session")
def tunesmith():
    path = os.environ.get("TUNESMITH") or os.path.join(PACKAGE_ROOT, ".build", "release", "tunesmith")
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path}: no tunesmith binary; run `swift build -c release --product tunesmith` or set TUNESMITH")
    return path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return write_corpus(str(tmp_path_factory.mktemp("corpus") / "melodies"))


@pytest.fixture(scope="session")
def band(tmp_path_factory):
    return write_band(str(tmp_path_factory.mktemp("corpus") / "band"))


@pytest.fixture(scope="session")
def band_dataset(tunesmith, band, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("data") / "band")
    run_tunesmith(tunesmith, "export-dataset", "--corpus", band, "--tokenizer", "events", "--seed", "4",
                  "--cache", str(tmp_path_factory.mktemp("cache")), "--out", out)
    return out


@pytest.fixture(scope="session")
def dataset(tunesmith, corpus, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("data") / "events")
    run_tunesmith(tunesmith, "export-dataset", "--corpus", corpus, "--tokenizer", "events", "--seed", "1",
                  "--cache", str(tmp_path_factory.mktemp("cache")), "--out", out)
    return out


def run_tunesmith(tunesmith, *arguments):
    finished = subprocess.run([tunesmith, *arguments], capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def run_python(module, *arguments, check=True, launcher=None):
    """A tunesmith_torch command in its own process, as a user runs it."""
    command = (launcher or [sys.executable, "-m"]) + [module, *arguments]
    environment = dict(os.environ, PYTHONPATH=PYTHON_ROOT, OMP_NUM_THREADS="1")
    finished = subprocess.run(command, capture_output=True, text=True, env=environment)
    if check:
        assert finished.returncode == 0, finished.stderr[-4000:]
    return finished
