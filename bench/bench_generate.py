"""Time the synthetic study generator and its peak memory, against the generator it replaced.

    python -m bench.bench_generate [--small 2000] [--sizes 100000,1000000] [--baseline-commit 53378a9]

Every run is a fresh Python process that writes a study (two waves, member-member ties, resources,
long layout, CSV) into a temporary folder and reports its wall time, its CPU time (user + system,
all threads: on a shared machine the wall time also counts waiting for a core) and its peak
resident memory:

  old  the per-participant generator of commit --baseline-commit (src/illnet/synth/generate.py of
       that commit, run from `git show` against today's other modules), at --small participants;
  new  illnet's `stream_study` (what `illnet generate` runs), at --small and at each of --sizes.

Prints one line per run ("member rows": rows of members.csv, one per member and wave; the old
generator spread a members total over both waves, today's counts it at baseline, so the same
arguments give somewhat more rows) and the old / new ratios at the small size. Needs the git history
(run it from the repository). No assertions.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGUMENTS = dict(waves=2, member_ties=True, resources=True)

RUN = textwrap.dedent("""
    import json, resource, sys, time, types
    participants, out, old_source = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    arguments = json.loads(sys.argv[4])
    start = time.perf_counter()
    if old_source:
        old = types.ModuleType("old_generate")
        exec(compile(open(old_source).read(), "old_generate.py", "exec"), old.__dict__)
        from illnet.synth.files import write_study
        write_study(old.generate(participants, 1, **arguments), out)
    else:
        from illnet.synth.generate import stream_study
        stream_study(participants, 1, out, **arguments)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}))
""")


def run(participants: int, old_source: str = "") -> dict:
    """Generate in a child process; its time, peak memory and the size of what it wrote."""
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run([sys.executable, "-c", RUN, str(participants), out, old_source, json.dumps(ARGUMENTS)],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        files = list(Path(out).iterdir())
        result["mb_written"] = sum(f.stat().st_size for f in files) / 1e6
        with open(Path(out) / "members.csv") as members:
            result["member_rows"] = sum(1 for _ in members) - 1
    return result


def show(name: str, participants: int, result: dict) -> None:
    print(f"{name:4s} {participants:>9,} participants  {result['seconds']:8.1f} s wall  {result['cpu']:8.1f} s CPU  "
          f"peak {result['peak_mib']:7.0f} MiB  "
          f"{result['member_rows']:>11,} member rows  {result['mb_written']:8.1f} MB written", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000, help="participants of the old-versus-new pair")
    parser.add_argument("--sizes", default="100000", help="comma-separated larger sizes for the new generator")
    parser.add_argument("--baseline-commit", default="53378a9", help="commit whose generator is the baseline")
    args = parser.parse_args()
    source = subprocess.run(["git", "show", f"{args.baseline_commit}:src/illnet/synth/generate.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as old_file:
        old_file.write(source)
    old, new = run(args.small, old_file.name), run(args.small)
    Path(old_file.name).unlink()
    show("old", args.small, old)
    show("new", args.small, new)
    print(f"old / new at {args.small:,} participants: wall {old['seconds'] / new['seconds']:.1f}x, "
          f"CPU {old['cpu'] / new['cpu']:.1f}x")
    for size in (int(s) for s in args.sizes.split(",") if s):
        show("new", size, run(size))


if __name__ == "__main__":
    main()
