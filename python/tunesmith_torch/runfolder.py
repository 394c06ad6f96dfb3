"""A Tunesmith run folder (Sources/Generation/Training/RunFolder.swift and
Checkpoint/Checkpoint.swift), read and written from PyTorch: run.json, vocabulary.json,
history.json, summary.json, epoch-progress.json, best/ (config.json + model.safetensors) and
checkpoint/ (config.json with the training state + model.safetensors + optimizer.safetensors
with AdamW's moments as `m.<name>` and `v.<name>`). One format both ways: `tunesmith train
--resume` continues a checkpoint written here, and this package continues Tunesmith's."""

import json
import os
import shutil
import tempfile

import torch
from safetensors.torch import load_file, save_file

from .errors import TunesmithTorchError, read_json

CHECKPOINT_FORMAT_VERSION = 1


def write_json(path, value):
    """Sorted keys and a temporary file renamed into place, as Tunesmith writes its JSON."""
    folder = os.path.dirname(path) or "."
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(handle, "w") as file:
        json.dump(value, file, indent=2, sort_keys=True)
    os.replace(temporary, path)


class RunFolder:
    def __init__(self, path):
        self.path = path

    def file(self, name):
        return os.path.join(self.path, name)

    @property
    def checkpoint(self):
        return self.file("checkpoint")

    @property
    def best(self):
        return self.file("best")

    def read(self, name, remedy="is this a run folder written by `tunesmith train` or tunesmith_torch.train?"):
        return read_json(self.file(name), remedy)

    def write(self, name, value):
        write_json(self.file(name), value)

    def vocabulary(self):
        return self.read("vocabulary.json")

    def check_vocabulary(self, vocabulary, source):
        """The run's vocabulary must be the dataset's, token for token."""
        ours = self.vocabulary()
        if (ours.get("tokenizer"), ours.get("version")) != (vocabulary["tokenizer"], vocabulary["version"]):
            raise TunesmithTorchError(
                f"{self.file('vocabulary.json')}: the run uses {ours.get('tokenizer')} v{ours.get('version')}, "
                f"{source} holds {vocabulary['tokenizer']} v{vocabulary['version']}; export the run's corpus with "
                "the run's tokenizer, or train a new run")
        if ours.get("tokens") != vocabulary["tokens"]:
            raise TunesmithTorchError(
                f"{self.file('vocabulary.json')}: the run's vocabulary ({len(ours.get('tokens', []))} tokens) is not "
                f"{source}'s ({len(vocabulary['tokens'])} tokens); export the data with "
                f"`tunesmith export-dataset --vocabulary {self.file('vocabulary.json')}`, or train a new run")


def write_directory(directory, config, tensor_files):
    """Writes a checkpoint directory into a staging folder and renames it into place, so an
    interrupted save never leaves half a checkpoint (Checkpoint.writeDirectory)."""
    parent = os.path.dirname(os.path.abspath(directory))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(directory)}.tmp-")
    for name, tensors in tensor_files.items():
        save_file({key: value.detach().to("cpu", torch.float32).contiguous() for key, value in tensors.items()},
                  os.path.join(staging, name), metadata={"format": "pt"})
    write_json(os.path.join(staging, "config.json"), config)
    previous = None
    if os.path.exists(directory):
        previous = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(directory)}.old-")
        os.rmdir(previous)
        os.rename(directory, previous)
    os.rename(staging, directory)
    if previous:
        shutil.rmtree(previous, ignore_errors=True)


def read_config(directory):
    path = os.path.join(directory, "config.json")
    config = read_json(path, "is this a checkpoint folder (best/ or checkpoint/) of a run?")
    if config.get("formatVersion") != CHECKPOINT_FORMAT_VERSION:
        raise TunesmithTorchError(
            f"{path}: checkpoint format {config.get('formatVersion')}, this package reads "
            f"{CHECKPOINT_FORMAT_VERSION}; use the Tunesmith that wrote it")
    if config["model"]["kind"] == "markov":
        raise TunesmithTorchError(f"{path}: a Markov model is counted, not trained; choose a network run")
    return config


def load_tensors(path):
    if not os.path.exists(path):
        raise TunesmithTorchError(f"{path}: missing; the checkpoint is incomplete")
    return load_file(path)


def save_model(directory, model, config):
    write_directory(directory, {"formatVersion": CHECKPOINT_FORMAT_VERSION, "model": config},
                    {"model.safetensors": model.state_dict()})


def load_model_weights(directory, model):
    tensors = load_tensors(os.path.join(directory, "model.safetensors"))
    try:
        model.load_state_dict(tensors, strict=True)
    except RuntimeError as error:
        raise TunesmithTorchError(
            f"{directory}/model.safetensors: does not fit the model in config.json ({error})") from None


def save_checkpoint(directory, model, config, optimizer, state):
    """`state`: batch, time, step, schedule, clipNorm, weightDecay, samplerState and dropoutState
    (lists of ints), as Checkpoint.TrainingState keeps them."""
    names = dict((id(parameter), name) for name, parameter in model.named_parameters())
    moments = {}
    for group in optimizer.param_groups:
        for parameter in group["params"]:
            slot = optimizer.state.get(parameter, {})
            name = names[id(parameter)]
            moments["m." + name] = slot.get("exp_avg", torch.zeros_like(parameter))
            moments["v." + name] = slot.get("exp_avg_sq", torch.zeros_like(parameter))
    training = {
        "batch": state["batch"], "time": state["time"], "step": state["step"],
        "optimizer": {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": state["weightDecay"]},
        "schedule": state["schedule"], "clipNorm": state["clipNorm"],
        "samplerState": [format(word, "x") for word in state["samplerState"]],
        "dropoutState": [format(word, "x") for word in state["dropoutState"]],
    }
    write_directory(directory, {"formatVersion": CHECKPOINT_FORMAT_VERSION, "model": config, "training": training},
                    {"model.safetensors": model.state_dict(), "optimizer.safetensors": moments})


def load_checkpoint(directory, model, optimizer):
    """Fills the model and AdamW's moments and step; returns the config's training state."""
    config = read_config(directory)
    training = config.get("training")
    if training is None:
        raise TunesmithTorchError(f"{directory}/config.json: holds no training state; resume from checkpoint/")
    load_model_weights(directory, model)
    moments = load_tensors(os.path.join(directory, "optimizer.safetensors"))
    step = training["step"]
    for name, parameter in model.named_parameters():
        if "m." + name not in moments or "v." + name not in moments:
            raise TunesmithTorchError(f"{directory}/optimizer.safetensors: no moments for {name}")
        optimizer.state[parameter] = {
            "step": torch.tensor(float(step)),
            "exp_avg": moments["m." + name].to(parameter.device).clone(),
            "exp_avg_sq": moments["v." + name].to(parameter.device).clone(),
        }
    training["samplerState"] = [int(word, 16) for word in training["samplerState"]]
    training["dropoutState"] = [int(word, 16) for word in training["dropoutState"]]
    return config, training
