"""The modules' state dicts are Tunesmith's checkpoints; the sampler is Tunesmith's stream."""

import os

import numpy as np
import torch

from tunesmith_torch.data import DatasetFolder, SeededRandom, WindowSampler
from tunesmith_torch.models import build_model, model_config
from tunesmith_torch.runfolder import load_model_weights, read_config, save_model

# TrainingOptions.modelConfig's parameter names for a 2-block rotary Transformer.
TRANSFORMER_NAMES = {"wte.weight", "ln_f.weight", "ln_f.bias", "head.weight"} | {
    f"h.{layer}.{name}" for layer in range(2) for name in (
        "ln1.weight", "ln1.bias", "attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias",
        "ln2.weight", "ln2.bias", "mlp.fc.weight", "mlp.fc.bias", "mlp.proj.weight", "mlp.proj.bias")}


def test_parameter_names_and_layouts_are_tunesmiths():
    transformer = build_model(model_config("transformer", 50, width=16, layers=2, context=8))
    assert set(transformer.state_dict()) == TRANSFORMER_NAMES
    assert transformer.state_dict()["h.0.attn.qkv.weight"].shape == (48, 16)
    wavenet = build_model(model_config("wavenet", 50, width=8, layers=3))
    assert wavenet.state_dict()["blocks.2.conv.weight"].shape == (2, 16, 8)
    assert wavenet.state_dict()["blocks.0.skip.weight"].shape == (16, 8)
    lstm = build_model(model_config("lstm", 50, width=8, layers=2))
    assert {"embedding.weight", "lstm.weight_ih_l1", "lstm.bias_hh_l0", "head.bias"} <= set(lstm.state_dict())


def test_models_are_causal_and_round_trip_through_a_checkpoint(tmp_path):
    for kind in ("transformer", "lstm", "wavenet"):
        config = model_config(kind, 40, width=8, layers=2, context=12)
        torch.manual_seed(0)
        model = build_model(config).eval()
        tokens = torch.randint(0, 40, (2, 12))
        changed = tokens.clone()
        changed[:, 7:] = (changed[:, 7:] + 1) % 40
        with torch.no_grad():
            assert torch.allclose(model(tokens)[:, :7], model(changed)[:, :7], atol=1e-6), kind
            assert not torch.allclose(model(tokens)[:, 7:], model(changed)[:, 7:]), kind
        save_model(str(tmp_path / kind), model, config)
        again = build_model(read_config(str(tmp_path / kind))["model"]).eval()
        load_model_weights(str(tmp_path / kind), again)
        with torch.no_grad():
            assert torch.equal(model(tokens), again(tokens)), kind


def test_seeded_random_is_xoshiro256_starstar_with_splitmix_seeding():
    # Reference values from the algorithms' definitions (Vigna's xoshiro256** and splitmix64),
    # computed independently with numpy's uint64 arithmetic.
    def splitmix(seed):
        mixer, out = np.uint64(seed), []
        with np.errstate(over="ignore"):
            for _ in range(4):
                mixer = mixer + np.uint64(0x9E3779B97F4A7C15)
                z = mixer
                z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
                z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
                out.append(int(z ^ (z >> np.uint64(31))))
        return out

    random = SeededRandom(42)
    assert random.state == splitmix(42)
    s = [np.uint64(word) for word in random.state]
    with np.errstate(over="ignore"):
        rotl = lambda x, k: (x << np.uint64(k)) | (x >> np.uint64(64 - k))
        expected = int(rotl(s[1] * np.uint64(5), 7) * np.uint64(9))
    assert random.next() == expected


def test_sampler_windows_come_from_training_pieces_and_transpose_pitches(dataset):
    data = DatasetFolder(dataset)
    plain = WindowSampler(data, 16, seed=3)
    moved = WindowSampler(data, 16, seed=3, transpose=3)
    split = data.splits["train"]
    sequences = [np.asarray(split.sequence(i)) for i in range(len(split.pieces))]
    tokens, targets = plain.batch(6)
    assert tokens.shape == targets.shape == (6, 16)
    assert (tokens[:, 1:] == targets[:, :-1]).all()
    # Past the header's kept tokens (at most the longest header), a window is a run of a training piece.
    header = max(plain.header_lengths)
    assert 0 < header < 8
    for row in np.concatenate([tokens, targets[:, -1:]], axis=1):
        body = row[header:]
        assert any(any((sequence[start:start + len(body)] == body).all()
                       for start in range(len(sequence) - len(body) + 1)) for sequence in sequences)
    names = data.vocabulary["tokens"]
    window = np.asarray(split.sequence(0)[:17], dtype=np.int64)
    assert any(names[token].startswith("Key_") for token in window)
    up = moved.transposition.moved(window, 2)
    for before, after in zip(window, up):
        if names[before].startswith("Pitch_"):
            assert names[after] == f"Pitch_{int(names[before][6:]) + 2}"
        elif names[before].startswith("Key_"):
            tonic, mode = names[before][4:].split("_")
            assert names[after] == f"Key_{(int(tonic) + 2) % 12}_{mode}"
        else:
            assert after == before
    stretched = WindowSampler(data, 16, seed=3, tempo_stretch=1).stretch.moved(window, -1)
    for before, after in zip(window, stretched):
        if names[before].startswith("Tempo_"):
            assert names[after] == f"Tempo_{max(0, int(names[before][6:]) - 1)}"
        else:
            assert after == before
