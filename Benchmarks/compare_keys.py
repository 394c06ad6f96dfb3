"""Agreement of Tunesmith's keys with music21's, and accuracy of both against KEYS.csv.

Run by Benchmarks/compare-keys, which has already written Tunesmith's results per
profile to CACHE/keys-PROFILE.jsonl. Standard library only; music21 runs (in its own
venv) only for corpus files missing from the reference cache.
"""
import argparse, csv, json, os, statistics, subprocess, sys

# Tunesmith profile -> the music21 class with the same weights.
MUSIC21_OF = {"krumhansl": "KrumhanslSchmuckler", "aarden": "AardenEssen", "temperley": "TemperleyKostkaPayne",
              "bellman": "BellmanBudge", "simple": "SimpleWeights"}
TARGETED = ["krumhansl", "aarden"]
PROFILES = ["krumhansl", "aarden", "temperley", "bellman", "simple", "albrecht"]
MIDI_SUFFIXES = (".mid", ".midi", ".kar", ".rmi")
LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def corpus_key(path):
    """Paths are matched on the part after 'corpus/', wherever each tool was run from."""
    return path.split("corpus/", 1)[1] if "corpus/" in path else path


def pitch_class(name):
    value = LETTERS[name[0].upper()]
    for accidental in name[1:]:
        value += 1 if accidental == "#" else -1 if accidental in "b-" else 0
    return value % 12


def mirex(estimate, truth):
    """MIREX key score, as mir_eval: 1 same, 0.5 estimate a fifth above, 0.3 relative, 0.2 parallel."""
    (tonic, mode), (true_tonic, true_mode) = estimate, truth
    if estimate == truth:
        return 1.0
    if mode == true_mode and (tonic - true_tonic) % 12 == 7:
        return 0.5
    if mode != true_mode and tonic == (true_tonic + (9 if true_mode == "major" else 3)) % 12:
        return 0.3
    if mode != true_mode and tonic == true_tonic:
        return 0.2
    return 0.0


def load_jsonl(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def music21_results(args):
    results = {}
    for record in load_jsonl(os.path.join(args.reference, "music21_keys.jsonl")):
        results[corpus_key(record["file"])] = record
    extra_path = os.path.join(args.cache, "music21_keys_extra.jsonl")
    if os.path.exists(extra_path):
        for record in load_jsonl(extra_path):
            results[corpus_key(record["file"])] = record
    files = []
    for folder in ("classical", "jazz"):
        for root, _, names in os.walk(os.path.join(args.corpus, folder)):
            files += [os.path.join(root, name) for name in sorted(names) if name.lower().endswith(MIDI_SUFFIXES)]
    missing = [path for path in files if corpus_key(path) not in results]
    if missing:
        print(f"music21: {len(missing)} files are not in the cache; analysing them (seconds each)", file=sys.stderr)
        python = ensure_venv(args.venv)
        runner = ("import json, sys; sys.path.insert(0, sys.argv[1]); import music21_keys\n"
                  "with open(sys.argv[2], 'a') as out:\n"
                  "    for path in sys.argv[3:]:\n"
                  "        out.write(json.dumps(music21_keys.run_one(path)) + '\\n'); out.flush()\n")
        subprocess.run([python, "-c", runner, args.reference, extra_path, *missing], check=True)
        for record in load_jsonl(extra_path):
            results[corpus_key(record["file"])] = record
    return {corpus_key(path): results[corpus_key(path)] for path in files}


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    if subprocess.run([python, "-c", "import music21"], capture_output=True).returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "--quiet", "music21==10.5.1"], check=True)
    return python


MODES = {"default": "Tunesmith default (off-ends-all pairing, music21's length grid)",
         "as-written": "notes as written (--pairing fifo --duration-grid none)"}


def tunesmith_results(args, mode, profile):
    results = {}
    for record in load_jsonl(os.path.join(args.cache, f"keys-{mode}-{profile}.jsonl")):
        if "file" in record and "profile" in record:
            results[corpus_key(record["file"])] = record
    return results


def correlation(a, b):
    mean_a, mean_b = statistics.fmean(a), statistics.fmean(b)
    top = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b))
    bottom = (sum((x - mean_a) ** 2 for x in a) * sum((y - mean_b) ** 2 for y in b)) ** 0.5
    return top / bottom if bottom else float("nan")


def agreement(music21, ours, profile):
    name = MUSIC21_OF[profile]
    compared, agreeing, disagreements = 0, 0, []
    for file, reference in sorted(music21.items()):
        if "keys" not in reference:
            continue  # music21 failed on it (timeout) or found no notes
        compared += 1
        mine = ours.get(file)
        theirs = reference["keys"][name]
        if mine and mine.get("key") and (mine["key"]["tonic_pc"], mine["key"]["mode"]) == (theirs["tonic_pc"], theirs["mode"]):
            agreeing += 1
            continue
        runner_up = {(c["tonic_pc"], c["mode"]): c["correlation"] for c in (mine or {}).get("candidates", [])}
        disagreements.append({
            "file": file,
            "tunesmith": mine["key"]["name"] if mine and mine.get("key") else "no key",
            "gap": mine["key"]["confidence"] if mine and mine.get("key") else float("nan"),
            "music21": f"{theirs['tonic'].replace('-', 'b')} {theirs['mode']}",
            "music21_key_rank_gap": (mine["key"]["correlation"] - runner_up.get((theirs["tonic_pc"], theirs["mode"]), float("nan"))) if mine and mine.get("key") else float("nan"),
            "distribution_r": correlation(mine["pitch_class_histogram"], reference["pc_dist"]) if mine else float("nan"),
        })
    return compared, agreeing, disagreements


def accuracy(labels, estimates):
    """Exact matches and mean MIREX score over the labelled pieces."""
    exact, score = 0, 0.0
    for file, truth in labels.items():
        estimate = estimates.get(file)
        points = mirex(estimate, truth) if estimate else 0.0
        exact += points == 1.0
        score += points
    return exact, score / len(labels)


def main():
    parser = argparse.ArgumentParser()
    for option in ("--corpus", "--reference", "--cache", "--venv"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()

    music21 = music21_results(args)
    ours = {mode: {profile: tunesmith_results(args, mode, profile) for profile in PROFILES} for mode in MODES}

    print("## Agreement of Tunesmith's global key with music21 10.5.1 (same profile weights)\n")
    print("| Tunesmith profile | music21 analysis | files compared | " + " | ".join(MODES.values()) + " |")
    print("|---|---|---:|" + "---:|" * len(MODES))
    details = {}
    for profile in MUSIC21_OF:
        cells = []
        for mode in MODES:
            compared, agreeing, disagreements = agreement(music21, ours[mode][profile], profile)
            details[mode, profile] = disagreements
            cells.append(f"{agreeing} = {100 * agreeing / compared:.1f} %")
        target = " (target ≥ 97 %)" if profile in TARGETED else ""
        print(f"| {profile}{target} | {MUSIC21_OF[profile]} | {compared} | " + " | ".join(cells) + " |")
    failed = [file for file, record in music21.items() if "keys" not in record]
    print(f"\nNot compared: {', '.join(failed) or 'none'} (music21 gave no key: {', '.join(music21[f].get('error', 'no notes') for f in failed) or '-'}).")

    for mode in MODES:
        for profile in TARGETED:
            rows = details[mode, profile]
            print(f"\n### Disagreements, {profile} vs {MUSIC21_OF[profile]}, {MODES[mode]}: {len(rows)}\n")
            print("gap: Tunesmith's best-key correlation minus its runner-up's. music21's key gap: how far music21's key")
            print("ranks below Tunesmith's best in Tunesmith's own scores. r(pc): correlation of the two pitch-class distributions.\n")
            print("| file | Tunesmith | gap | music21 | music21's key gap | r(pc) |")
            print("|---|---|---:|---|---:|---:|")
            for row in rows:
                print(f"| {row['file']} | {row['tunesmith']} | {row['gap']:.4f} | {row['music21']} | {row['music21_key_rank_gap']:.4f} | {row['distribution_r']:.4f} |")
            close = sum(1 for row in rows if row["music21_key_rank_gap"] < 0.05)
            print(f"\n{close} of {len(rows)} are close calls: music21's key is within 0.05 correlation of Tunesmith's best.")

    labels = {}
    with open(os.path.join(args.corpus, "classical", "KEYS.csv")) as handle:
        for row in csv.DictReader(handle):
            labels[f"classical/{row['file']}"] = (pitch_class(row["tonic"]), row["mode"])
    print(f"\n## Accuracy against classical/KEYS.csv ({len(labels)} labelled pieces)\n")
    print("| profile | Tunesmith exact | Tunesmith MIREX | as written exact | MIREX | music21 exact | music21 MIREX |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for profile in PROFILES:
        cells = f"| {profile} |"
        for mode in MODES:
            mine = {file: (record["key"]["tonic_pc"], record["key"]["mode"]) for file, record in ours[mode][profile].items() if record.get("key")}
            exact, score = accuracy(labels, mine)
            cells += f" {exact}/{len(labels)} = {100 * exact / len(labels):.1f} % | {score:.3f} |"
        if profile in MUSIC21_OF:
            name = MUSIC21_OF[profile]
            theirs = {file: (record["keys"][name]["tonic_pc"], record["keys"][name]["mode"]) for file, record in music21.items() if "keys" in record}
            exact21, score21 = accuracy(labels, theirs)
            cells += f" {exact21}/{len(labels)} = {100 * exact21 / len(labels):.1f} % | {score21:.3f} |"
        else:
            cells += " (no music21 class) | |"
        print(cells)


if __name__ == "__main__":
    main()
