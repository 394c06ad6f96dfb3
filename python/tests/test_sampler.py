"""The PyTorch sampler draws Tunesmith's training batches token for token: the same windows,
header dropout, bar-infilling examples, transposition (drums kept, the key moved) and tempo
stretch, from the same stream. Tunesmith's side is `tunesmith train --preview-batches`."""

import json

import numpy as np
import pytest

from conftest import run_tunesmith
from tunesmith_torch.data import DatasetFolder, WindowSampler

CONTEXT, BATCH, BATCHES = 96, 16, 6


@pytest.fixture(scope="session")
def band_data(band_dataset):
    return DatasetFolder(band_dataset)


def swift_windows(tunesmith, corpus, tmp_path, *augmentation):
    """Tunesmith's first batches for seed 4, one window (context + 1 ids) a row."""
    lines = run_tunesmith(tunesmith, "train", "--corpus", corpus, "--tokenizer", "events", "--model", "transformer",
                          "--context", str(CONTEXT), "--batch", str(BATCH), "--seed", "4", *augmentation,
                          "--preview-batches", str(BATCHES), "--json", "--cache", str(tmp_path / "cache"),
                          "--out", str(tmp_path / "never-written")).splitlines()
    windows = [json.loads(line) for line in lines]
    assert [(w["batch"], w["row"]) for w in windows] == [(b, r) for b in range(1, BATCHES + 1)
                                                         for r in range(1, BATCH + 1)]
    assert not (tmp_path / "never-written").exists(), "a preview trains nothing and writes no run"
    return np.array([w["ids"] for w in windows], dtype=np.int64), [w["tokens"] for w in windows]


def python_windows(dataset, transpose, tempo_stretch, infill_share, world=1):
    # One sampler per rank, as each process has its own.
    samplers = [WindowSampler(dataset, CONTEXT, 4, transpose, tempo_stretch, infill_share) for _ in range(world)]
    rows = []
    for _ in range(BATCHES):
        for rank, sampler in enumerate(samplers):
            tokens, targets = sampler.batch(BATCH // world, rank, world)
            rows.append(np.concatenate((tokens, targets[:, -1:]), axis=1))
    return np.concatenate(rows)


def test_the_sampler_draws_tunesmiths_batches_with_every_augmentation(tunesmith, band, band_data, tmp_path):
    # Tunesmith's defaults for events: transpose 3, tempo stretch 1, infill share 0.25.
    swift, texts = swift_windows(tunesmith, band, tmp_path)
    ours = python_windows(band_data, 3, 1, 0.25)
    assert ours.shape == swift.shape == (BATCHES * BATCH, CONTEXT + 1)
    for row, (mine, theirs) in enumerate(zip(ours, swift)):
        assert mine.tolist() == theirs.tolist(), f"window {row} differs"
    # The comparison covers what the sampler does, not only plain windows.
    # Every piece has drums, so every window transposed but for a fill example keeps its drum notes.
    fill_examples = sum("FillStart" in text for text in texts)
    headed = sum(text[0].startswith("Style_") for text in texts)
    headless = sum(not any(token.startswith(("Style_", "Key_")) for token in text[:5]) for text in texts)
    assert fill_examples >= 3 and headed >= 10 and headless >= 5, (fill_examples, headed, headless)
    assert all("Drums" in text for text in texts)
    # Two ranks of half the batch draw the same global batches.
    assert python_windows(band_data, 3, 1, 0.25, world=2).tolist() == swift.tolist()


def test_the_sampler_follows_tunesmith_without_augmentation(tunesmith, band, band_data, tmp_path):
    swift, texts = swift_windows(tunesmith, band, tmp_path, "--transpose", "0", "--tempo-stretch", "0",
                                 "--infill-share", "0")
    assert python_windows(band_data, 0, 0, 0.0).tolist() == swift.tolist()
    assert not any("FillStart" in text for text in texts)
