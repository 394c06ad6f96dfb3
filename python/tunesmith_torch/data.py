"""A dataset folder written by `tunesmith export-dataset`, memory-mapped, and the training
windows Tunesmith's trainer draws from it: the same window list, the same xoshiro256** stream
from the same seed, the same header dropout, bar-infilling examples, transposition and tempo
stretch (TrainingRun.fillBatch, HeaderDropout, BarInfill, Transposition, DrumKeys, TempoStretch,
TokenShiftTable). A single process with Tunesmith's batch draws exactly Tunesmith's batches;
python/tests/test_sampler.py checks that against `tunesmith train --preview-batches`."""

import math
import os

import numpy as np

from .errors import TunesmithTorchError, read_json

MANIFEST_FORMAT = "tunesmith-dataset"
MANIFEST_VERSION = 1
# The tokenizer versions this package was written against (EventTokenizer.version and
# NoteTokenizer.version in Sources/Generation/Tokens); tests check them against `tunesmith`.
TOKENIZER_VERSIONS = {"events": 5, "notes": 1}
SAMPLER_SALT = 0x5EED0F5A3B1E5  # Trainer.sampler's seed is the run's seed xor this
MASK = (1 << 64) - 1


class SeededRandom:
    """xoshiro256** seeded by splitmix64, as Tunesmith's SeededRandom; its state is four words."""

    def __init__(self, seed=None, state=None):
        if state is not None:
            if len(state) != 4 or not any(state):
                raise ValueError("a xoshiro state is four words, not all zero")
            self.s = [word & MASK for word in state]
            return
        mixer, words = seed & MASK, []
        for _ in range(4):
            mixer = (mixer + 0x9E3779B97F4A7C15) & MASK
            z = mixer
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            words.append(z ^ (z >> 31))
        self.s = words

    @staticmethod
    def _rotate(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (self._rotate((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = self._rotate(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    @property
    def state(self):
        return list(self.s)


class Split:
    """One split's pieces as (shard tokens memmap, start, length), in manifest order."""

    def __init__(self, folder, name, description):
        self.name = name
        self.pieces = []
        for shard in description["shards"]:
            tokens = load_array(os.path.join(folder, shard["tokens"]), np.int32, shard["token_count"])
            offsets = load_array(os.path.join(folder, shard["offsets"]), np.int64, shard["pieces"] + 1)
            for index in range(shard["pieces"]):
                self.pieces.append((tokens, int(offsets[index]), int(offsets[index + 1] - offsets[index])))

    def sequence(self, piece):
        tokens, start, length = self.pieces[piece]
        return tokens[start:start + length]

    @property
    def token_count(self):
        return sum(length for _, _, length in self.pieces)


def load_array(path, dtype, count):
    """A shard array, memory-mapped, checked against the manifest's count."""
    if not os.path.exists(path):
        raise TunesmithTorchError(
            f"{path}: shard missing; copy the whole dataset folder, or export it again with `tunesmith export-dataset`")
    try:
        array = np.load(path, mmap_mode="r")
    except (OSError, ValueError) as error:
        raise TunesmithTorchError(f"{path}: not a NumPy array ({error}); export the dataset again") from None
    if array.dtype != dtype or array.shape != (count,):
        raise TunesmithTorchError(
            f"{path}: holds {array.dtype} {array.shape}, the manifest says {np.dtype(dtype)} ({count},); "
            "the folder mixes two exports: export it again")
    return array


class DatasetFolder:
    """An exported dataset: manifest, vocabulary and every split's pieces."""

    def __init__(self, folder):
        self.folder = folder
        manifest_path = os.path.join(folder, "manifest.json")
        what = "is this a folder written by `tunesmith export-dataset --out`?"
        self.manifest = read_json(manifest_path, what)
        if self.manifest.get("format") != MANIFEST_FORMAT or self.manifest.get("format_version") != MANIFEST_VERSION:
            raise TunesmithTorchError(
                f"{manifest_path}: not a dataset manifest of format {MANIFEST_FORMAT} v{MANIFEST_VERSION}; "
                "export it again with this Tunesmith's `tunesmith export-dataset`")
        tokenizer = self.manifest["tokenizer"]
        expected = TOKENIZER_VERSIONS.get(tokenizer["name"])
        if expected != tokenizer["version"]:
            raise TunesmithTorchError(
                f"{manifest_path}: exported with tokenizer {tokenizer['name']} v{tokenizer['version']}, but this "
                f"package trains {tokenizer['name']} v{expected}; export the corpus again with the current "
                "`tunesmith export-dataset`")
        self.vocabulary_path = os.path.join(folder, "vocabulary.json")
        self.vocabulary = read_json(self.vocabulary_path, what)
        if (self.vocabulary.get("tokenizer"), self.vocabulary.get("version")) != (tokenizer["name"], tokenizer["version"]) \
                or len(self.vocabulary.get("tokens", [])) != self.manifest["vocabulary_size"]:
            raise TunesmithTorchError(
                f"{self.vocabulary_path}: does not belong to {manifest_path}; export the dataset again")
        self.splits = {name: Split(folder, name, description)
                       for name, description in self.manifest["splits"].items()}

    @property
    def tokenizer(self):
        return self.manifest["tokenizer"]["name"]

    def names(self, split):
        """The pieces of a split by name, in their order in the split (corpus order)."""
        placed = sorted((piece["shard"], piece["index"], piece["name"])
                        for piece in self.manifest["pieces"] if piece["split"] == split)
        return [name for _, _, name in placed]

    def notes_per_token(self):
        """Pitched notes each id stands for (TokenizerKind.notes(in:)): bits per note divide by them."""
        tokens = self.vocabulary["tokens"]
        if self.tokenizer == "events":
            return np.array([1 if token.startswith("Pitch_") else 0 for token in tokens], dtype=np.int64)
        return np.array([len(token.split(".")) for token in tokens], dtype=np.int64)


class ShiftTable:
    """TokenShiftTable: each token's id after each offset in −maximum…maximum. A rule is
    (prefix, rejects_window, moved): a token spelt prefix + number (+ `_` and more) becomes
    prefix + moved(number, offset) (+ the same rest); where the vocabulary lacks that token the
    id is −1 (the whole window must stay as written) when the rule rejects windows, else the
    token stays."""

    def __init__(self, tokens, maximum, rules):
        self.maximum = maximum
        ids = {token: index for index, token in enumerate(tokens)}
        self.table = np.empty((2 * maximum + 1, len(tokens)), dtype=np.int64)
        for row, offset in enumerate(range(-maximum, maximum + 1)):
            for index, token in enumerate(tokens):
                self.table[row, index] = index
                for prefix, rejects_window, moved in rules:
                    if not token.startswith(prefix):
                        continue
                    digits, underscore, rest = token[len(prefix):].partition("_")
                    if not digits.lstrip("-").isdigit():
                        continue
                    target = prefix + str(moved(int(digits), offset)) + underscore + rest
                    self.table[row, index] = ids.get(target, -1 if rejects_window else index)

    def moved(self, window, offset, fixed=None):
        """The window moved by `offset`, or None when a token would leave the vocabulary; tokens
        whose `fixed` flag is set (drum notes' key numbers) stay as they are."""
        result = self.table[offset + self.maximum, window]
        if fixed is not None:
            result = np.where(fixed, window, result)
        return None if (result < 0).any() else result


def transposition_table(tokens, maximum):
    """Transposition: pitches and the header's key move by the same semitones."""
    return ShiftTable(tokens, maximum, [("Pitch_", True, lambda pitch, shift: pitch + shift),
                                        ("Key_", True, lambda tonic, shift: (tonic + shift) % 12)])


def tempo_stretch_table(tokens, maximum):
    """TempoStretch: every tempo moves by the same buckets, clamped to the vocabulary's range."""
    buckets = sum(1 for token in tokens if token.startswith("Tempo_"))
    return ShiftTable(tokens, maximum, [("Tempo_", False, lambda bucket, by: min(max(bucket + by, 0), buckets - 1))])


def unit_draw(random):
    """A uniform double in [0, 1) from 53 bits of the stream, as Tunesmith draws probabilities."""
    return (random.next() >> 11) * 2.0 ** -53


def _header(tokens, ids):
    """A piece's header tokens: what stands before its first `Bar` (within its first 64 ids)."""
    header = [tokens[i] for i in ids[:64]]
    return header[:header.index("Bar")] if "Bar" in header else header


def training_keys(dataset):
    """TrainingKeys: how often each key opens the training pieces, by style (their `Style_` and
    `Key_` header tokens, before the first `Bar`), as run.json's trainingKeys; None without
    keys (a `notes` dataset)."""
    tokens = dataset.vocabulary["tokens"]
    split = dataset.splits["train"]
    tally = {}
    for piece in range(len(split.pieces)):
        header = _header(tokens, split.sequence(piece))
        style = next((t[len("Style_"):] for t in header if t.startswith("Style_")), None)
        key = next((t for t in header if t.startswith("Key_")), None)
        if key is not None:
            tally[(style, key)] = tally.get((style, key), 0) + 1
    if not tally:
        return None
    counts = sorted(tally.items(), key=lambda item: (item[0][0] or "", item[0][1]))
    return {"counts": [{**({"style": style} if style is not None else {}), "key": key, "pieces": pieces}
                       for (style, key), pieces in counts]}


def training_polyphony(dataset):
    """TrainingPolyphony: each training piece's median bar texture (its `Polyphony_` tokens,
    bars without an onset left out; the lower of the middle two), counted by style, as run.json's
    trainingPolyphony; None when no bar names one (a `notes` dataset, `events` before version 5)."""
    tokens = dataset.vocabulary["tokens"]
    level_of = {index: int(token[len("Polyphony_"):]) for index, token in enumerate(tokens)
                if token.startswith("Polyphony_")}
    split = dataset.splits["train"]
    tally = {}
    for piece in range(len(split.pieces)):
        ids = split.sequence(piece)
        levels = sorted(level_of[i] for i in ids if i in level_of and level_of[i] > 0)
        if not levels:
            continue
        style = next((t[len("Style_"):] for t in _header(tokens, ids) if t.startswith("Style_")), None)
        level = levels[(len(levels) - 1) // 2]
        tally[(style, level)] = tally.get((style, level), 0) + 1
    if not tally:
        return None
    counts = sorted(tally.items(), key=lambda item: (item[0][0] or "", item[0][1]))
    return {"counts": [{**({"style": style} if style is not None else {}), "level": level, "pieces": pieces}
                       for (style, level), pieces in counts]}


class EventsVocabulary:
    """The ids of the `events` tokens the sampler reads (Bar, End, the infilling markers, the
    instruments and pitches), or None for each the vocabulary lacks."""

    def __init__(self, tokens):
        ids = {token: index for index, token in enumerate(tokens)}
        self.bar, self.end, self.drums = ids.get("Bar"), ids.get("End"), ids.get("Drums")
        self.fill_hole, self.fill_start, self.fill_end = ids.get("FillHole"), ids.get("FillStart"), ids.get("FillEnd")
        instruments = [ids[t] for t in [f"Program_{p}" for p in range(128)] + ["Drums"] if t in ids]
        pitches = [ids[t] for t in [f"Pitch_{p}" for p in range(128)] if t in ids]
        self.is_instrument = np.zeros(len(tokens), dtype=bool)
        self.is_instrument[instruments] = True
        self.is_pitch = np.zeros(len(tokens), dtype=bool)
        self.is_pitch[pitches] = True

    def drum_flags(self, sequence):
        """DrumKeys: which ids are drum notes' key numbers (pitches after a `Drums` in the body, up
        to the next instrument token), or None when the piece has no drums."""
        if self.drums is None or not (sequence == self.drums).any():
            return None
        positions = np.arange(len(sequence))
        bars = np.flatnonzero(sequence == self.bar)
        body = positions >= (bars[0] if len(bars) else len(sequence))
        # The latest instrument token of the body at or before each id says what plays it.
        latest = np.maximum.accumulate(np.where(self.is_instrument[sequence] & body, positions, -1))
        playing_drums = (latest >= 0) & (sequence[np.maximum(latest, 0)] == self.drums)
        return playing_drums & self.is_pitch[sequence]


class HeaderDropout:
    """HeaderDropout: every window opens with its piece's header, the whole header dropped with
    probability 0.2, else each of its tokens with probability 0.2."""

    WHOLE_HEADER = 0.2
    EACH_TOKEN = 0.2

    @classmethod
    def window(cls, sequence, header_length, start, context, drums, random):
        """(ids, drum flags or None): `context` + 1 ids of `sequence` from `start`, header first."""
        plain = np.asarray(sequence[start:start + context + 1], dtype=np.int64)
        plain_drums = None if drums is None else drums[start:start + context + 1]
        if header_length == 0:
            return plain, plain_drums
        kept = []
        if unit_draw(random) >= cls.WHOLE_HEADER:
            kept = [token for token in np.asarray(sequence[:header_length]).tolist()
                    if unit_draw(random) >= cls.EACH_TOKEN]
        body_length = context + 1 - len(kept)
        if len(sequence) - header_length < body_length:
            return plain, plain_drums
        body_start = min(max(start, header_length), len(sequence) - body_length)
        body = np.asarray(sequence[body_start:body_start + body_length], dtype=np.int64)
        ids = np.concatenate((np.array(kept, dtype=np.int64), body))
        if drums is None:
            return ids, None
        return ids, np.concatenate((np.zeros(len(kept), dtype=bool), drums[body_start:body_start + body_length]))


class BarInfill:
    """BarInfill: a window becomes a fill example, whole bars inside it cut out (each leaving
    `Bar FillHole`) and written after the piece's `End`, between `FillStart` and `FillEnd`."""

    LONGEST_HOLE = 4

    def __init__(self, vocabulary, share):
        self.share = share
        self.v = vocabulary

    @classmethod
    def make(cls, vocabulary, share):
        """None when the share is 0 or the vocabulary has no infilling markers."""
        v = vocabulary
        if share <= 0 or None in (v.bar, v.end, v.fill_hole, v.fill_start, v.fill_end):
            return None
        return cls(vocabulary, share)

    def example(self, sequence, start, length, random):
        """The fill example of `length` ids masking bars wholly inside sequence[start:start + length],
        or None when there is no whole bar or too little music before the hole."""
        v = self.v
        sequence = np.asarray(sequence, dtype=np.int64)
        stop = min(start + length, len(sequence))
        ends = np.flatnonzero(sequence == v.end)
        piece_end = int(ends[0]) if len(ends) else len(sequence)
        bar_starts = np.flatnonzero(sequence == v.bar).tolist()
        whole = []
        for index, first in enumerate(bar_starts):
            if first < start:
                continue
            last = bar_starts[index + 1] if index + 1 < len(bar_starts) else piece_end
            if last > stop or last > piece_end:
                break
            whole.append((first, last))
        if not whole:
            return None
        hole_bars = 1 + random.next() % min(self.LONGEST_HOLE, len(whole))
        first = random.next() % (len(whole) - hole_bars + 1)
        masked = (whole[first][0], whole[first + hole_bars - 1][1])
        tail = np.concatenate((
            np.array([v.bar, v.fill_hole] * hole_bars, dtype=np.int64), sequence[masked[1]:whole[-1][1]],
            np.array([v.end, v.fill_start], dtype=np.int64), sequence[masked[0]:masked[1]],
            np.array([v.fill_end], dtype=np.int64)))
        before = length - len(tail)
        if before < length // 4 or masked[0] < before:
            return None
        return np.concatenate((sequence[masked[0] - before:masked[0]], tail))


class WindowSampler:
    """Training windows of `context` + 1 tokens drawn as Tunesmith's trainer draws them
    (TrainingRun.fillBatch): a window, its header with tokens dropped, with probability
    `infill_share` a fill example instead, then a transposition and a tempo stretch, each drawn
    from the one xoshiro stream in that order. Every rank draws the whole global batch from the
    stream and keeps its own rows, so a run's batches do not depend on how many processes share them."""

    def __init__(self, dataset, context, seed, transpose=0, tempo_stretch=0, infill_share=0.0, state=None):
        self.context = context
        self.split = dataset.splits["train"]
        counts = np.array([max(0, length - context) for _, _, length in self.split.pieces], dtype=np.int64)
        self.window_starts = np.concatenate(([0], np.cumsum(counts)))
        self.window_count = int(self.window_starts[-1])
        self.random = SeededRandom(state=state) if state else SeededRandom(seed ^ SAMPLER_SALT)
        tokens = dataset.vocabulary["tokens"]
        events = dataset.tokenizer == "events"
        self.vocabulary = EventsVocabulary(tokens) if events else None
        self.transposition = transposition_table(tokens, transpose) if events and transpose > 0 else None
        self.stretch = tempo_stretch_table(tokens, tempo_stretch) if events and tempo_stretch > 0 else None
        self.infill = BarInfill.make(self.vocabulary, infill_share) if events else None
        self.header_lengths = [self.header_length(piece) for piece in range(len(self.split.pieces))]
        self.drums = {}

    def header_length(self, piece):
        """Dataset.headerLengths: the ids before the first `Bar` (0 without one, or for `notes`)."""
        if self.vocabulary is None or self.vocabulary.bar is None:
            return 0
        bars = np.flatnonzero(np.asarray(self.split.sequence(piece)) == self.vocabulary.bar)
        return int(bars[0]) if len(bars) else 0

    def drum_flags(self, piece):
        if self.vocabulary is None:
            return None
        if piece not in self.drums:
            self.drums[piece] = self.vocabulary.drum_flags(np.asarray(self.split.sequence(piece)))
        return self.drums[piece]

    def draw(self):
        """One training window, augmented, as `context` + 1 ids."""
        index = self.random.next() % self.window_count
        piece = int(np.searchsorted(self.window_starts, index, side="right")) - 1
        start = index - int(self.window_starts[piece])
        sequence = self.split.sequence(piece)
        window, drums = HeaderDropout.window(
            sequence, self.header_lengths[piece], start, self.context, self.drum_flags(piece), self.random)
        if self.infill is not None and unit_draw(self.random) < self.infill.share:
            example = self.infill.example(sequence, start, self.context + 1, self.random)
            if example is not None:
                # Drum flags follow the plain window; a fill example's drum notes move with the rest.
                window, drums = example, None
        if self.transposition is not None:
            maximum = self.transposition.maximum
            moved = self.transposition.moved(window, self.random.next() % (2 * maximum + 1) - maximum, drums)
            if moved is not None:
                window = moved
        if self.stretch is not None:
            maximum = self.stretch.maximum
            window = self.stretch.moved(window, self.random.next() % (2 * maximum + 1) - maximum)
        return window

    def batch(self, rows, rank=0, world=1):
        """(tokens, targets), each (rows, context) int64: this rank's rows of a global batch of rows × world."""
        windows = [window for row, window in enumerate(self.draw() for _ in range(rows * world))
                   if rank * rows <= row < (rank + 1) * rows]
        stacked = np.stack(windows)
        return stacked[:, :-1], stacked[:, 1:]


def validation_windows(dataset, context, limit):
    """(piece, start) of every held-out window of the validation pieces (stride 1), or `limit`
    of them evenly spread when there are more: each is scored on the token after it."""
    split = dataset.splits["validation"]
    windows = [(piece, start) for piece, (_, _, length) in enumerate(split.pieces)
               for start in range(max(0, length - context))]
    if len(windows) > limit:
        windows = [windows[int(i)] for i in np.linspace(0, len(windows) - 1, limit)]
    return windows


def validation_bits_per_note(dataset, nats_per_token):
    """Dataset.validationBitsPerNote: a mean loss per token in bits per pitched note, by the
    validation pieces' tokens per note."""
    split = dataset.splits["validation"]
    notes_per_id = dataset.notes_per_token()
    notes = sum(int(notes_per_id[np.asarray(split.sequence(piece))].sum()) for piece in range(len(split.pieces)))
    tokens = split.token_count
    return nats_per_token * tokens / math.log(2) / notes if notes else math.nan
