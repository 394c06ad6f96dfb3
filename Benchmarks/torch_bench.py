"""PyTorch anchor for TrainBench: the same shapes and the same training step (forward,
backward, clip_grad_norm_, AdamW) on the CPU. Prints one JSON line."""
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LSTMModel(nn.Module):
    def __init__(self, vocab, embedding, hidden, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.lstm = nn.LSTM(embedding, hidden, layers, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, tokens):
        return self.head(self.lstm(self.embedding(tokens))[0])


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


class MLP(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, 4 * width)
        self.proj = nn.Linear(4 * width, width)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = MLP(width)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Transformer(nn.Module):
    def __init__(self, vocab, width, layers, heads, context):
        super().__init__()
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(context, width)
        self.h = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)

    def forward(self, tokens):
        x = self.wte(tokens) + self.wpe(torch.arange(tokens.shape[1]))
        for block in self.h:
            x = block(x)
        return self.head(self.ln_f(x))


class WaveNetBlock(nn.Module):
    def __init__(self, channels, skip, dilation):
        super().__init__()
        self.dilation = dilation
        self.conv = nn.Conv1d(channels, 2 * channels, 2, dilation=dilation)
        self.residual = nn.Conv1d(channels, channels, 1)
        self.skip = nn.Conv1d(channels, skip, 1)

    def forward(self, x):
        filter_, gate = self.conv(F.pad(x, (self.dilation, 0))).chunk(2, dim=1)
        z = torch.tanh(filter_) * torch.sigmoid(gate)
        return x + self.residual(z), self.skip(z)


class WaveNet(nn.Module):
    def __init__(self, vocab, channels, skip, blocks):
        super().__init__()
        self.embedding = nn.Embedding(vocab, channels)
        self.blocks = nn.ModuleList(WaveNetBlock(channels, skip, 2 ** (i % 8)) for i in range(blocks))
        self.output = nn.Conv1d(skip, skip, 1)
        self.head = nn.Conv1d(skip, vocab, 1)

    def forward(self, tokens):
        x = self.embedding(tokens).transpose(1, 2)
        total = 0
        for block in self.blocks:
            x, s = block(x)
            total = total + s
        return self.head(F.relu(self.output(F.relu(total)))).transpose(1, 2)


SHAPES = {
    "lstm": (lambda: LSTMModel(512, 512, 512, 2), 64, 64),
    "transformer": (lambda: Transformer(512, 256, 4, 4, 512), 16, 256),
    "wavenet": (lambda: WaveNet(512, 128, 256, 8), 16, 256),
}


def from_tunesmith(name, tensors):
    """Tunesmith's state dict in this module's terms: the LSTM and Transformer use the same
    names and layouts; WaveNet convolutions are stored (K, out, in) and 1x1 convs as matrices."""
    if name != "wavenet":
        return tensors
    converted = {}
    for key, value in tensors.items():
        if key.endswith("conv.weight"):
            value = value.permute(1, 2, 0)
        elif value.dim() == 2 and not key.startswith("embedding"):
            value = value.unsqueeze(-1)
        converted[key] = value
    return converted


def verify(name, directory):
    """Loads a checkpoint written by TrainBench --export and recomputes its loss."""
    from safetensors.torch import load_file
    build, _, _ = SHAPES[name]
    model = build()
    model.load_state_dict(from_tunesmith(name, load_file(f"{directory}/model.safetensors")), strict=True)
    batch = load_file(f"{directory}/batch.safetensors")
    with open(f"{directory}/batch.safetensors", "rb") as handle:
        header = json.loads(handle.read(int.from_bytes(handle.read(8), "little")))
    expected = float(header["__metadata__"]["loss"])
    with torch.no_grad():
        logits = model(batch["tokens"].long())
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["targets"].long().reshape(-1)).item()
    agrees = abs(loss - expected) <= 1e-4 * abs(expected)
    print(json.dumps({"model": name, "checkpoint_loads_in_pytorch": True, "tunesmith_loss": expected,
                      "pytorch_loss": loss, "agrees": agrees}, sort_keys=True))
    sys.exit(0 if agrees else 1)


def main():
    if sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3])
    name = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    build, batch, time_steps = SHAPES[name]
    model = build()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    tokens = torch.randint(0, 512, (batch, time_steps))
    targets = torch.randint(0, 512, (batch, time_steps))

    def step():
        optimizer.zero_grad(set_to_none=True)
        logits = model(tokens)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    for _ in range(3):
        step()
    steps, start = 0, time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds or steps < 5:
        loss = step()
        steps += 1
        elapsed = time.perf_counter() - start
    print(json.dumps({
        "engine": "pytorch", "torch": torch.__version__, "threads": threads, "model": name,
        "batch": batch, "time": time_steps, "parameters": sum(p.numel() for p in model.parameters()),
        "steps": steps, "seconds": elapsed, "tokens_per_second": steps * batch * time_steps / elapsed,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "final_loss": loss,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
