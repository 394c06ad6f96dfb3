"""A PyTorch + MidiTok REMI GPT beside Tunesmith's Transformer: same training pieces, same
wall-clock budget, bits per note on the same held-out test pieces.

Usage: remi_gpt.py TRAIN_LIST TEST_LIST MINUTES [--width 128 --layers 4 --context 512 --batch 8]
Prints one JSON line: {"model": "remi-gpt", "tokens", "notes", "nats_per_token", "bits_per_note", ...}.
Bits per note = total nats over the test pieces / ln 2 / their notes (REMI Pitch tokens; drums
are PitchDrum tokens, not counted), so it compares with Tunesmith's figure whatever either
vocabulary is. All tracks are one stream (Program tokens), as Tunesmith's events tokens hold them.
"""
import argparse
import json
import math
import sys
import time

import torch
from miditok import REMI, TokenizerConfig


def read_list(path):
    with open(path) as handle:
        return [line.strip() for line in handle if line.strip()]


def tokenize(tokenizer, paths):
    pieces = []
    for path in paths:
        try:
            sequence = tokenizer.encode(path)
        except Exception as error:  # an unreadable file is skipped, as Tunesmith skips it
            print(f"skipped {path}: {error}", file=sys.stderr)
            continue
        ids = sequence[0].ids if isinstance(sequence, list) else sequence.ids
        if len(ids) > 1:
            pieces.append(ids)
    return pieces


class GPT(torch.nn.Module):
    """Pre-LayerNorm decoder like Tunesmith's: learned positions, GELU MLP of 4 × width."""

    def __init__(self, vocabulary, width, layers, heads, context, dropout):
        super().__init__()
        self.tokens = torch.nn.Embedding(vocabulary, width)
        self.positions = torch.nn.Embedding(context, width)
        layer = torch.nn.TransformerEncoderLayer(width, heads, 4 * width, dropout, activation="gelu",
                                                 batch_first=True, norm_first=True)
        self.blocks = torch.nn.TransformerEncoder(layer, layers)
        self.norm = torch.nn.LayerNorm(width)
        self.head = torch.nn.Linear(width, vocabulary, bias=False)

    def forward(self, ids):
        time_steps = ids.shape[1]
        mask = torch.nn.Transformer.generate_square_subsequent_mask(time_steps)
        x = self.tokens(ids) + self.positions(torch.arange(time_steps))
        return self.head(self.norm(self.blocks(x, mask=mask, is_causal=True)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("train_list")
    parser.add_argument("test_list")
    parser.add_argument("minutes", type=float)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--context", type=int, default=512)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    torch.manual_seed(arguments.seed)

    # Every track in one stream, each note after its Program token: MidiTok's default config
    # encodes a track per sequence, and taking the first scored only each piece's first track.
    tokenizer = REMI(TokenizerConfig(use_programs=True, one_token_stream_for_programs=True))
    training = tokenize(tokenizer, read_list(arguments.train_list))
    test = tokenize(tokenizer, read_list(arguments.test_list))
    pitch_ids = {index for token, index in tokenizer.vocab.items() if token.startswith("Pitch_")}
    context = arguments.context
    stream = torch.tensor([token for piece in training for token in piece], dtype=torch.long)
    model = GPT(len(tokenizer), arguments.width, arguments.layers, max(1, arguments.width // 64), context, arguments.dropout)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.1)
    deadline = time.time() + arguments.minutes * 60
    steps = 0
    model.train()
    while time.time() < deadline:
        starts = torch.randint(0, len(stream) - context - 1, (arguments.batch,))
        batch = torch.stack([stream[start:start + context + 1] for start in starts])
        logits = model(batch[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        steps += 1

    # Every token after a piece's first is scored once, with up to `context` tokens before it.
    model.eval()
    nats, tokens, notes = 0.0, 0, 0
    with torch.no_grad():
        for piece in test:
            ids = torch.tensor(piece, dtype=torch.long)
            notes += sum(1 for token in piece if token in pitch_ids)
            for end in range(1, len(piece), context):
                window_end = min(end + context, len(piece))
                window_start = max(0, window_end - context - 1)
                window = ids[window_start:window_end]
                logits = model(window[:-1].unsqueeze(0))[0]
                losses = torch.nn.functional.cross_entropy(logits, window[1:], reduction="none")
                scored = window_end - end
                nats += losses[-scored:].sum().item()
                tokens += scored
    print(json.dumps({
        "model": "remi-gpt", "steps": steps, "training_pieces": len(training), "test_pieces": len(test),
        "tokens": tokens, "notes": notes, "nats_per_token": nats / max(tokens, 1),
        "bits_per_note": nats / math.log(2) / max(notes, 1),
        "parameters": sum(p.numel() for p in model.parameters()), "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
