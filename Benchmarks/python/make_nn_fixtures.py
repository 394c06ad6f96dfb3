"""Writes the PyTorch parity dumps that Tests/GenerationTests/PyTorchFixtureTests.swift
checks the Generation kernels against: forward values and gradients of small layers,
each a safetensors file whose metadata holds the dimensions (as strings) and a `doc`
saying what was computed, plus MANIFEST.json listing the files.

usage: make_nn_fixtures.py OUTPUT_DIR [--seed N] [--inputs-from DIR]

--inputs-from DIR takes the inputs (weights, x, tokens, targets, AdamW's gradients) from
an earlier set of dumps instead of drawing them, recomputes every output and gradient,
and compares each tensor with DIR's: the way to check that this script still makes the
dumps the tests were written against. Exit status 1 when any tensor differs.
"""
import argparse
import inspect
import json
import math
import pathlib
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, safe_open, save_file

B, T, V = 3, 7, 11


class Inputs:
    """Draws fresh inputs from a seeded generator, or hands back an earlier dump's."""

    def __init__(self, seed, earlier=None):
        self.generator = torch.Generator().manual_seed(seed)
        self.earlier = earlier

    def normal(self, name, *shape, scale=1.0, mean=0.0):
        if self.earlier is not None:
            return self.earlier[name].clone()
        return mean + scale * torch.randn(*shape, generator=self.generator)

    def tokens(self, name, *shape):
        if self.earlier is not None:
            return self.earlier[name].clone()
        return torch.randint(0, V, shape, generator=self.generator, dtype=torch.int32)


def leaves(*tensors):
    for tensor in tensors:
        tensor.requires_grad_(True)


def embedding_ce(inputs):
    """x=wte[tokens]; logits=x@w^T+b; loss=mean CE(logits, targets)"""
    C = 5
    tokens, targets = inputs.tokens("tokens", B, T), inputs.tokens("targets", B, T)
    wte, w = inputs.normal("wte", V, C, scale=0.3), inputs.normal("w", V, C, scale=0.3)
    b = inputs.normal("b", V, scale=0.3)
    leaves(wte, w, b)
    logits = wte[tokens.long()] @ w.T + b
    logits.retain_grad()
    loss = F.cross_entropy(logits.reshape(-1, V), targets.long().reshape(-1))
    loss.backward()
    tensors = {"tokens": tokens, "targets": targets, "wte": wte, "w": w, "b": b, "logits": logits,
               "loss": loss.reshape(1), "grad.logits": logits.grad, "grad.w": w.grad, "grad.b": b.grad,
               "grad.wte": wte.grad}
    return tensors, {"B": B, "T": T, "V": V, "C": C}


def lstm2(inputs):
    """Two stacked LSTM layers (PyTorch semantics, gate order i,f,g,o), then a linear head.

    h_t, c_t start at zero. weight_ih_l{k} (4H, I), weight_hh_l{k} (4H, H), bias_ih_l{k}, bias_hh_l{k} (4H).
    logits = h2 @ w_out^T + b_out ; loss = mean CE over B*T.
    """
    I, H = 6, 8
    x = inputs.normal("x", B, T, I)
    lstm = torch.nn.LSTM(I, H, num_layers=2, batch_first=True)
    weights = {}
    for layer in range(2):
        width = I if layer == 0 else H
        for name, shape in [("weight_ih", (4 * H, width)), ("weight_hh", (4 * H, H)), ("bias_ih", (4 * H,)),
                            ("bias_hh", (4 * H,))]:
            key = f"{name}_l{layer}"
            weights[key] = inputs.normal(key, *shape, scale=0.3)
            getattr(lstm, key).data.copy_(weights[key])
    w_out, b_out = inputs.normal("w_out", V, H, scale=0.3), inputs.normal("b_out", V, scale=0.3)
    targets = inputs.tokens("targets", B, T)
    leaves(x, w_out, b_out)
    h, _ = lstm(x)
    h.retain_grad()
    loss = F.cross_entropy((h @ w_out.T + b_out).reshape(-1, V), targets.long().reshape(-1))
    loss.backward()
    tensors = {"x": x, "targets": targets, "w_out": w_out, "b_out": b_out, "h": h, "loss": loss.reshape(1),
               "grad.h": h.grad, "grad.x": x.grad, "grad.w_out": w_out.grad, "grad.b_out": b_out.grad}
    for key, value in weights.items():
        tensors[key] = value
        tensors["grad." + key] = getattr(lstm, key).grad
    return tensors, {"B": B, "T": T, "I": I, "H": H, "V": V}


def wavenet_block(inputs):
    """One gated residual block of a causal WaveNet, layout (B, T, C).

    Causal dilated conv with kernel size K=2, dilation D: for tap k in 0..K-1 the input
    is x[t - (K-1-k)*D] (zero before t=0). filter = sum_k x_shift_k @ wf[k] + bf,
    gate = sum_k x_shift_k @ wg[k] + bg, z = tanh(filter) * sigmoid(gate),
    res = x + z @ wr + br, skip = z @ ws + bs. wf, wg: (K, C, C); wr, ws: (C, C) as (in, out).
    loss = mean CE(skip_relu @ w_out + b_out, targets) with skip_relu = relu(skip) and w_out (S, V)
    plus 0.5 * mean(res^2) so that both outputs carry gradient.
    """
    C, S, K, D = 6, 5, 2, 2
    x = inputs.normal("x", B, T, C)
    wf, wg = inputs.normal("wf", K, C, C, scale=0.3), inputs.normal("wg", K, C, C, scale=0.3)
    bf, bg = inputs.normal("bf", C, scale=0.3), inputs.normal("bg", C, scale=0.3)
    wr, br = inputs.normal("wr", C, C, scale=0.3), inputs.normal("br", C, scale=0.3)
    ws, bs = inputs.normal("ws", C, S, scale=0.3), inputs.normal("bs", S, scale=0.3)
    w_out, b_out = inputs.normal("w_out", S, V, scale=0.3), inputs.normal("b_out", V, scale=0.3)
    targets = inputs.tokens("targets", B, T)
    leaves(x, wf, wg, bf, bg, wr, br, ws, bs, w_out, b_out)
    filter_sum, gate_sum = bf, bg
    for tap in range(K):
        shift = (K - 1 - tap) * D
        shifted = F.pad(x, (0, 0, shift, 0))[:, :T, :]
        filter_sum = filter_sum + shifted @ wf[tap]
        gate_sum = gate_sum + shifted @ wg[tap]
    z = torch.tanh(filter_sum) * torch.sigmoid(gate_sum)
    res = x + z @ wr + br
    skip = z @ ws + bs
    for tensor in (z, res, skip):
        tensor.retain_grad()
    logits = torch.relu(skip) @ w_out + b_out
    loss = F.cross_entropy(logits.reshape(-1, V), targets.long().reshape(-1)) + 0.5 * (res ** 2).mean()
    loss.backward()
    tensors = {"x": x, "targets": targets, "z": z, "res": res, "skip": skip, "loss": loss.reshape(1),
               "grad.x": x.grad, "grad.z": z.grad, "grad.res": res.grad, "grad.skip": skip.grad}
    for name, value in [("wf", wf), ("wg", wg), ("bf", bf), ("bg", bg), ("wr", wr), ("br", br), ("ws", ws),
                        ("bs", bs), ("w_out", w_out), ("b_out", b_out)]:
        tensors[name] = value
        tensors["grad." + name] = value.grad
    return tensors, {"B": B, "T": T, "C": C, "S": S, "V": V, "K": K, "D": D}


def transformer_block(inputs):
    """One pre-LayerNorm GPT-style block with causal multi-head attention, layout (B, T, C).

    a = x + attn(ln1(x)) ; y = a + mlp(ln2(a)).
    ln(x) = (x - mean) / sqrt(var + 1e-5) * g + b  (biased variance over C).
    attn: qkv = h @ w_qkv + b_qkv (w_qkv (C, 3C): q, k, v in that order), NH heads of C/NH,
    scores scaled by 1/sqrt(C/NH), causal mask, softmax, heads concatenated, then @ w_proj + b_proj.
    mlp: gelu_tanh(h @ w_fc + b_fc) @ w_fc2 + b_fc2 with w_fc (C, 4C), w_fc2 (4C, C);
    gelu_tanh(u) = 0.5 u (1 + tanh(sqrt(2/pi) (u + 0.044715 u^3))).
    loss = mean CE(y @ w_out + b_out, targets), w_out (C, V).
    """
    C, NH = 8, 2
    head = C // NH
    x = inputs.normal("x", B, T, C)
    parameters = {
        "ln1_g": inputs.normal("ln1_g", C, scale=0.1, mean=1.0), "ln1_b": inputs.normal("ln1_b", C, scale=0.1),
        "w_qkv": inputs.normal("w_qkv", C, 3 * C, scale=0.3), "b_qkv": inputs.normal("b_qkv", 3 * C, scale=0.1),
        "w_proj": inputs.normal("w_proj", C, C, scale=0.3), "b_proj": inputs.normal("b_proj", C, scale=0.1),
        "ln2_g": inputs.normal("ln2_g", C, scale=0.1, mean=1.0), "ln2_b": inputs.normal("ln2_b", C, scale=0.1),
        "w_fc": inputs.normal("w_fc", C, 4 * C, scale=0.3), "b_fc": inputs.normal("b_fc", 4 * C, scale=0.1),
        "w_fc2": inputs.normal("w_fc2", 4 * C, C, scale=0.3), "b_fc2": inputs.normal("b_fc2", C, scale=0.1),
        "w_out": inputs.normal("w_out", C, V, scale=0.3), "b_out": inputs.normal("b_out", V, scale=0.3),
    }
    targets = inputs.tokens("targets", B, T)
    leaves(x, *parameters.values())
    p = parameters

    def layer_norm(value, gain, bias):
        mean = value.mean(-1, keepdim=True)
        variance = ((value - mean) ** 2).mean(-1, keepdim=True)
        return (value - mean) / torch.sqrt(variance + 1e-5) * gain + bias

    def heads(value):
        return value.reshape(B, T, NH, head).transpose(1, 2)

    q, k, v = (layer_norm(x, p["ln1_g"], p["ln1_b"]) @ p["w_qkv"] + p["b_qkv"]).split(C, dim=-1)
    scores = heads(q) @ heads(k).transpose(-2, -1) / math.sqrt(head)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    attention = torch.softmax(scores.masked_fill(~causal, float("-inf")), dim=-1) @ heads(v)
    a = x + attention.transpose(1, 2).reshape(B, T, C) @ p["w_proj"] + p["b_proj"]
    hidden = layer_norm(a, p["ln2_g"], p["ln2_b"]) @ p["w_fc"] + p["b_fc"]
    y = a + F.gelu(hidden, approximate="tanh") @ p["w_fc2"] + p["b_fc2"]
    a.retain_grad()
    y.retain_grad()
    loss = F.cross_entropy((y @ p["w_out"] + p["b_out"]).reshape(-1, V), targets.long().reshape(-1))
    loss.backward()
    tensors = {"x": x, "targets": targets, "a": a, "y": y, "loss": loss.reshape(1),
               "grad.x": x.grad, "grad.a": a.grad, "grad.y": y.grad}
    for name, value in parameters.items():
        tensors[name] = value
        tensors["grad." + name] = value.grad
    return tensors, {"B": B, "T": T, "C": C, "NH": NH, "V": V}


def adamw_steps(inputs):
    """Three AdamW steps (torch.optim.AdamW defaults but lr=0.01, weight_decay=0.1, betas (0.9, 0.999), eps 1e-8)
    on p with loss = sum(p * g_k) for the saved gradients g1, g2, g3; p0 initial, p3 final."""
    p0 = inputs.normal("p0", 4, 5)
    gradients = [inputs.normal(f"g{step}", 4, 5) for step in (1, 2, 3)]
    p = p0.clone().requires_grad_(True)
    optimizer = torch.optim.AdamW([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
    for gradient in gradients:
        optimizer.zero_grad()
        (p * gradient).sum().backward()
        optimizer.step()
    tensors = {"p0": p0, "p3": p, "g1": gradients[0], "g2": gradients[1], "g3": gradients[2]}
    return tensors, {}


FIXTURES = [adamw_steps, embedding_ce, lstm2, transformer_block, wavenet_block]


def normalised(metadata):
    """Python 3.13 strips a docstring's indentation; the dumps were made with an earlier one."""
    return {key: inspect.cleandoc(value) if key == "doc" else value for key, value in metadata.items()}


def worst_difference(actual, expected):
    """The largest |actual - expected| / (|expected| + 1e-2 max|expected|), the tests' measure."""
    actual, expected = actual.double(), expected.double()
    scale = expected.abs().max().item() if expected.numel() else 0.0
    return ((actual - expected).abs() / (expected.abs() + 1e-2 * scale + 1e-12)).max().item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inputs-from", type=pathlib.Path)
    # The kernel tests' own tolerance (expectClose): PyTorch versions differ in the last bits.
    parser.add_argument("--tolerance", type=float, default=1e-4)
    arguments = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    arguments.output.mkdir(parents=True, exist_ok=True)
    mismatches = 0
    for index, make in enumerate(FIXTURES):
        name = make.__name__
        earlier = load_file(arguments.inputs_from / f"{name}.safetensors") if arguments.inputs_from else None
        tensors, dimensions = make(Inputs(arguments.seed + index, earlier))
        tensors = {key: value.detach().contiguous() for key, value in tensors.items()}
        metadata = {"doc": make.__doc__, **{key: str(value) for key, value in dimensions.items()}}
        save_file(tensors, arguments.output / f"{name}.safetensors", metadata=metadata)
        if earlier is None:
            continue
        with safe_open(arguments.inputs_from / f"{name}.safetensors", framework="pt") as handle:
            if normalised(handle.metadata()) != normalised(metadata):
                print(f"{name}: metadata differs from the earlier dump's", file=sys.stderr)
                mismatches += 1
        worst = 0.0
        for key in sorted(set(earlier) | set(tensors)):
            if key not in earlier or key not in tensors:
                print(f"{name}: {key} is in only one of the two dumps", file=sys.stderr)
                mismatches += 1
            elif earlier[key].shape != tensors[key].shape or earlier[key].dtype != tensors[key].dtype:
                print(f"{name}: {key} is {tuple(tensors[key].shape)} {tensors[key].dtype}, "
                      f"the earlier dump's {tuple(earlier[key].shape)} {earlier[key].dtype}", file=sys.stderr)
                mismatches += 1
            else:
                difference = worst_difference(tensors[key], earlier[key])
                worst = max(worst, difference)
                if difference > arguments.tolerance:
                    print(f"{name}: {key} differs by {difference:.2e} (relative)", file=sys.stderr)
                    mismatches += 1
        print(f"{name}: {len(tensors)} tensors compared with {arguments.inputs_from}, "
              f"largest relative difference {worst:.1e}", file=sys.stderr)
    manifest = sorted(f"{make.__name__}.safetensors" for make in FIXTURES)
    (arguments.output / "MANIFEST.json").write_text(json.dumps(manifest, indent=1))
    print(f"wrote {len(manifest)} dumps and MANIFEST.json to {arguments.output}", file=sys.stderr)
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
