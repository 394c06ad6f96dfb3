"""Read benchmark: Tunesmith (ReadBench, release build) beside symusic and mido, same
files, same machine, one run. Each side reads files already in memory (warm cache),
on one thread, and pairs notes: Tunesmith's read + Track.pairNotes(), symusic's Score
(which pairs notes while parsing; timed both from bytes and from a path, and the faster
is used so the ratio never flatters Tunesmith), mido's MidiFile + the documented FIFO
pairing in mido_notes.py. The file set is every corpus file all three read (mido
strictly), so nobody is timed on a file it rejects.

Then what a user runs: the release `tunesmith inspect --json` over the same files, timed
as a whole process (start-up, reading from disk, summaries, JSON on a pipe to /dev/null),
against symusic's in-process read above. The files are given as one folder (a scratch
folder of hard links to exactly these files, or copies where links cannot be made), with
--jobs 1 and with inspect's default (one job per core), and also named one by one.
symusic's side is one Python process on one thread either way.

usage: read_bench.py READBENCH_BINARY TUNESMITH_BINARY CORPUS [REPETITIONS] [MIDO_REPETITIONS]
"""
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version

import mido
import symusic

from mido_notes import file_notes


def cpu_seconds():
    """Processor time of this process and of its finished children, user + system."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(passes, work, warm_up=True):
    """Best and median wall time of `passes` runs of work(), after an optional warm-up run, and
    the least processor time of a run (less disturbed by a loaded machine than wall time)."""
    if warm_up:
        work()
    times, cpu = [], []
    for _ in range(passes):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        work()
        times.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    return min(times), statistics.median(times), min(cpu)


def readable(path, data):
    try:
        symusic.Score.from_midi(data)
        mido.MidiFile(file=io.BytesIO(data))
        return True
    except Exception:
        return False


def main():
    binary, tunesmith_binary, corpus = sys.argv[1], sys.argv[2], sys.argv[3]
    repetitions = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    mido_repetitions = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    paths = sorted(os.path.join(folder, name) for folder, _, names in os.walk(corpus)
                   for name in names if name.lower().endswith(".mid"))
    contents = {path: open(path, "rb").read() for path in paths}
    files = [path for path in paths if readable(path, contents[path])]
    blobs = [contents[path] for path in files]
    total_bytes = sum(map(len, blobs))
    print(f"Read + note pairing, {len(files)} of {len(paths)} corpus files that symusic and mido (strict) both read, "
          f"{total_bytes / 1e6:.2f} MB, warm cache, one thread", flush=True)

    tunesmith = json.loads(subprocess.run(
        [binary, "--repetitions", str(repetitions)], input="\n".join(files), text=True,
        capture_output=True, check=True).stdout)
    assert tunesmith["files"] == len(files) and tunesmith["bytes"] == total_bytes

    def symusic_from_bytes():
        for data in blobs:
            symusic.Score.from_midi(data)

    def symusic_from_path():
        for path in files:
            symusic.Score(path)

    def mido_read_and_pair():
        for data in blobs:
            file_notes(mido.MidiFile(file=io.BytesIO(data)))

    rows = [("Tunesmith", tunesmith["best_seconds"], tunesmith["median_seconds"], repetitions)]
    symusic_rows = [("symusic (bytes)", timed(repetitions, symusic_from_bytes)),
                    ("symusic (path)", timed(repetitions, symusic_from_path))]
    rows += [(name, best, median, repetitions) for name, (best, median, _) in symusic_rows]
    # The readability check above already ran mido over every file once.
    rows.append(("mido", *timed(mido_repetitions, mido_read_and_pair, warm_up=False)[:2], mido_repetitions))

    print(f"{'reader':16} {'passes':>6} {'best s':>9} {'median s':>9} {'files/s':>9} {'MB/s':>8}")
    for name, best, median, passes in rows:
        print(f"{name:16} {passes:6} {best:9.4f} {median:9.4f} {len(files) / best:9.0f} {total_bytes / 1e6 / best:8.2f}")
    ours = rows[0][1]
    symusic_best = min(rows[1][1], rows[2][1])
    symusic_cpu = min(timing[2] for _, timing in symusic_rows)
    ratio = symusic_best / ours
    print(f"Tunesmith / symusic throughput: {ratio:.2f}x (target >= 1.5x: {'met' if ratio >= 1.5 else 'NOT met'})")
    print(f"Tunesmith / mido throughput:    {rows[3][1] / ours:.0f}x")

    with tempfile.TemporaryDirectory(prefix="read-bench-") as folder:
        link_files(files, corpus, folder)
        inspect_commands(tunesmith_binary, files, folder, repetitions, symusic_best, min(rows[1][2], rows[2][2]),
                         symusic_cpu)
    print(f"(Tunesmith paired {tunesmith['notes']} notes per pass; symusic {version('symusic')}, mido {version('mido')}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def link_files(files, corpus, folder):
    """The benchmark's files, and only those, in `folder`, under their paths in the corpus."""
    for path in files:
        target = os.path.join(folder, os.path.relpath(path, corpus))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)


def inspect_commands(tunesmith_binary, files, folder, repetitions, symusic_best, symusic_median, symusic_cpu):
    jobs = len(os.sched_getaffinity(0))

    def inspect(*arguments):
        return lambda: subprocess.run([tunesmith_binary, "inspect", *arguments], stdout=subprocess.DEVNULL,
                                      check=True)

    print(f"\nThe command line, whole process, output to /dev/null, same {len(files)} files "
          f"(default --jobs = {jobs}, this machine's cores; symusic: one Python process, one thread):")
    print(f"{'command':52} {'passes':>6} {'best s':>9} {'median s':>9} {'vs symusic':>10} {'cpu s':>7}")
    command_rows = [
        (f"tunesmith inspect --json FOLDER (default: {jobs} jobs)", inspect("--json", folder)),
        ("tunesmith inspect --json --jobs 1 FOLDER", inspect("--json", "--jobs", "1", folder)),
        ("tunesmith inspect --json FILE...", inspect("--json", *files)),
        ("tunesmith inspect FOLDER (text)", inspect(folder)),
    ]
    results = [(name, *timed(repetitions, work)) for name, work in command_rows]
    results.append(("symusic in-process read (best)", symusic_best, symusic_median, symusic_cpu))
    for name, best, median, cpu in results:
        print(f"{name:52} {repetitions:6} {best:9.4f} {median:9.4f} {symusic_best / best:9.2f}x {cpu:7.3f}")
    for name, best, _, _ in results[:2]:
        ratio = symusic_best / best
        print(f"{name} / symusic read throughput: {ratio:.2f}x (target >= 1.5x: {'met' if ratio >= 1.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
