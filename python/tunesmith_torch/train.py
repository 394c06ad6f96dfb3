"""python -m tunesmith_torch.train --data DATADIR --model transformer --out RUNDIR [...]

Trains on a `tunesmith export-dataset` folder, alone or under `torchrun --nproc_per_node N
[--nnodes ...]` (DDP: gloo on CPU, NCCL on GPU, bf16 autocast on GPU), and writes a Tunesmith
run folder. `--batch` is per process: N processes train with a global batch of N × batch,
drawn from the one window stream Tunesmith's trainer uses, so the loss curve does not depend
on N. `--resume` continues the run in --out from its checkpoint, whether this package or
`tunesmith train` wrote it; `--from RUN` first copies a run there."""

import argparse
import json
import math
import os
import shutil
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from .data import (DatasetFolder, SeededRandom, WindowSampler, training_keys, training_polyphony,
                   validation_bits_per_note, validation_windows)
from .errors import TunesmithTorchError, run_main
from .models import build_model, model_config
from .runfolder import RunFolder, load_checkpoint, read_config, save_checkpoint, save_model

INT_MAX = (1 << 63) - 1
DEFAULT_WEIGHT_DECAY = 0.1


def learning_rate(schedule, step):
    """LearningRateSchedule.rate(at:): linear warm-up, then cosine decay to the minimum."""
    peak, minimum, warmup, total = schedule["peak"], schedule["minimum"], schedule["warmupSteps"], schedule["totalSteps"]
    if step <= warmup:
        return peak * step / max(warmup, 1)
    if step >= total:
        return minimum
    progress = (step - warmup) / max(total - warmup, 1)
    return minimum + 0.5 * (peak - minimum) * (1 + math.cos(math.pi * progress))


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tunesmith_torch.train", description=__doc__.split("\n\n")[1])
    parser.add_argument("--data", required=True, help="dataset folder from `tunesmith export-dataset`")
    parser.add_argument("--model", choices=["lstm", "wavenet", "transformer"], default="transformer")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, help="optimizer steps in all (counting a resumed run's earlier ones)")
    budget.add_argument("--minutes", type=float, help="time budget in minutes")
    budget.add_argument("--epochs", type=int, help="passes over the training tokens (default 10)")
    parser.add_argument("--batch", type=int, help="windows per step per process (default 8 for an events "
                        "Transformer, else 32)")
    parser.add_argument("--context", type=int, help="tokens per window (default 512 for an events Transformer, "
                        "else 64)")
    parser.add_argument("--lr", type=float, default=2e-3, help="peak learning rate (AdamW, cosine decay)")
    parser.add_argument("--width", type=int)
    parser.add_argument("--layers", type=int)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--weight-decay", type=float, default=DEFAULT_WEIGHT_DECAY)
    parser.add_argument("--transpose", type=int, help="semitones a window may move, up or down (events; default 3)")
    parser.add_argument("--tempo-stretch", type=int, help="tempo buckets a window may move (events; default 1)")
    parser.add_argument("--infill-share", type=float,
                        help="share of windows turned into bar-infilling examples, so `tunesmith generate --infill` "
                             "can use the run (events; default 0.25; 0 = none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--validation-windows", type=int, default=4096)
    parser.add_argument("--checkpoint-minutes", type=float, default=5.0)
    parser.add_argument("--threads", type=int, help="CPU threads per process (torchrun sets 1 per process)")
    parser.add_argument("--device", help="cpu or cuda (default: cuda when there is one)")
    parser.add_argument("--from", dest="from_run", help="run folder (Tunesmith's or this package's) to continue")
    parser.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoint")
    parser.add_argument("--step-log", help="file for one JSON line per step (step, loss, learning rate)")
    parser.add_argument("--json", action="store_true", help="print epoch records and the summary as JSON lines")
    parser.add_argument("--out", required=True, help="run folder to write")
    args = parser.parse_args(argv)
    for name in ("steps", "minutes", "epochs", "batch", "context"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            parser.error(f"--{name} {value}: give a positive number")
    if not 0 <= args.dropout < 1:
        parser.error(f"--dropout {args.dropout}: a dropout probability is at least 0 and below 1")
    return args


class Distributed:
    """The process group when torchrun started us, else a world of one."""

    def __init__(self, device):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        cuda = torch.cuda.is_available() if device is None else device == "cuda"
        self.device = torch.device(f"cuda:{local_rank}" if cuda else "cpu")
        if cuda:
            torch.cuda.set_device(self.device)
        if self.world > 1:
            dist.init_process_group(backend="nccl" if cuda else "gloo")
        self.cuda = cuda

    def mean(self, value):
        if self.world == 1:
            return value
        tensor = torch.tensor([value], dtype=torch.float64, device=self.device)
        dist.all_reduce(tensor)
        return tensor.item() / self.world

    def rank_zero_says(self, *flags):
        """Rank 0's flags on every rank: decisions taken by the clock (stop, checkpoint now) must
        be the same on all ranks, or one would wait in a collective the others never reach."""
        if self.world == 1:
            return flags
        tensor = torch.tensor([float(flag) for flag in flags], device=self.device)
        dist.broadcast(tensor, src=0)
        return tuple(bool(value) for value in tensor.tolist())

    def rank_zero_number(self, value):
        if self.world == 1:
            return value
        tensor = torch.tensor([value], dtype=torch.float64, device=self.device)
        dist.broadcast(tensor, src=0)
        return tensor.item()

    def barrier(self):
        if self.world > 1:
            dist.barrier()

    def close(self):
        if self.world > 1:
            dist.destroy_process_group()


def options_for(args, dataset, world):
    """run.json's options (TrainingOptions) for a new run, with Tunesmith's defaults."""
    events = dataset.tokenizer == "events"
    recipe = args.model == "transformer" and events
    if args.infill_share is not None and not 0 <= args.infill_share <= 1:
        raise TunesmithTorchError(f"--infill-share {args.infill_share}: a share of the windows, from 0 to 1")
    if args.infill_share and not events:
        raise TunesmithTorchError(f"--infill-share {args.infill_share}: bar infilling needs an events dataset; "
                                  "export with --tokenizer events, or leave --infill-share out")
    batch = (args.batch or (8 if recipe else 32)) * world
    return {
        "corpus": dataset.manifest["corpus"], "model": args.model, "tokenizer": dataset.tokenizer,
        "splitProtocol": dataset.manifest["protocol"],
        **({"epochs": args.epochs or 10} if args.steps is None and args.minutes is None else {}),
        **({"minutes": args.minutes} if args.minutes is not None else {}),
        "batch": batch, "context": args.context or (512 if recipe else 64), "learningRate": args.lr,
        "seed": args.seed, "patience": args.patience, "validationWindows": args.validation_windows,
        **({"width": args.width or 128, "layers": args.layers or 4} if recipe else {}),
        **({"width": args.width} if args.width and not recipe else {}),
        **({"layers": args.layers} if args.layers and not recipe else {}),
        "dropout": args.dropout,
        **({"transpose": args.transpose if args.transpose is not None else 3} if events else {}),
        **({"tempoStretch": args.tempo_stretch if args.tempo_stretch is not None else 1} if events else {}),
        **({"infillShare": args.infill_share if args.infill_share is not None else 0.25} if events else {}),
        "weightDecay": args.weight_decay, "checkpointMinutes": args.checkpoint_minutes,
    }


def copy_run(source, destination):
    """--from: the run's description, history and checkpoints, so --out continues it."""
    if os.path.exists(os.path.join(destination, "checkpoint")):
        return
    if not os.path.isdir(os.path.join(source, "checkpoint")):
        raise TunesmithTorchError(f"--from {source}: no checkpoint/ to continue from; is it a run folder?")
    os.makedirs(destination, exist_ok=True)
    for name in ("run.json", "vocabulary.json", "history.json", "epoch-progress.json"):
        if os.path.exists(os.path.join(source, name)):
            shutil.copy2(os.path.join(source, name), os.path.join(destination, name))
    for name in ("checkpoint", "best"):
        if os.path.isdir(os.path.join(source, name)):
            shutil.copytree(os.path.join(source, name), os.path.join(destination, name), dirs_exist_ok=True)


def next_token_loss(model, dataset, windows, context, device, batch=64):
    """TrainingRun.nextTokenLoss: mean cross-entropy (nats) of the token after each whole window."""
    split = dataset.splits["validation"]
    total = 0.0
    model.eval()
    with torch.no_grad():
        for first in range(0, len(windows), batch):
            chunk = windows[first:first + batch]
            rows = np.stack([np.asarray(split.sequence(piece)[start:start + context + 1], dtype=np.int64)
                             for piece, start in chunk])
            rows = torch.from_numpy(rows).to(device)
            logits = model(rows[:, :-1])[:, -1].float()
            total += F.cross_entropy(logits, rows[:, -1], reduction="sum").item()
    model.train()
    return total / max(1, len(windows))


def print_json(value):
    print(json.dumps(value, sort_keys=True), flush=True)


def train(args):
    group = Distributed(args.device)
    try:
        summary = _train(args, group)
        # Rank 0 writes the summary while the others are done: a gloo rank whose peers have already
        # torn down their connections can abort at exit ("terminate called without an active exception").
        group.barrier()
        return summary
    finally:
        group.close()


def _train(args, group):
    started = time.time()
    if args.threads:
        torch.set_num_threads(args.threads)
    dataset = DatasetFolder(args.data)
    if "validation" not in dataset.splits or "train" not in dataset.splits:
        raise TunesmithTorchError(f"--data {args.data}: an unsplit export (for scoring); export without --unsplit")
    folder = RunFolder(args.out)
    if args.from_run and group.rank == 0:
        copy_run(args.from_run, args.out)
    group.barrier()
    resume = (args.resume or args.from_run) and os.path.isdir(folder.checkpoint)
    if resume:
        folder.check_vocabulary(dataset.vocabulary, args.data)
        description = folder.read("run.json")
        options = description["options"]
        if description["training"] != dataset.names("train"):
            raise TunesmithTorchError(
                f"--data {args.data}: its training pieces are not the run's ({folder.file('run.json')}); export "
                f"the run's corpus with `--seed {options['seed']} --protocol {options['splitProtocol']}`")
        for budget in ("epochs", "minutes"):
            if getattr(args, budget) is not None:
                options.pop("epochs", None)
                options.pop("minutes", None)
                options[budget] = getattr(args, budget)
        config = read_config(folder.checkpoint)["model"]
        if (options.get("contextWarmup") or 0) > 0:
            # Tunesmith's sequence-length warm-up changes the window shape mid-run; training it
            # here at the full context would quietly be another run.
            raise TunesmithTorchError(
                f"{folder.file('run.json')}: the run trains with a context warm-up (contextWarmup "
                f"{options['contextWarmup']}), which tunesmith_torch does not do; continue it with "
                f"`tunesmith train --resume`, or train a run without `--context-warmup`")
    else:
        options = options_for(args, dataset, group.world)
        config = model_config(args.model, len(dataset.vocabulary["tokens"]), options.get("width"),
                              options.get("layers"), options["context"], options["dropout"])
    if options["batch"] % group.world:
        raise TunesmithTorchError(
            f"{folder.file('run.json')}: the run's batch of {options['batch']} windows does not split into "
            f"{group.world} processes; use a number of processes that divides it")
    batch, context = options["batch"] // group.world, options["context"]
    seed = options["seed"]

    torch.manual_seed(seed)
    model = build_model(config).to(group.device)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    weight_decay = options.get("weightDecay", DEFAULT_WEIGHT_DECAY)
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                                   {"params": no_decay, "weight_decay": 0.0}],
                                  lr=options["learningRate"], betas=(0.9, 0.999), eps=1e-8)
    train_split = dataset.splits["train"]
    steps_per_epoch = max(1, train_split.token_count // (options["batch"] * context))
    history, step, sampler_state = [], 0, None
    if resume:
        _, training = load_checkpoint(folder.checkpoint, model, optimizer)
        step, schedule, sampler_state = training["step"], training["schedule"], training["samplerState"]
        clip_norm = training["clipNorm"]
        # A new budget on resume moves the end of the cosine decay with it.
        if args.steps is not None:
            schedule["totalSteps"] = args.steps
        elif args.epochs is not None:
            schedule["totalSteps"] = args.epochs * steps_per_epoch
        if os.path.exists(folder.file("history.json")):
            history = folder.read("history.json")
    else:
        total = options["epochs"] * steps_per_epoch if "epochs" in options else (args.steps or INT_MAX)
        schedule = {"peak": options["learningRate"], "minimum": options["learningRate"] / 10,
                    "warmupSteps": min(200, max(1, steps_per_epoch // 2)), "totalSteps": total}
        clip_norm = 1.0
        if group.rank == 0:
            os.makedirs(args.out, exist_ok=True)
            folder.write("vocabulary.json", dataset.vocabulary)
            keys, textures = training_keys(dataset), training_polyphony(dataset)
            folder.write("run.json", {"options": options, "training": dataset.names("train"),
                                      "validation": dataset.names("validation"), "test": dataset.names("test"),
                                      **({"trainingKeys": keys} if keys else {}),
                                      **({"trainingPolyphony": textures} if textures else {})})
    # Dropout draws differ per rank and continue from the step a resumed run starts at.
    torch.manual_seed(seed + 7919 * group.rank + step)
    sampler = WindowSampler(dataset, context, seed, options.get("transpose") or 0, options.get("tempoStretch") or 0,
                            options.get("infillShare") or 0.0, state=sampler_state)
    if sampler.window_count == 0:
        raise TunesmithTorchError(f"--data {args.data}: no training piece is longer than the context of {context} "
                                  "tokens; add pieces or lower --context")
    validation = validation_windows(dataset, context, options["validationWindows"])
    if not validation:
        raise TunesmithTorchError(f"--data {args.data}: no validation piece is longer than the context of {context} "
                                  "tokens; add pieces or lower --context")
    network = model
    if group.world > 1:
        network = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[group.device.index] if group.cuda else None)
    step_log = open(args.step_log, "a") if args.step_log and group.rank == 0 else None

    finished_steps = sum(record["steps"] for record in history)
    progress = {}
    if os.path.exists(folder.file("epoch-progress.json")):
        progress = folder.read("epoch-progress.json")
    carried = min(max(0, step - finished_steps), steps_per_epoch)
    carried_loss = progress.get("lossSum", 0.0) if carried and progress.get("step") == step else 0.0
    carried_seconds = progress.get("seconds", 0.0) if carried and progress.get("step") == step else 0.0
    spent = sum(record["seconds"] for record in history) + carried_seconds
    deadline = started + max(0.0, options["minutes"] * 60 - spent) if "minutes" in options else None
    best = min(history, key=lambda record: record["val_loss"]) if history else None
    since_improvement = len(history) - (best["epoch"] if best else 0)
    epoch = len(history)
    last_checkpoint = time.time()
    tokens_trained, training_seconds = 0, 0.0
    global_tokens = options["batch"] * context

    time_up = group.rank_zero_says(deadline is not None and time.time() >= deadline)[0]

    def out_of_budget():
        return (args.steps is not None and step >= args.steps) or time_up

    def checkpoint_state():
        return {"batch": options["batch"], "time": context, "step": step, "schedule": schedule,
                "clipNorm": clip_norm, "weightDecay": weight_decay, "samplerState": sampler.random.state,
                "dropoutState": SeededRandom(seed ^ step).state}

    while since_improvement < options["patience"] and epoch < options.get("epochs", INT_MAX) and not out_of_budget():
        epoch += 1
        epoch_start = time.time()
        loss_sum, steps, session_steps = carried_loss, carried, 0
        seconds_before = carried_seconds
        carried, carried_loss, carried_seconds = 0, 0.0, 0.0
        while steps < steps_per_epoch and not out_of_budget():
            tokens, targets = sampler.batch(batch, group.rank, group.world)
            tokens = torch.from_numpy(tokens).to(group.device)
            targets = torch.from_numpy(targets).to(group.device)
            step += 1
            rate = learning_rate(schedule, step)
            for parameter_group in optimizer.param_groups:
                parameter_group["lr"] = rate
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=group.cuda):
                logits = network(tokens)
            loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), targets.reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip_norm)
            optimizer.step()
            value = group.mean(loss.item())
            loss_sum += value
            steps += 1
            session_steps += 1
            elapsed = time.time() - epoch_start
            if "epochs" not in options and deadline is not None and step == 20:
                seconds_per_step = elapsed / session_steps
                # Every rank must decay alike: rank 0's estimate of the steps left is everyone's.
                steps_left = group.rank_zero_number(min((deadline - time.time()) / seconds_per_step, 2**31 - 1))
                schedule["totalSteps"] = step + int(steps_left)
            if step_log:
                step_log.write(json.dumps({"step": step, "loss": value, "learning_rate": rate}) + "\n")
                step_log.flush()
            time_up, checkpoint_due = group.rank_zero_says(
                deadline is not None and time.time() >= deadline,
                time.time() - last_checkpoint >= options.get("checkpointMinutes", 5.0) * 60)
            if checkpoint_due:
                if group.rank == 0:
                    save_checkpoint(folder.checkpoint, model, config, optimizer, checkpoint_state())
                    folder.write("epoch-progress.json",
                                 {"step": step, "lossSum": loss_sum, "seconds": seconds_before + elapsed})
                group.barrier()
                last_checkpoint = time.time()
        epoch_seconds = seconds_before + time.time() - epoch_start
        tokens_trained += session_steps * global_tokens
        training_seconds += epoch_seconds
        if steps == 0:
            break
        if group.rank == 0:
            validation_loss = next_token_loss(model, dataset, validation, context, group.device)
            record = {"epoch": epoch, "train_loss": loss_sum / steps, "val_loss": validation_loss,
                      "val_bits_per_note": validation_bits_per_note(dataset, validation_loss),
                      "learning_rate": learning_rate(schedule, step), "steps": steps, "seconds": epoch_seconds}
            history.append(record)
            improved = best is None or validation_loss < best["val_loss"]
            if improved:
                best = record
                save_model(folder.best, model, config)
            save_checkpoint(folder.checkpoint, model, config, optimizer, checkpoint_state())
            folder.write("history.json", history)
            if args.json:
                print_json(record)
            print(f"epoch {epoch}: train loss {record['train_loss']:.4f}, validation loss {validation_loss:.4f} "
                  f"({record['val_bits_per_note']:.3f} bits/note){', best so far' if improved else ''} "
                  f"({epoch_seconds:.0f} s)", file=sys.stderr)
        shared = [history, best]
        if group.world > 1:
            dist.broadcast_object_list(shared, src=0)
        history, best = shared
        since_improvement = 0 if best["epoch"] == epoch else since_improvement + 1
        last_checkpoint = time.time()
    if step_log:
        step_log.close()
    if not history:
        raise TunesmithTorchError(f"{args.out}: the run has already finished; raise --epochs, --steps or --patience")
    if group.rank == 0:
        last = history[-1]
        summary = {
            "model": config["kind"], "tokenizer": dataset.tokenizer, "protocol": options["splitProtocol"],
            "train_loss": last["train_loss"], "val_loss": best["val_loss"],
            "val_bits_per_note": best["val_bits_per_note"], "best_epoch": best["epoch"], "epochs": len(history),
            "tokens_per_second": tokens_trained / training_seconds if training_seconds else 0.0,
            "parameters": sum(p.numel() for p in model.parameters()), "seconds": time.time() - started,
            "vocabulary": len(dataset.vocabulary["tokens"]),
            "pieces": sum(len(split.pieces) for split in dataset.splits.values()),
            "training_tokens": train_split.token_count, "validation_windows": len(validation), "run": args.out,
            "processes": group.world, "device": str(group.device),
        }
        folder.write("summary.json", {key: value for key, value in summary.items()
                                      if key not in ("processes", "device")})
        if args.json:
            print_json(summary)
        else:
            print(f"{summary['model']} / {summary['tokenizer']}: best validation loss {summary['val_loss']:.4f} "
                  f"({summary['val_bits_per_note']:.3f} bits/note) at epoch {summary['best_epoch']} of "
                  f"{summary['epochs']}; {summary['tokens_per_second']:.0f} tokens/s on {group.world} × "
                  f"{group.device.type} → {args.out}")
        return summary
    return None


def main(argv=None):
    run_main(lambda: train(parse(argv)))


if __name__ == "__main__":
    main()
