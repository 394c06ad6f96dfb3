"""Tunesmith's sequence models on PyTorch.

Reads datasets written by `tunesmith export-dataset`, trains the LSTM, WaveNet or Transformer
with the same parameter names and layouts as Tunesmith's safetensors checkpoints (alone or
under `torchrun`, DDP), and writes Tunesmith run folders that `tunesmith generate`,
`likelihood`, `evaluate` and `report` read unchanged.
"""

from .errors import TunesmithTorchError
from .models import build_model, model_config

__all__ = ["TunesmithTorchError", "build_model", "model_config"]
