"""What the benchmarks on a generated study share: their command line (--participants, --seed,
--keep) and the study, built in the database with illnet.synth.graph after wiping it."""

import argparse
import time

from illnet.db import Settings, erase_all, open_driver, resolve
from illnet.synth.graph import build


def generated_study(description: str, participants: int, flags: dict[str, str] | None = None,
                    **build_options) -> tuple[argparse.Namespace, Settings, object]:
    """Parse the command line (with the bench's own yes/no `flags`: name -> help), connect, and
    (unless --keep) wipe the database and build the study."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--participants", type=int, default=participants)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="reuse the study already in the database")
    for flag, help_text in (flags or {}).items():
        parser.add_argument(flag, action="store_true", help=help_text)
    args = parser.parse_args()
    settings = resolve()
    driver = open_driver(settings)
    if not args.keep:
        erase_all(driver, settings.database)
        start = time.perf_counter()
        build(driver, args.participants, seed=args.seed, database=settings.database, **build_options)
        print(f"built the study in {time.perf_counter() - start:.1f} s")
    return args, settings, driver
