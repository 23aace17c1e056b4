"""Time drawing a grid of 100 egograms against drawing the same 100 one by one.

    python -m bench.bench_egograms [--participants 100] [--seed 1] [--dpi 60] [--repeat 2]

Uses the bundled nwe study (300 participants, two waves, member-member ties) in the database
named by NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD, loading both example studies after
emptying the database unless exactly they are loaded (bench_queries.ensure_examples).
Samples --participants participants of wave 0 with --seed, then, --repeat times each:

  one by one   illnet.plot.egogram per participant (one Cypher read, one Figure, one PNG each):
               the baseline, what a loop in a notebook would do;
  grid         illnet.plot.grid for all of them: one read for all participants, one Figure, one PNG.

Prints the fastest wall time of each, split into the plot call (its Cypher read and building
the Figure) and writing the PNG, the Cypher read alone, the peak of Python memory (tracemalloc, in one more run of each; numpy's
buffers included), the PNG bytes and the ratio of the grid to the baseline. No assertions.
"""

import argparse
import io
import time
import tracemalloc

from bench.bench_queries import ensure_examples
from illnet import plot
from illnet.db import open_driver, resolve
from illnet.plot.ego import read, sample

STUDY = "nwe"


def png(figure, dpi: int) -> int:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return len(buffer.getvalue())


def timed(call) -> tuple[float, object]:
    """Wall seconds and the result of call()."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def peak_memory(call) -> int:
    """Peak Python memory (bytes) while call() runs; a run apart from the timed ones, as
    tracemalloc slows everything down."""
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def one_by_one(participants, settings, driver, dpi):
    stages, size = {"read": 0.0, "figure": 0.0, "png": 0.0}, 0
    for participant in participants:
        stages["read"] += timed(lambda: read(STUDY, [participant], [0], settings=settings, driver=driver))[0]
        seconds, figure = timed(lambda: plot.egogram(STUDY, participant, labels=False, settings=settings, driver=driver))
        stages["figure"] += seconds
        seconds, written = timed(lambda: png(figure, dpi))
        stages["png"] += seconds
        size += written
    return stages, size


def grid(participants, settings, driver, dpi):
    stages = {"read": timed(lambda: read(STUDY, participants, [0], settings=settings, driver=driver))[0]}
    stages["figure"], figure = timed(lambda: plot.grid(STUDY, participants, settings=settings, driver=driver))
    stages["png"], size = timed(lambda: png(figure, dpi))
    return stages, size


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_egograms", description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    settings = resolve()
    with open_driver(settings) as driver:
        ensure_examples(driver, settings.database)
        participants = sample(STUDY, args.participants, args.seed, 0, settings, driver)
        plot.egogram(STUDY, participants[0], settings=settings, driver=driver)   # warm up fonts and query plans
        rows = {}
        for name, run in (("one by one (baseline)", one_by_one), ("grid", grid)):
            call = lambda: run(participants, settings, driver, args.dpi)   # noqa: E731
            seconds, (stages, size) = min((timed(call) for _ in range(args.repeat)), key=lambda result: result[0])
            rows[name] = (seconds, peak_memory(call), stages, size)
    print(f"{len(participants)} egograms of study {STUDY} (wave 0), PNG at {args.dpi} dpi, "
          f"fastest of {args.repeat}")
    print(f"{'':24}{'figure s':>9}{'png s':>9}{'total s':>9}{'x base':>8}{'peak MiB':>10}{'PNG KiB':>9}"
          f"{'read s':>9}")
    base = rows["one by one (baseline)"][2]
    for name, (_, peak, stages, size) in rows.items():
        total = stages["figure"] + stages["png"]
        print(f"{name:24}{stages['figure']:9.2f}{stages['png']:9.2f}{total:9.2f}{total / (base['figure'] + base['png']):8.2f}"
              f"{peak / 2**20:10.1f}{size / 1024:9.0f}{stages['read']:9.2f}")
    print("figure: the plot call (its Cypher read and building the Figure); png: rendering and encoding;\n"
          "read: the Cypher read alone (ego.read), timed apart and not in the total")


if __name__ == "__main__":
    main()
