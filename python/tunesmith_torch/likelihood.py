"""python -m tunesmith_torch.likelihood --run RUNDIR FILE... [--json]

Scores whole pieces under a run's best model in PyTorch, with `tunesmith likelihood`'s
windows and units: every token after a piece's first scored once, windows of the run's
context, the first from the piece's start and the later ones --stride tokens apart, each
scoring the tokens that end it; nats per token and bits per pitched note. The MIDI files are
tokenised by the `tunesmith` binary itself (`export-dataset --unsplit --vocabulary`), so both
sides read exactly the same tokens; `--data DATADIR --split test` scores an exported split
without the binary."""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

from .data import DatasetFolder
from .errors import TunesmithTorchError, run_main
from .models import build_model, receptive_field
from .runfolder import RunFolder, load_model_weights, read_config


def plan(count, time_, stride):
    """ScoringWindow.plan: (start, first scored, end scored) windows scoring tokens 1..<count once."""
    if count <= 1:
        return []
    windows = [(0, 1, min(time_, count - 1) + 1)]
    while windows[-1][2] < count:
        start = windows[-1][0] + stride
        windows.append((start, windows[-1][2], min(start + time_, count - 1) + 1))
    return windows


def default_stride(time_, field):
    """ScoringWindow.defaultStride: each token sees at least 3/4 of the window, or all the model uses."""
    return max(1, time_ - min(field, time_ * 3 // 4) + 1)


def nats(sequence, model, time_, stride, batch, device):
    """−ln P of every scored token of `sequence`, padded windows of `time_` tokens, `batch` per pass."""
    windows = plan(len(sequence), time_, stride)
    result = []
    model.eval()
    with torch.no_grad():
        for first in range(0, len(windows), batch):
            chunk = windows[first:first + batch]
            rows = np.zeros((len(chunk), time_), dtype=np.int64)
            for row, (start, _, _) in enumerate(chunk):
                piece = sequence[start:start + time_]
                rows[row, :len(piece)] = piece
            log_probabilities = torch.log_softmax(model(torch.from_numpy(rows).to(device)).double(), dim=-1).cpu()
            for row, (start, low, high) in enumerate(chunk):
                targets = torch.arange(low, high)
                picked = log_probabilities[row, targets - start - 1, torch.from_numpy(sequence[low:high])]
                result.extend((-picked).tolist())
    return result


class Scorer:
    def __init__(self, run, stride=None, device="cpu"):
        self.folder = RunFolder(run)
        self.description = self.folder.read("run.json")
        self.vocabulary = self.folder.vocabulary()
        config = read_config(self.folder.best)
        self.model = build_model(config["model"]).to(device)
        load_model_weights(self.folder.best, self.model)
        options = self.description["options"]
        self.time, self.batch, self.device = options["context"], options["batch"], device
        self.stride = stride or default_stride(self.time, receptive_field(config["model"]))
        if not 1 <= self.stride <= self.time:
            raise TunesmithTorchError(f"--stride {self.stride}: give 1 to {self.time}, the run's window length")
        tokens = self.vocabulary["tokens"]
        events = self.vocabulary["tokenizer"] == "events"
        self.notes_per_id = np.array([(1 if t.startswith("Pitch_") else 0) if events else len(t.split("."))
                                      for t in tokens], dtype=np.int64)

    def score(self, sequence, file, unknown):
        """A piece's figures, as `tunesmith likelihood` prints them (PieceLikelihood)."""
        sequence = np.asarray(sequence, dtype=np.int64)
        if len(sequence) < 2:
            raise TunesmithTorchError(f"{file}: {len(sequence)} known tokens; nothing to score")
        total = sum(nats(sequence, self.model, self.time, self.stride, self.batch, self.device))
        notes = int(self.notes_per_id[sequence[1:]].sum())
        return {"file": file, "tokens": len(sequence) - 1, "notes": notes,
                "nats_per_token": total / (len(sequence) - 1),
                "bits_per_note": total / math.log(2) / notes if notes else math.nan, "unknown_tokens": unknown}


def find_tunesmith(given):
    for candidate in [given, os.environ.get("TUNESMITH"), shutil.which("tunesmith")]:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise TunesmithTorchError("no `tunesmith` binary to tokenise the files: pass --tunesmith PATH, set TUNESMITH, "
                              "or put it on PATH (swift build -c release --product tunesmith)")


def tokenised(files, run, tunesmith):
    """(file, ids, unknown tokens) for each file, tokenised by `tunesmith export-dataset` with the run's vocabulary."""
    tokenizer = RunFolder(run).vocabulary()["tokenizer"]
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "data")
        command = [tunesmith, "export-dataset", "--tokenizer", tokenizer, "--unsplit",
                   "--vocabulary", os.path.join(run, "vocabulary.json"), "--out", out]
        for file in files:
            command += ["--corpus", os.path.abspath(file)]
        finished = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if finished.returncode != 0:
            raise TunesmithTorchError(f"tokenising with {tunesmith} failed: {finished.stderr.strip()}")
        dataset = DatasetFolder(out)
        split = dataset.splits["all"]
        pieces = [piece for piece in dataset.manifest["pieces"] if piece["split"] == "all"]
        by_source = {piece["source"]: piece for piece in pieces}
        by_hash = {piece["sha256"]: piece for piece in pieces}
        results = []
        for file in files:
            piece = by_source.get(os.path.abspath(file))
            if piece is None:
                # A byte-identical copy of another file counts once in an export; score it as that one.
                import hashlib
                with open(file, "rb") as handle:
                    piece = by_hash.get(hashlib.sha256(handle.read()).hexdigest())
            if piece is None:
                raise TunesmithTorchError(f"{file}: could not be read as MIDI")
            results.append((file, np.array(split.sequence(piece["index"])), piece["unknown_tokens"]))
        return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tunesmith_torch.likelihood", description=__doc__.split("\n\n")[1])
    parser.add_argument("--run", required=True, help="run folder (Tunesmith's or tunesmith_torch.train's)")
    parser.add_argument("files", nargs="*", help="MIDI files")
    parser.add_argument("--data", help="an exported dataset to score instead of files (with --split)")
    parser.add_argument("--split", default="test", help="the split of --data to score (default test)")
    parser.add_argument("--stride", type=int)
    parser.add_argument("--tunesmith", help="the tunesmith binary that tokenises the files")
    parser.add_argument("--json", action="store_true", help="one JSON line per piece, then the total")
    args = parser.parse_args(argv)
    if not args.files and not args.data:
        parser.error("give MIDI files, or --data DATADIR")

    def run():
        started = time.time()
        scorer = Scorer(args.run, args.stride)
        if args.data:
            dataset = DatasetFolder(args.data)
            RunFolder(args.run).check_vocabulary(dataset.vocabulary, args.data)
            if args.split not in dataset.splits:
                raise TunesmithTorchError(f"--split {args.split}: {args.data} has {', '.join(dataset.splits)}")
            split = dataset.splits[args.split]
            placed = {piece["index"]: piece for piece in dataset.manifest["pieces"] if piece["split"] == args.split}
            inputs = [(placed[i]["source"], np.array(split.sequence(i)), placed[i]["unknown_tokens"])
                      for i in range(len(split.pieces))]
        else:
            inputs = tokenised(args.files, args.run, find_tunesmith(args.tunesmith))
        pieces = []
        for file, sequence, unknown in inputs:
            piece = scorer.score(sequence, file, unknown)
            pieces.append(piece)
            if args.json:
                print(json.dumps(piece, sort_keys=True), flush=True)
            else:
                print(f"{file}: {piece['tokens']} tokens, {piece['notes']} notes: {piece['nats_per_token']:.4f} "
                      f"nats/token, {piece['bits_per_note']:.3f} bits/note")
        tokens = sum(p["tokens"] for p in pieces)
        notes = sum(p["notes"] for p in pieces)
        total_nats = sum(p["nats_per_token"] * p["tokens"] for p in pieces)
        total = {"total": True, "files": len(pieces), "tokens": tokens, "notes": notes,
                 "nats_per_token": total_nats / tokens if tokens else math.nan,
                 "bits_per_note": total_nats / math.log(2) / notes if notes else math.nan,
                 "seconds": time.time() - started}
        if args.json:
            print(json.dumps(total, sort_keys=True))
        else:
            print(f"{len(pieces)} files, {tokens} tokens, {notes} notes: {total['nats_per_token']:.4f} nats/token, "
                  f"{total['bits_per_note']:.3f} bits/note")

    run_main(run)


if __name__ == "__main__":
    main(sys.argv[1:])
