"""Reads back what Benchmarks/bench-steering generated, with music21, pretty_midi and
scikit-learn (none of them ours), and prints issue 17's figures.

usage: steering_bench.py OUT CORPUS PROMPT...   (PROMPT i is the prompt of continued/i.mid, infilled/i.mid)
  EXCERPT_BARS (default 16): the length of the corpus excerpts the style classifier learns from
"""

import bisect
import glob
import json
import math
import os
import statistics
import sys
import warnings

import numpy as np
import pretty_midi

warnings.filterwarnings("ignore")  # pretty_midi warns about odd meta events in corpus files

TEXT2MIDI_KEY_SHARE = 0.336  # text2midi README, "correct key", as published
KEYS = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
ONSET_TOLERANCE_BEATS = 1 / 8  # the events grid rounds an onset by at most 1/8 of a quarter
INFILL_BARS = range(8, 12)  # bars 9-12, 0-based
SEAM_BARS = 4


def asked_key(index):
    return index % 12, "major" if index < 12 else "minor"


def music21_key(path):
    import music21

    key = music21.converter.parse(path).analyze("key")
    return key.tonic.pitchClass, key.mode


def share(values):
    values = list(values)
    return (sum(values) / len(values), len(values)) if values else (float("nan"), 0)


def percent(pair):
    value, count = pair
    return f"{value * 100:5.1f} % of {count}" if count else "  n/a"


def key_adherence(out):
    rows = {}
    for kind in ("plain", "strict", "unconditioned"):
        hits = []
        for index in range(24):
            for path in sorted(glob.glob(os.path.join(out, "keys", f"{kind}-{index}", "*.mid"))):
                try:
                    hits.append(music21_key(path) == asked_key(index))
                except Exception as error:  # a file music21 cannot read counts as a miss
                    print(f"   music21 could not read {path}: {error}", file=sys.stderr)
                    hits.append(False)
        rows[kind] = share(hits)
    return rows


def controls(out):
    tempo_hits, meter_hits, bar_hits = [], [], []
    for folder in sorted(glob.glob(os.path.join(out, "controls", "*"))):
        if not os.path.isdir(folder):
            continue
        tempo, numerator, denominator, bars = (int(part) for part in os.path.basename(folder).split("-"))
        for path in sorted(glob.glob(os.path.join(folder, "*.mid"))):
            midi = pretty_midi.PrettyMIDI(path)
            _, tempi = midi.get_tempo_changes()
            tempo_hits.append(len(tempi) > 0 and round(tempi[0]) == tempo)
            signatures = midi.time_signature_changes
            meter_hits.append(
                bool(signatures) and (signatures[0].numerator, signatures[0].denominator) == (numerator, denominator)
            )
            end = midi.get_end_time()
            found = sum(1 for downbeat in midi.get_downbeats() if downbeat < end - 1e-6)
            bar_hits.append(found == bars)
    return share(tempo_hits), share(meter_hits), share(bar_hits)


def pitched_notes(midi):
    """(pitch, onset in quarters) of every pitched note; drums are not on the events grid."""
    notes = []
    for instrument in midi.instruments:
        if instrument.is_drum:
            continue
        for note in instrument.notes:
            notes.append((note.pitch, midi.time_to_tick(note.start) / midi.resolution, note))
    return notes


def grid_onset(quarters):
    """The onset after quantisation, as the issue counts kept notes: the nearest point of the
    sixteenth and eighth-triplet grids (what the events grid offers), computed here, not read
    from Tunesmith."""
    whole = math.floor(quarters)
    points = sorted({k / 4 for k in range(5)} | {k / 3 for k in range(4)})
    return whole + min(points, key=lambda point: abs(point - (quarters - whole)))


def downbeat_quarters(midi):
    return [midi.time_to_tick(time) / midi.resolution for time in midi.get_downbeats()]


def matched_share(prompt_notes, output_notes):
    """Share of prompt notes with a note of the same pitch at the same grid onset in the output."""
    onsets = {}
    for pitch, onset, _ in output_notes:
        onsets.setdefault(pitch, []).append(onset)
    for values in onsets.values():
        values.sort()
    hits = 0
    for pitch, onset, _ in prompt_notes:
        values = onsets.get(pitch, [])
        index = bisect.bisect_left(values, onset - ONSET_TOLERANCE_BEATS)
        hits += index < len(values) and values[index] <= onset + ONSET_TOLERANCE_BEATS
    return hits / len(prompt_notes) if prompt_notes else float("nan")


def bar_statistics(notes, downbeats, bars):
    """Pitch-class histogram, onset-within-beat histogram (12 bins) and notes per bar of some bars."""
    pitch_classes, positions, count = np.zeros(12), np.zeros(12), 0
    spans = [(downbeats[bar], downbeats[bar + 1]) for bar in bars if 0 <= bar < len(downbeats) - 1]
    for pitch, onset, _ in notes:
        if any(start <= onset < stop for start, stop in spans):
            pitch_classes[pitch % 12] += 1
            positions[int((onset % 1) * 12) % 12] += 1
            count += 1
    return pitch_classes, positions, count / max(1, len(spans))


def cosine(a, b):
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    return float(a @ b / norm) if norm > 0 else float("nan")


def seam(notes, downbeats, new_bars, around_bars):
    new, around = bar_statistics(notes, downbeats, new_bars), bar_statistics(notes, downbeats, around_bars)
    density = new[2] / around[2] if around[2] > 0 else float("nan")
    return cosine(new[0], around[0]), cosine(new[1], around[1]), density


def steered(out, kind, prompts):
    rows = []
    path = os.path.join(out, f"{kind}.jsonl")
    if not os.path.exists(path):
        return rows
    for line in open(path):
        result = json.loads(line)
        if "prompted" not in result:
            continue
        index = int(os.path.splitext(os.path.basename(result["output"]))[0])
        prompt_midi, output_midi = pretty_midi.PrettyMIDI(prompts[index]), pretty_midi.PrettyMIDI(result["output"])
        prompt_notes, output_notes = pitched_notes(prompt_midi), pitched_notes(output_midi)
        downbeats = downbeat_quarters(output_midi)
        prompt_downbeats = downbeat_quarters(prompt_midi)
        prompted = result["prompted"]
        if kind == "infilled":
            if len(downbeats) <= INFILL_BARS.stop:
                continue
            hole = (downbeats[INFILL_BARS.start], downbeats[INFILL_BARS.stop])
            # Bars 9-12 after quantisation: a chord played just before bar 9's downbeat is on it.
            to_keep = [note for note in prompt_notes if not hole[0] <= grid_onset(note[1]) < hole[1]]
            around = list(range(INFILL_BARS.start - SEAM_BARS, INFILL_BARS.start)) + list(
                range(INFILL_BARS.stop, INFILL_BARS.stop + SEAM_BARS)
            )
            new_seam = seam(output_notes, downbeats, INFILL_BARS, around)
            own_seam = seam(prompt_notes, prompt_downbeats, INFILL_BARS, around)
        else:
            to_keep = prompt_notes
            last = prompted["prompt_bars"]
            new_seam = seam(output_notes, downbeats, range(last, last + prompted["new_bars"]), range(last - SEAM_BARS, last))
            own_seam = seam(
                prompt_notes, prompt_downbeats, range(last - SEAM_BARS, last), range(last - 2 * SEAM_BARS, last - SEAM_BARS)
            )
        rows.append(
            {
                "kept_tunesmith": prompted["notes_kept"] / max(1, prompted["notes_to_keep"]),
                "kept_pretty_midi": matched_share(to_keep, output_notes),
                "new_notes": prompted["new_notes"],
                "new_bars": prompted["new_bars"],
                "new_seam": new_seam,
                "own_seam": own_seam,
            }
        )
    return rows


def median(values):
    values = [value for value in values if not math.isnan(value)]
    return statistics.median(values) if values else float("nan")


def print_steered(kind, rows, asked):
    if not rows:
        print(f"{kind}: no results")
        return
    print(f"{kind} ({len(rows)} prompts, {asked}):")
    print(f"  kept notes, Tunesmith re-read   min {min(r['kept_tunesmith'] for r in rows) * 100:6.2f} %   "
          f"median {median(r['kept_tunesmith'] for r in rows) * 100:6.2f} %   (target 100 %)")
    print(f"  kept notes, pretty_midi match   min {min(r['kept_pretty_midi'] for r in rows) * 100:6.2f} %   "
          f"median {median(r['kept_pretty_midi'] for r in rows) * 100:6.2f} %")
    print(f"  new notes per piece             median {median(r['new_notes'] for r in rows):.0f}, "
          f"min {min(r['new_notes'] for r in rows)}; new bars median {median(r['new_bars'] for r in rows):.0f}")
    for position, name in enumerate(("pitch-class cosine", "onset-in-beat cosine", "notes/bar ratio")):
        print(f"  seam {name:22s} new vs around {median(r['new_seam'][position] for r in rows):5.2f}   "
              f"the piece's own bars {median(r['own_seam'][position] for r in rows):5.2f}")


def metric_rows(path):
    rows = []
    if os.path.exists(path):
        for line in open(path):
            report = json.loads(line)
            if "metrics" in report:
                rows.append({metric["name"]: metric["value"] for metric in report["metrics"]})
    return rows


def metric_matrix(rows, names, medians=None):
    """(rows, metrics), a metric a piece has no value for (no notes to measure) at the training median."""
    values = np.array([[row.get(name) if row.get(name) is not None else np.nan for name in names] for row in rows], float)
    if medians is None:
        medians = np.nanmedian(values, axis=0)
    return np.where(np.isnan(values), medians, values), medians


def excerpt_rows(out, folder):
    """Metric rows of a folder's excerpts, each with the piece it was cut from (for splitting by piece)."""
    pieces = {}
    table = os.path.join(out, "excerpts", folder, "pieces.tsv")
    if os.path.exists(table):
        for line in open(table):
            excerpt, piece = line.rstrip("\n").split("\t")
            pieces[os.path.abspath(excerpt)] = piece
    rows, groups = [], []
    path = os.path.join(out, f"excerpts-{folder}.eval.jsonl")
    if os.path.exists(path):
        for line in open(path):
            report = json.loads(line)
            if "metrics" in report:
                rows.append({metric["name"]: metric["value"] for metric in report["metrics"]})
                groups.append(pieces.get(os.path.abspath(report["file"]), report["file"]))
    return rows, groups


def style_classifier():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))


def held_out_accuracy(features, labels, groups):
    """5-fold accuracy with every piece's excerpts in one fold: never judged by a model that saw its piece."""
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_score

    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    return cross_val_score(style_classifier(), features, labels, groups=groups, cv=folds).mean()


def style(out, excerpt_bars):
    from sklearn.model_selection import cross_val_score

    # style-<name>-w<weight>.eval.jsonl: --style <name> pieces at guidance weight <weight>.
    weights = sorted(
        {os.path.basename(path)[: -len(".eval.jsonl")].rsplit("-w", 1)[1] for path in glob.glob(os.path.join(out, "style-*-w*.eval.jsonl"))},
        key=float,
    )
    generated = {
        (name, weight): metric_rows(os.path.join(out, f"style-{name}-w{weight}.eval.jsonl"))
        for name in ("jazz", "classical")
        for weight in weights
    }
    classical, jazz = metric_rows(os.path.join(out, "corpus-classical.jsonl")), metric_rows(os.path.join(out, "corpus-jazz.jsonl"))
    (classical_excerpts, classical_groups), (jazz_excerpts, jazz_groups) = (
        excerpt_rows(out, "classical"),
        excerpt_rows(out, "jazz"),
    )
    if not (classical and jazz) and not (classical_excerpts and jazz_excerpts):
        print("style: no corpus metrics")
        return
    everything = classical + jazz + classical_excerpts + jazz_excerpts
    names = sorted(set.intersection(*(set(row) for row in everything)))
    labels_of = lambda classical_rows, jazz_rows: np.array([0] * len(classical_rows) + [1] * len(jazz_rows))

    classifiers = []
    if classical and jazz:
        features, medians = metric_matrix(classical + jazz, names)
        labels = labels_of(classical, jazz)
        accuracy = cross_val_score(style_classifier(), features, labels, cv=5).mean()
        classifiers.append(("whole pieces", style_classifier().fit(features, labels), medians))
        print(f"style classifier A, as before: logistic regression on {len(names)} evaluation metrics of whole pieces "
              f"({len(classical)} classical + {len(jazz)} jazz), 5-fold accuracy {accuracy * 100:.1f} %")
    if classical_excerpts and jazz_excerpts:
        features, medians = metric_matrix(classical_excerpts + jazz_excerpts, names)
        labels = labels_of(classical_excerpts, jazz_excerpts)
        groups = np.array(classical_groups + jazz_groups)
        accuracy = held_out_accuracy(features, labels, groups)
        classifiers.append((f"{excerpt_bars}-bar excerpts", style_classifier().fit(features, labels), medians))
        print(f"style classifier B, what the target is judged by: logistic regression on {len(names)} evaluation "
              f"metrics of {excerpt_bars}-bar corpus excerpts ({len(classical_excerpts)} classical from "
              f"{len(set(classical_groups))} pieces + {len(jazz_excerpts)} jazz from {len(set(jazz_groups))} pieces)")
        print(f"  held-out accuracy on real excerpts (5 folds split by piece): {accuracy * 100:.1f} %   (the ceiling)")
        columns = ["classical excerpts", "jazz excerpts"] + [
            f"--style {style} w{weight}" for weight in weights for style in ("classical", "jazz")
        ]
        print("  which metrics carry the style: each metric alone, held-out accuracy; medians of " + ", ".join(columns))
        for column, name in enumerate(names):
            alone = held_out_accuracy(features[:, [column]], labels, groups)
            medians_here = [np.median(features[labels == 0, column]), np.median(features[labels == 1, column])] + [
                np.median(metric_matrix(generated[style, weight], names, medians)[0][:, column])
                if generated[style, weight]
                else np.nan
                for weight in weights
                for style in ("classical", "jazz")
            ]
            print(f"    {name:22s} alone {alone * 100:5.1f} %   medians " + "  ".join(f"{value:8.3f}" for value in medians_here))
    if not weights:
        print("  --style: not generated (skipped)")
    for description, classifier, medians in classifiers:
        for weight in weights:
            for label, name in ((1, "jazz"), (0, "classical")):
                rows = generated[name, weight]
                if not rows:
                    print(f"  --style {name} --guidance {weight}: no pieces")
                    continue
                predictions = classifier.predict(metric_matrix(rows, names, medians)[0])
                hits = share(prediction == label for prediction in predictions)
                print(f"  classifier on {description:16s} --style {name:9s} --guidance {weight:4s} labelled {name}: "
                      f"{percent(hits)}   (target ≥ 80 %)")


def main():
    out, _corpus, prompts = sys.argv[1], sys.argv[2], sys.argv[3:]
    keys = key_adherence(out)
    print("key adherence, as music21 finds it (24 keys × seeds):")
    print(f"  --key                {percent(keys['plain'])}   (target ≥ 90 %)")
    print(f"  --key --key-strict   {percent(keys['strict'])}   (target 100 %)")
    print(f"  no --key (same run)  {percent(keys['unconditioned'])}")
    print(f"  text2midi, published {TEXT2MIDI_KEY_SHARE * 100:5.1f} %")
    tempo, meter, bars = controls(out)
    print("read back by pretty_midi (target 100 % each):")
    print(f"  tempo {percent(tempo)}   meter {percent(meter)}   bar count {percent(bars)}")
    print_steered("continuation", steered(out, "continued", prompts), "--continue-bars 4")
    print_steered("infill", steered(out, "infilled", prompts), "--infill 9-12")
    style(out, int(os.environ.get("EXCERPT_BARS", "16")))


if __name__ == "__main__":
    main()
