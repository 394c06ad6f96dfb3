import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import run_python, run_tunesmith

# A model small enough that every run here takes seconds on two cores.
TINY = ["--model", "transformer", "--width", "16", "--layers", "1", "--context", "32", "--dropout", "0",
        "--validation-windows", "32"]


def step_losses(path):
    with open(path) as handle:
        return [json.loads(line)["loss"] for line in handle]


def history(run):
    with open(os.path.join(run, "history.json")) as handle:
        return json.load(handle)


def test_two_processes_follow_the_single_process_loss_curve(dataset, tmp_path):
    single, double = tmp_path / "single.jsonl", tmp_path / "double.jsonl"
    run_python("tunesmith_torch.train", "--data", dataset, *TINY, "--batch", "8", "--steps", "20", "--threads", "1",
               "--step-log", str(single), "--out", str(tmp_path / "one"))
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "-m"]
    run_python("tunesmith_torch.train", "--data", dataset, *TINY, "--batch", "4", "--steps", "20",
               "--step-log", str(double), "--out", str(tmp_path / "two"), launcher=torchrun)
    one, two = step_losses(single), step_losses(double)
    assert len(one) == len(two) == 20
    # Augmentation stays on: both runs draw the same global batches from the one stream.
    assert np.allclose(one, two, rtol=0, atol=1e-4), list(zip(one, two))
    assert one[-1] < one[0]


def test_torch_run_scores_the_same_in_tunesmith(tunesmith, dataset, tmp_path):
    run = str(tmp_path / "run")
    run_python("tunesmith_torch.train", "--data", dataset, *TINY, "--batch", "8", "--steps", "30", "--out", run)
    ours = [json.loads(line) for line in run_python(
        "tunesmith_torch.likelihood", "--run", run, "--data", dataset, "--split", "test", "--json").stdout.splitlines()]
    # The model alone: PyTorch scores the network, not Tunesmith's blend with each piece's memory.
    theirs = [json.loads(line) for line in run_tunesmith(tunesmith, "likelihood", "--run", run, "--held-out",
                                                         "--no-piece-memory", "--json").splitlines()]
    assert len(ours) == len(theirs) >= 2
    for mine, other in zip(ours, theirs):
        assert mine.get("tokens") == other.get("tokens") and mine.get("notes") == other.get("notes")
        assert mine["bits_per_note"] == pytest.approx(other["bits_per_note"], rel=1e-3)
        assert mine["nats_per_token"] == pytest.approx(other["nats_per_token"], rel=1e-3)
    # The run is an ordinary Tunesmith run: it generates and has a report page.
    piece = str(tmp_path / "piece.mid")
    run_tunesmith(tunesmith, "generate", "--run", run, "--length", "48", "-o", piece)
    assert os.path.getsize(piece) > 14
    run_tunesmith(tunesmith, "report", run, "-o", str(tmp_path / "report"))
    assert os.listdir(tmp_path / "report" / "runs")
    # The files themselves, tokenised through `tunesmith export-dataset`, score the same too.
    test_sources = [line["file"] for line in ours[:-1]]
    by_file = [json.loads(line) for line in run_python(
        "tunesmith_torch.likelihood", "--run", run, "--tunesmith", tunesmith, "--json", *test_sources).stdout.splitlines()]
    assert by_file[-1]["bits_per_note"] == pytest.approx(theirs[-1]["bits_per_note"], rel=1e-3)


def tunesmith_train(tunesmith, corpus, out, epochs, *extra):
    return run_tunesmith(tunesmith, "train", "--corpus", corpus, "--tokenizer", "events", "--model", "transformer",
                         "--width", "16", "--layers", "1", "--context", "32", "--batch", "256", "--dropout", "0",
                         "--validation-windows", "32", "--epochs", str(epochs), "--out", out, *extra)


def test_tunesmith_run_continues_in_pytorch_with_the_same_next_step_loss(tunesmith, corpus, dataset, tmp_path):
    # Batch 256 × 32 tokens covers the training tokens: one step per epoch, so an epoch's loss is one step's.
    first = str(tmp_path / "tunesmith-1")
    tunesmith_train(tunesmith, corpus, first, 1)
    swift_continued = str(tmp_path / "tunesmith-2")
    shutil.copytree(first, swift_continued)
    tunesmith_train(tunesmith, corpus, swift_continued, 2, "--resume")
    torch_continued = str(tmp_path / "torch-2")
    run_python("tunesmith_torch.train", "--data", dataset, "--from", first, "--epochs", "2", "--out", torch_continued)
    swift, torch_ = history(swift_continued), history(torch_continued)
    assert [record["steps"] for record in swift] == [record["steps"] for record in torch_] == [1, 1]
    assert torch_[0] == swift[0]
    assert torch_[1]["train_loss"] == pytest.approx(swift[1]["train_loss"], rel=1e-4)

    # And back: the PyTorch checkpoint continues in Tunesmith with the loss PyTorch gives.
    back = str(tmp_path / "back-3")
    shutil.copytree(torch_continued, back)
    tunesmith_train(tunesmith, corpus, back, 3, "--resume")
    torch_again = str(tmp_path / "torch-3")
    run_python("tunesmith_torch.train", "--data", dataset, "--from", torch_continued, "--epochs", "3",
               "--out", torch_again)
    assert history(back)[2]["train_loss"] == pytest.approx(history(torch_again)[2]["train_loss"], rel=1e-4)


def test_a_torch_run_with_bar_infilling_fills_bars_and_takes_a_key_in_tunesmith(tunesmith, band, band_dataset,
                                                                                 tmp_path):
    tiny = ["--data", band_dataset, "--model", "transformer", "--width", "16", "--layers", "1", "--context", "96",
            "--dropout", "0", "--validation-windows", "32", "--batch", "8", "--steps", "6", "--threads", "1"]
    run = str(tmp_path / "infill")
    run_python("tunesmith_torch.train", *tiny, "--infill-share", "0.5", "--out", run)
    with open(os.path.join(run, "run.json")) as handle:
        description = json.load(handle)
    options = description["options"]
    assert (options["infillShare"], options["transpose"], options["tempoStretch"]) == (0.5, 3, 1)
    # Every training piece's header key is counted, so `generate` without --key draws one.
    counts = description["trainingKeys"]["counts"]
    assert all(count["key"].startswith("Key_") for count in counts)
    assert 0 < sum(count["pieces"] for count in counts) <= len(description["training"])
    # ...and every training piece's texture, so it draws a polyphony level too.
    textures = description["trainingPolyphony"]["counts"]
    assert all(1 <= count["level"] <= 9 for count in textures)
    assert 0 < sum(count["pieces"] for count in textures) <= len(description["training"])
    drawn = run_tunesmith(tunesmith, "generate", "--run", run, "--bars", "2", "--json",
                          "-o", str(tmp_path / "drawn.mid"))
    drawn = json.loads(drawn.splitlines()[-1])
    assert drawn["key_drawn"] and drawn["polyphony_drawn"]
    prompt = os.path.join(band, "tune03.mid")
    filled = str(tmp_path / "filled.mid")
    run_tunesmith(tunesmith, "generate", "--run", run, "--prompt", prompt, "--infill", "3-4", "-o", filled)
    assert os.path.getsize(filled) > 14
    keyed = str(tmp_path / "keyed.mid")
    run_tunesmith(tunesmith, "generate", "--run", run, "--key", "D minor", "--bars", "4", "-o", keyed)
    assert os.path.getsize(keyed) > 14
    # The share Tunesmith reads is run.json's: at 0 (no fill examples) the run is refused for --infill.
    plain = str(tmp_path / "plain")
    shutil.copytree(run, plain)
    with open(os.path.join(plain, "run.json")) as handle:
        description = json.load(handle)
    description["options"]["infillShare"] = 0
    with open(os.path.join(plain, "run.json"), "w") as handle:
        json.dump(description, handle)
    refused = subprocess.run([tunesmith, "generate", "--run", plain, "--prompt", prompt, "--infill", "3-4",
                              "-o", str(tmp_path / "refused.mid")], capture_output=True, text=True)
    assert refused.returncode != 0 and "infill" in refused.stderr, refused.stderr


def test_a_killed_run_resumes_where_its_checkpoint_left_it(dataset, tmp_path):
    import signal
    import time

    from conftest import PYTHON_ROOT

    arguments = ["--data", dataset, *TINY, "--batch", "8", "--steps", "10", "--threads", "1"]
    straight_log = tmp_path / "straight.jsonl"
    run_python("tunesmith_torch.train", *arguments, "--step-log", str(straight_log), "--out", str(tmp_path / "a"))
    killed_log, run = tmp_path / "killed.jsonl", str(tmp_path / "b")
    # A checkpoint after every step (the interval is a fraction of a second), then SIGKILL mid-run.
    process = subprocess.Popen(
        [sys.executable, "-m", "tunesmith_torch.train", *arguments, "--checkpoint-minutes", "0.00001",
         "--step-log", str(killed_log), "--out", run],
        env=dict(os.environ, PYTHONPATH=PYTHON_ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and (not killed_log.exists() or len(killed_log.read_text().splitlines()) < 4):
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not os.path.exists(os.path.join(run, "history.json")), "the run finished before it was killed"
    run_python("tunesmith_torch.train", *arguments, "--resume", "--step-log", str(killed_log), "--out", run)
    resumed = {}
    for line in killed_log.read_text().splitlines():
        record = json.loads(line)
        resumed[record["step"]] = record["loss"]
    straight = {json.loads(line)["step"]: json.loads(line)["loss"] for line in straight_log.read_text().splitlines()}
    assert sorted(resumed) == sorted(straight) == list(range(1, 11))
    for step in straight:
        assert resumed[step] == pytest.approx(straight[step], abs=1e-5), step
    assert history(run)[-1]["steps"] == history(str(tmp_path / "a"))[-1]["steps"]
