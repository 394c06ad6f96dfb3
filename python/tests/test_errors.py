import json
import os
import shutil

from conftest import run_python

TINY = ["--model", "transformer", "--width", "16", "--layers", "1", "--context", "32", "--steps", "2"]


def copy(dataset, tmp_path):
    target = str(tmp_path / "data")
    shutil.copytree(dataset, target)
    return target


def test_dataset_from_another_tokenizer_version_is_refused(dataset, tmp_path):
    data = copy(dataset, tmp_path)
    manifest_path = os.path.join(data, "manifest.json")
    with open(manifest_path) as handle:
        manifest = json.load(handle)
    manifest["tokenizer"]["version"] = 1
    with open(manifest_path, "w") as handle:
        json.dump(manifest, handle)
    failed = run_python("tunesmith_torch.train", "--data", data, *TINY, "--out", str(tmp_path / "run"), check=False)
    assert failed.returncode == 1
    assert manifest_path in failed.stderr and "events v1" in failed.stderr and "export" in failed.stderr


def test_missing_shard_is_named(dataset, tmp_path):
    data = copy(dataset, tmp_path)
    shard = os.path.join(data, "validation-00000.tokens.npy")
    os.remove(shard)
    failed = run_python("tunesmith_torch.train", "--data", data, *TINY, "--out", str(tmp_path / "run"), check=False)
    assert failed.returncode == 1
    assert f"{shard}: shard missing" in failed.stderr


def test_run_with_another_vocabulary_is_refused(dataset, tmp_path):
    run = str(tmp_path / "run")
    run_python("tunesmith_torch.train", "--data", dataset, *TINY, "--out", run)
    vocabulary_path = os.path.join(run, "vocabulary.json")
    with open(vocabulary_path) as handle:
        vocabulary = json.load(handle)
    vocabulary["tokens"] = vocabulary["tokens"][:-1]
    with open(vocabulary_path, "w") as handle:
        json.dump(vocabulary, handle)
    failed = run_python("tunesmith_torch.train", "--data", dataset, "--resume", "--steps", "4", "--out", run,
                        check=False)
    assert failed.returncode == 1
    assert vocabulary_path in failed.stderr and "--vocabulary" in failed.stderr
    scored = run_python("tunesmith_torch.likelihood", "--run", run, "--data", dataset, check=False)
    assert scored.returncode == 1 and vocabulary_path in scored.stderr


def test_package_knows_the_tokenizer_versions_tunesmith_exports(dataset):
    from tunesmith_torch.data import TOKENIZER_VERSIONS
    with open(os.path.join(dataset, "manifest.json")) as handle:
        tokenizer = json.load(handle)["tokenizer"]
    assert TOKENIZER_VERSIONS[tokenizer["name"]] == tokenizer["version"]


def test_run_with_a_context_warmup_is_refused_not_trained_otherwise(dataset, tmp_path):
    run = str(tmp_path / "run")
    run_python("tunesmith_torch.train", "--data", dataset, *TINY, "--out", run)
    description_path = os.path.join(run, "run.json")
    with open(description_path) as handle:
        description = json.load(handle)
    description["options"]["contextWarmup"] = 0.5
    with open(description_path, "w") as handle:
        json.dump(description, handle)
    failed = run_python("tunesmith_torch.train", "--data", dataset, "--resume", "--steps", "4", "--out", run,
                        check=False)
    assert failed.returncode == 1
    assert description_path in failed.stderr and "context warm-up" in failed.stderr
