"""Loads originals and clean files of a Tunesmith corpus with four Python MIDI readers.

Each load runs in a child process with a time limit, since some readers crash or hang
on damaged files. Originals are the catalogued source files whose content is MIDI (the
catalogue's status is not 'skipped') plus those with a MIDI file name, as the corpus
triage counted them.
"""
import hashlib
import json
import multiprocessing
import os
import sqlite3
import sys
import warnings

MIDI_NAMES = (".mid", ".midi", ".kar", ".rmi")
TIMEOUT_SECONDS = 120


def load(job):
    library, path = job
    warnings.simplefilter("ignore")
    try:
        if library == "mido":
            import mido
            mido.MidiFile(path)  # strict: clip=False
        elif library == "pretty_midi":
            import pretty_midi
            pretty_midi.PrettyMIDI(path)
        elif library == "symusic":
            import symusic
            symusic.Score(path)
        else:
            import music21
            music21.converter.parse(path, format="midi")
        return None
    except Exception as error:  # every failure is a result here, not a crash of the check
        return f"{type(error).__name__}: {str(error)[:120]}"


def load_all(library, paths, processes, on_result=None):
    """Per path: None when it loads, else the error (a crash or timeout counts as one)."""
    results = {}
    with multiprocessing.Pool(processes, maxtasksperchild=50) as pool:
        pending = {path: pool.apply_async(load, ((library, path),)) for path in paths}
        for path, result in pending.items():
            try:
                results[path] = result.get(TIMEOUT_SECONDS)
            except multiprocessing.TimeoutError:
                results[path] = f"timeout after {TIMEOUT_SECONDS} s"
            except Exception as error:
                results[path] = f"crash: {type(error).__name__}"
            if on_result:
                on_result(path, results[path], len(results))
    return results


def save(cache, cache_path):
    temporary = cache_path + ".tmp"
    with open(temporary, "w") as file:
        json.dump(cache, file)
    os.replace(temporary, cache_path)


def sha256(path):
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def main():
    corpus, cache_path = sys.argv[1], sys.argv[2]
    catalogue = sqlite3.connect(f"file:{os.path.join(corpus, 'catalog.sqlite')}?mode=ro", uri=True)
    rows = catalogue.execute("SELECT path, status, clean_file FROM source_file ORDER BY path").fetchall()
    originals = [path for path, status, _ in rows if status != "skipped" or path.lower().endswith(MIDI_NAMES)]
    cleans = [os.path.join(corpus, clean) for _, _, clean in rows if clean]
    processes = max(1, os.cpu_count() or 1)
    sample = int(os.environ.get("MUSIC21_SAMPLE", "0"))

    cache = {}
    if os.path.exists(cache_path):
        with open(cache_path) as file:
            cache = json.load(file)

    print(f"{len(originals)} original MIDI files, {len(cleans)} clean files")
    print(f"{'library':<12} {'originals load':>15} {'clean load':>11}")
    failures = {}
    for library in ("mido", "pretty_midi", "symusic", "music21"):
        counts = []
        for group in (originals, cleans):
            if library == "music21":
                keys = {path: sha256(path) for path in group}
                if sample:
                    # music21 needs seconds per file: a sample spread by hash, the same each run.
                    group = sorted(group, key=keys.get)[:sample]
                missing = [path for path in group if keys[path] not in cache]

                def remember(path, error, done):
                    # Saved as it goes: music21 takes long enough for a run to be cut short.
                    cache[keys[path]] = error
                    if done % 20 == 0:
                        save(cache, cache_path)

                load_all(library, missing, processes, remember)
                save(cache, cache_path)
                results = {path: cache[keys[path]] for path in group}
            else:
                results = load_all(library, group, processes)
            counts.append((sum(error is None for error in results.values()), len(results)))
            if group is cleans:
                failures[library] = {path: error for path, error in results.items() if error is not None}
        print(f"{library:<12} {counts[0][0]:>7} of {counts[0][1]:<5} {counts[1][0]:>4} of {counts[1][1]}", flush=True)
    for library, failed in failures.items():
        for path, error in failed.items():
            print(f"clean file failed in {library}: {path}: {error}")
    if any(failures.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
