"""A dataset folder written by `tunesmith export-dataset`, memory-mapped, and the training
windows Tunesmith's trainer draws from it: the same window list, the same xoshiro256** stream
from the same seed, the same transposition and tempo stretch (TrainingRun.fillBatch,
Transposition, TempoStretch, TokenShiftTable). A single process with Tunesmith's batch draws
exactly Tunesmith's batches."""

import json
import math
import os

import numpy as np

from .errors import TunesmithTorchError

MANIFEST_FORMAT = "tunesmith-dataset"
MANIFEST_VERSION = 1
# The tokenizer versions this package was written against (EventTokenizer.version and
# NoteTokenizer.version in Sources/Generation/Tokens); tests check them against `tunesmith`.
TOKENIZER_VERSIONS = {"events": 3, "notes": 1}
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


def read_json(path, what):
    try:
        with open(path) as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise TunesmithTorchError(f"{path}: missing; {what}") from None
    except (OSError, ValueError) as error:
        raise TunesmithTorchError(f"{path}: unreadable ({error}); {what}") from None


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
    """TokenShiftTable: each token's id after each offset in −maximum…maximum; −1 where the moved
    token is not in the vocabulary and the whole window must stay as written."""

    def __init__(self, tokens, maximum, prefix, moved, rejects_window):
        self.maximum = maximum
        ids = {token: index for index, token in enumerate(tokens)}
        self.table = np.empty((2 * maximum + 1, len(tokens)), dtype=np.int64)
        for row, offset in enumerate(range(-maximum, maximum + 1)):
            for index, token in enumerate(tokens):
                number = token[len(prefix):] if token.startswith(prefix) else None
                if number is not None and number.lstrip("-").isdigit():
                    fallback = -1 if rejects_window else index
                    self.table[row, index] = ids.get(prefix + str(moved(int(number), offset)), fallback)
                else:
                    self.table[row, index] = index

    def moved(self, window, offset):
        result = self.table[offset + self.maximum, window]
        return None if (result < 0).any() else result


class WindowSampler:
    """Training windows of `context` + 1 tokens drawn as Tunesmith's trainer draws them. Every
    rank draws the whole global batch from the one stream and keeps its own rows, so a run's
    batches do not depend on how many processes share them."""

    def __init__(self, dataset, context, seed, transpose=0, tempo_stretch=0, state=None):
        self.context = context
        self.split = dataset.splits["train"]
        counts = np.array([max(0, length - context) for _, _, length in self.split.pieces], dtype=np.int64)
        self.window_starts = np.concatenate(([0], np.cumsum(counts)))
        self.window_count = int(self.window_starts[-1])
        self.random = SeededRandom(state=state) if state else SeededRandom(seed ^ SAMPLER_SALT)
        tokens = dataset.vocabulary["tokens"]
        events = dataset.tokenizer == "events"
        self.transposition = ShiftTable(tokens, transpose, "Pitch_", lambda n, o: n + o, True) \
            if events and transpose > 0 else None
        tempo_buckets = sum(1 for token in tokens if token.startswith("Tempo_"))
        self.stretch = ShiftTable(
            tokens, tempo_stretch, "Tempo_", lambda n, o: min(max(n + o, 0), tempo_buckets - 1), False) \
            if events and tempo_stretch > 0 else None

    def window(self, index):
        piece = int(np.searchsorted(self.window_starts, index, side="right")) - 1
        start = index - int(self.window_starts[piece])
        return np.asarray(self.split.sequence(piece)[start:start + self.context + 1], dtype=np.int64)

    def batch(self, rows, rank=0, world=1):
        """(tokens, targets), each (rows, context) int64: this rank's rows of a global batch of rows × world."""
        windows = []
        for row in range(rows * world):
            window = self.window(self.random.next() % self.window_count)
            if self.transposition is not None:
                maximum = self.transposition.maximum
                shift = self.random.next() % (2 * maximum + 1) - maximum
                moved = self.transposition.moved(window, shift)
                if moved is not None:
                    window = moved
            if self.stretch is not None:
                maximum = self.stretch.maximum
                window = self.stretch.moved(window, self.random.next() % (2 * maximum + 1) - maximum)
            if rank * rows <= row < (rank + 1) * rows:
                windows.append(window)
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
