"""Time `read_study` (read, map, validate and type a whole study; no database) and its peak
memory, per stage, against the reader of a baseline commit, in the same run.

    python -m bench.bench_read [--participants 20000] [--seed 1] [--layout long] [--study DIR]
                               [--baseline-commit cf5d1b9] [--no-baseline] [--tables]

Generates a study (two waves, member-member ties, resources) with `illnet generate` into a
temporary folder (or reads the one in --study), then reads it twice, each in a fresh Python
process: `old`, the reader of --baseline-commit (its src/ tree and content folders, taken
with `git archive`), and `new`, this tree's. Each process times the stages of read_study by
wrapping the functions it calls, and prints per stage the wall time, the CPU time (user +
system) and the peak resident memory of the process so far (getrusage; the whole process,
Python and pandas included):

  read      read_source of every file (parse, cell checks)
  layout    layouts.build and checks.id_spellings (cleaning, translation, canonical tables)
  validate  validate.validate and checks.self_loops (cells, keys, references)
  cascade   validate.cascade (knock-on rejections)
  typing    typed (the dtypes of schema/tables.yaml)
  other     the rest of read_study (ordering problems, reconciliation)

With --tables, each process also prints the memory of each typed table it returns (cells:
pointers, codes or numbers; plus one copy of each distinct value) and its widest columns.
Last, the old / new ratios of time and peak memory. Needs the git history (run it from the
repository). No assertions.
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("read", "layout", "validate", "cascade", "typing", "other")

RUN = textwrap.dedent("""
    import json, resource, sys, time
    from illnet.load import read

    def clock():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return time.perf_counter(), usage.ru_utime + usage.ru_stime

    stages = {}

    def timed(stage, function):
        def wrapper(*args, **kwargs):
            wall, cpu = clock()
            try:
                return function(*args, **kwargs)
            finally:
                end_wall, end_cpu = clock()
                entry = stages.setdefault(stage, {"seconds": 0.0, "cpu": 0.0})
                entry["seconds"] += end_wall - wall
                entry["cpu"] += end_cpu - cpu
                entry["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return wrapper

    read.read_source = timed("read", read.read_source)
    for module, name, stage in ((read.layouts, "build", "layout"), (read.checks, "id_spellings", "layout"),
                                (read.validate, "validate", "validate"), (read.checks, "self_loops", "validate"),
                                (read.validate, "cascade", "cascade")):
        setattr(module, name, timed(stage, getattr(module, name)))
    read.typed = timed("typing", read.typed)
    start_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, cpu = clock()
    result = read.read_study(sys.argv[1])
    end_wall, end_cpu = clock()
    stages["other"] = {"seconds": end_wall - wall - sum(s["seconds"] for s in stages.values()),
                       "cpu": end_cpu - cpu - sum(s["cpu"] for s in stages.values())}
    usage = resource.getrusage(resource.RUSAGE_SELF)

    def held(column):
        # bytes of a column: its cells (pointers, codes or numbers) and one copy of each distinct value
        values = column.cat.categories if column.dtype == "category" else column.dropna().unique() \
            if column.dtype == object else []
        return column.memory_usage(index=False, deep=False) + sum(sys.getsizeof(v) for v in values)

    tables = {name: {column: held(frame[column]) for column in frame.columns}
              for name, frame in result.tables.tables.items()} if sys.argv[2] == "tables" else {}
    print(json.dumps({"seconds": end_wall - wall, "cpu": end_cpu - cpu, "peak_mib": usage.ru_maxrss / 1024,
                      "start_mib": start_mib, "stages": stages, "problems": len(result.problems),
                      "rows": sum(result.tables.counts().values()), "tables": tables}))
""")


def run(mapping: Path, src: Path, tables: bool = False) -> dict:
    """read_study of `mapping` in a fresh process running the illnet of `src` (with tables:
    and the memory of each typed table, measured after the peak)."""
    environment = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, "-c", RUN, str(mapping), "tables" if tables else "-"],
                          capture_output=True, text=True,
                          env=environment, cwd=src.parent)
    if done.returncode:
        sys.exit(f"the reader of {src} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def baseline_tree(commit: str, folder: Path) -> Path:
    """The src/ tree of `commit` (with the content folders it reads), unpacked into `folder`."""
    archive = folder / "tree.tar"
    content = [name for name in ("src", "schema", "queries", "loaders") if (ROOT / name).is_dir()]
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), commit, *content], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def generate(out: Path, participants: int, seed: int, layout: str) -> Path:
    subprocess.run([sys.executable, "-m", "illnet", "generate", "--participants", str(participants), "--seed",
                    str(seed), "--out", str(out), "--waves", "2", "--member-ties", "--resources", "--layout", layout],
                   cwd=ROOT, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return out / "mapping.yaml"


def show(name: str, result: dict) -> None:
    print(f"{name}: {result['seconds']:.1f} s wall, {result['cpu']:.1f} s CPU, peak {result['peak_mib']:,.0f} MiB "
          f"({result['start_mib']:,.0f} MiB after imports), {result['rows']:,} canonical rows, "
          f"{result['problems']} problems")
    print(f"  {'stage':9s} {'wall s':>8s} {'CPU s':>8s} {'peak MiB':>9s}")
    for stage in STAGES:
        entry = result["stages"].get(stage)
        if entry:
            peak = f"{entry['peak_mib']:9,.0f}" if "peak_mib" in entry else f"{'':9s}"
            print(f"  {stage:9s} {entry['seconds']:8.2f} {entry['cpu']:8.2f} {peak}")
    if result["tables"]:
        print("  typed tables (MiB: cells, and one copy of each distinct value; the widest columns):")
        for name, sizes in result["tables"].items():
            widest = ", ".join(f"{column} {size / 2 ** 20:,.1f}" for column, size in
                               sorted(sizes.items(), key=lambda item: -item[1])[:3])
            print(f"    {name:15s} {sum(sizes.values()) / 2 ** 20:9,.1f}   {widest}")
        total = sum(size for sizes in result["tables"].values() for size in sizes.values())
        print(f"    {'all':15s} {total / 2 ** 20:9,.1f}")


def ratio(old: float, new: float) -> str:
    return f"{old / new:.1f}x" if new > 0 else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layout", choices=("long", "wide"), default="long")
    parser.add_argument("--study", type=Path, help="read this generated study folder instead of generating one")
    parser.add_argument("--baseline-commit", default="cf5d1b9", help="commit whose reader is the baseline")
    parser.add_argument("--no-baseline", action="store_true", help="time this tree's reader only")
    parser.add_argument("--tables", action="store_true", help="also print the memory of each typed table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        mapping = (args.study / "mapping.yaml" if args.study else
                   generate(scratch / "study", args.participants, args.seed, args.layout))
        new = run(mapping, ROOT / "src", args.tables)
        show("new", new)
        if args.no_baseline:
            return
        old = run(mapping, baseline_tree(args.baseline_commit, scratch), args.tables)
        show(f"old ({args.baseline_commit})", old)
    print(f"old / new: {ratio(old['seconds'], new['seconds'])} wall time, {ratio(old['cpu'], new['cpu'])} CPU time, "
          f"{ratio(old['peak_mib'], new['peak_mib'])} peak memory")
    if new["tables"] and old["tables"]:
        held = [sum(size for sizes in result["tables"].values() for size in sizes.values()) for result in (old, new)]
        print(f"  typed tables {ratio(*held)} smaller")
    for stage in STAGES[:-1]:
        before, after = old["stages"].get(stage), new["stages"].get(stage)
        if before and after and max(before["cpu"], after["cpu"]) >= 0.05:  # a stage that did work
            print(f"  {stage:9s} {ratio(before['seconds'], after['seconds']):>7s} wall "
                  f"{ratio(before['cpu'], after['cpu']):>7s} CPU")


if __name__ == "__main__":
    main()
