"""Tunesmith's three networks as nn.Modules whose state dicts are Tunesmith's checkpoints:
the same parameter names, shapes and (out, in) layouts as `model.safetensors`, so
`load_state_dict(..., strict=True)` reads a Tunesmith checkpoint and `state_dict()` writes
one. See Sources/Generation/Models (TransformerModel, LSTMModel, WaveNetModel)."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

ROTARY_BASE = 10_000.0


def model_config(kind, vocabulary_size, width=None, layers=None, context=64, dropout=0.0):
    """The ModelConfig `tunesmith train` makes from the same options (TrainingOptions.modelConfig)."""
    if kind == "lstm":
        width = width or 256
        return {"kind": "lstm", "vocabularySize": vocabulary_size, "channels": width, "hidden": width,
                "layers": layers or 2, "heads": 1, "context": 4096, "dropout": dropout}
    if kind == "wavenet":
        channels = width or 128
        return {"kind": "wavenet", "vocabularySize": vocabulary_size, "channels": channels, "hidden": 2 * channels,
                "layers": layers or 8, "heads": 1, "context": 4096, "dropout": 0.0}
    if kind == "transformer":
        width = width or 128
        return {"kind": "transformer", "vocabularySize": vocabulary_size, "channels": width, "hidden": 4 * width,
                "layers": layers or 4, "heads": max(1, width // 64), "context": context, "dropout": dropout,
                "positions": "rotary"}
    raise ValueError(f"unknown model kind {kind}")


def build_model(config):
    """An nn.Module for a checkpoint's ModelConfig (config.json's `model`)."""
    kind = config["kind"]
    if kind == "transformer":
        return Transformer(config)
    if kind == "lstm":
        return LSTMModel(config)
    if kind == "wavenet":
        return WaveNet(config)
    raise ValueError(f"a {kind} model has no PyTorch definition (the Markov baseline is counted, not trained)")


def receptive_field(config):
    """Tokens a model can see back (ModelConfig.receptiveField), for likelihood's window stride."""
    if config["kind"] == "lstm":
        return math.inf
    if config["kind"] == "transformer":
        return config["context"]
    return 1 + sum(WaveNet.dilation(block) for block in range(config["layers"]))


class LSTMModel(nn.Module):
    """embedding → nn.LSTM (dropout between layers) → linear head."""

    def __init__(self, config):
        super().__init__()
        vocabulary, embedding, hidden = config["vocabularySize"], config["channels"], config["hidden"]
        self.embedding = nn.Embedding(vocabulary, embedding)  # (V, E)
        self.lstm = nn.LSTM(embedding, hidden, config["layers"], batch_first=True, dropout=config["dropout"])
        self.head = nn.Linear(hidden, vocabulary)  # (V, H), (V)
        bound = 1 / math.sqrt(hidden)
        nn.init.normal_(self.embedding.weight)
        for parameter in [*self.lstm.parameters(), *self.head.parameters()]:
            nn.init.uniform_(parameter, -bound, bound)

    def forward(self, tokens):  # (B, T) → (B, T, V)
        return self.head(self.lstm(self.embedding(tokens))[0])


class WaveNetBlock(nn.Module):
    """Gated dilated causal convolution with residual and skip 1×1s. `conv.weight` is stored
    as Tunesmith stores it, (K, 2C, C): tap 0 reads `dilation` steps back, tap 1 the present."""

    kernel_size = 2

    def __init__(self, channels, skip, dilation):
        super().__init__()
        self.dilation = dilation
        self.conv = nn.Module()
        self.conv.weight = nn.Parameter(torch.empty(self.kernel_size, 2 * channels, channels))  # (K, 2C, C)
        self.conv.bias = nn.Parameter(torch.zeros(2 * channels))  # (2C)
        self.residual = nn.Linear(channels, channels)  # (C, C)
        self.skip = nn.Linear(channels, skip)  # (S, C)
        bound = 1 / math.sqrt(self.kernel_size * channels)
        nn.init.uniform_(self.conv.weight, -bound, bound)
        nn.init.uniform_(self.conv.bias, -bound, bound)

    def forward(self, x):  # (B, T, C) → residual (B, T, C), skip (B, T, S)
        weight = self.conv.weight.permute(1, 2, 0)  # (2C, C, K) as conv1d wants
        pre = F.conv1d(F.pad(x.transpose(1, 2), (self.dilation, 0)), weight, self.conv.bias, dilation=self.dilation)
        filter_, gate = pre.transpose(1, 2).chunk(2, dim=2)
        z = torch.tanh(filter_) * torch.sigmoid(gate)  # (B, T, C)
        return x + self.residual(z), self.skip(z)


class WaveNet(nn.Module):
    """embedding → gated blocks (dilations 1…128, repeating) → Σ skips → ReLU → 1×1 → ReLU → head."""

    @staticmethod
    def dilation(block):
        return 1 << (block % 8)

    def __init__(self, config):
        super().__init__()
        vocabulary, channels, skip = config["vocabularySize"], config["channels"], config["hidden"]
        self.embedding = nn.Embedding(vocabulary, channels)  # (V, C)
        self.blocks = nn.ModuleList(WaveNetBlock(channels, skip, self.dilation(i)) for i in range(config["layers"]))
        self.output = nn.Linear(skip, skip)  # (S, S)
        self.head = nn.Linear(skip, vocabulary)  # (V, S)
        nn.init.normal_(self.embedding.weight)

    def forward(self, tokens):  # (B, T) → (B, T, V)
        x = self.embedding(tokens)
        total = 0
        for block in self.blocks:
            x, skip = block(x)
            total = total + skip
        return self.head(F.relu(self.output(F.relu(total))))


def rotate(x, positions):
    """Rotary positions as Tunesmith's Rotary: channel pairs (2i, 2i+1) of each head turned by
    position · 10000^(−2i/hs), angles in float64; an odd head size leaves its last channel."""
    head_size = x.shape[-1]
    pairs = head_size // 2
    exponents = torch.arange(pairs, dtype=torch.float64) * (-2.0 / head_size)
    angles = positions.to(torch.float64)[:, None] * torch.pow(torch.tensor(ROTARY_BASE, dtype=torch.float64), exponents)
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)  # (T, hs/2)
    paired = x[..., : 2 * pairs].unflatten(-1, (pairs, 2))
    first, second = paired[..., 0], paired[..., 1]
    turned = torch.stack((first * cos - second * sin, first * sin + second * cos), dim=-1).flatten(-2)
    return torch.cat((turned, x[..., 2 * pairs:]), dim=-1) if head_size % 2 else turned


class Attention(nn.Module):
    def __init__(self, width, heads, rotary, window, dropout):
        super().__init__()
        self.heads, self.rotary, self.window, self.dropout = heads, rotary, window, dropout
        self.qkv = nn.Linear(width, 3 * width)  # (3C, C), (3C)
        self.proj = nn.Linear(width, width)  # (C, C), (C)

    def forward(self, x):  # (B, T, C) → (B, T, C)
        b, t, c = x.shape
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in self.qkv(x).split(c, dim=2))
        if self.rotary:
            positions = torch.arange(t, device=x.device)
            q, k = rotate(q, positions), rotate(k, positions)
        if t <= self.window:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            # Past the context each query sees the last `window` keys, as Tunesmith's CausalAttention.
            rows = torch.arange(t, device=x.device)
            offsets = rows[:, None] - rows[None, :]
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=(offsets >= 0) & (offsets < self.window))
        y = F.dropout(y.transpose(1, 2).reshape(b, t, c), self.dropout, self.training)
        return self.proj(y)


class MLP(nn.Module):
    def __init__(self, width, dropout):
        super().__init__()
        self.dropout = dropout
        self.fc = nn.Linear(width, 4 * width)  # (4C, C), (4C)
        self.proj = nn.Linear(4 * width, width)  # (C, 4C), (C)

    def forward(self, x):
        return self.proj(F.dropout(F.gelu(self.fc(x), approximate="tanh"), self.dropout, self.training))


class Block(nn.Module):
    def __init__(self, width, heads, rotary, window, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads, rotary, window, dropout)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = MLP(width, dropout)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Transformer(nn.Module):
    """Pre-LayerNorm GPT: wte (+ wpe when positions are learned) → blocks → ln_f → head (no bias)."""

    def __init__(self, config):
        super().__init__()
        vocabulary, width, layers = config["vocabularySize"], config["channels"], config["layers"]
        self.rotary = config.get("positions", "learned") == "rotary"
        self.wte = nn.Embedding(vocabulary, width)  # (V, C)
        if not self.rotary:
            self.wpe = nn.Embedding(config["context"], width)  # (context, C)
        self.h = nn.ModuleList(
            Block(width, config["heads"], self.rotary, config["context"], config["dropout"]) for _ in range(layers))
        self.ln_f = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocabulary, bias=False)  # (V, C)
        residual_scale = 1 / math.sqrt(2 * layers)
        for name, parameter in self.named_parameters():
            if parameter.dim() >= 2:
                projection = name.endswith("attn.proj.weight") or name.endswith("mlp.proj.weight")
                nn.init.normal_(parameter, std=0.02 * (residual_scale if projection else 1))
            elif name.endswith(".bias"):
                nn.init.zeros_(parameter)

    def forward(self, tokens):  # (B, T) → (B, T, V)
        x = self.wte(tokens)
        if not self.rotary:
            x = x + self.wpe(torch.arange(tokens.shape[1], device=tokens.device))
        for block in self.h:
            x = block(x)
        return self.head(self.ln_f(x))
