"""PyTorch anchor for TrainBench: the same shapes and the same training step (forward,
backward, clip_grad_norm_, AdamW) on the CPU. Prints one JSON line."""
import json
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F


# The models are the tunesmith_torch package's (python/), whose parameter names and layouts
# are Tunesmith's checkpoints: an exported checkpoint loads with strict=True as it is.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from tunesmith_torch.models import build_model  # noqa: E402

SHAPES = {
    "lstm": ({"kind": "lstm", "vocabularySize": 512, "channels": 512, "hidden": 512, "layers": 2,
              "heads": 1, "context": 4096, "dropout": 0.0}, 64, 64),
    "transformer": ({"kind": "transformer", "vocabularySize": 512, "channels": 256, "hidden": 1024, "layers": 4,
                     "heads": 4, "context": 512, "dropout": 0.0, "positions": "learned"}, 16, 256),
    "wavenet": ({"kind": "wavenet", "vocabularySize": 512, "channels": 128, "hidden": 256, "layers": 8,
                 "heads": 1, "context": 4096, "dropout": 0.0}, 16, 256),
}


def verify(name, directory):
    """Loads a checkpoint written by TrainBench --export and recomputes its loss."""
    from safetensors.torch import load_file
    config, _, _ = SHAPES[name]
    model = build_model(config)
    model.load_state_dict(load_file(f"{directory}/model.safetensors"), strict=True)
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
    config, batch, time_steps = SHAPES[name]
    model = build_model(config)
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
