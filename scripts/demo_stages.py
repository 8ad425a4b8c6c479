"""`brik demo --persons N` with each stage's memory logged: where the demo's peak comes.

    BRIK_DEBUG=True BRIK_DATA_DIR=/tmp/x .venv/bin/brik migrate
    BRIK_DEBUG=True BRIK_DATA_DIR=/tmp/x /usr/bin/time -v .venv/bin/python scripts/demo_stages.py 1000000

Prints, at the start and end of every stage of the run (and every `--every` seconds),
the seconds since the start, the process's resident size and its high-water mark, and
the resident size of its children (the process making the rows when the demo runs on
two cores), in MiB. The demo itself runs as `brik demo --persons N --no-progress` does
(same code, same data); this only wraps its stages. Linux only (it reads /proc).
"""

import argparse
import os
import resource
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def resident_mib(pid: int | str = "self") -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0  # ended
    for line in lines:
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return -1


def children_mib() -> int:
    """The resident size of this process's children (the process making the demo's rows,
    brik.demo.processes): 0 without any."""
    pid = os.getpid()
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(resident_mib(child) for child in children)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("persons", type=int)
    parser.add_argument("--every", type=float, default=60, help="seconds between samples")
    parser.add_argument("--processes", choices=("1", "2"), help="as `brik demo --processes`")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brik.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from brik.demo import generator

    started = time.monotonic()

    def log(what: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"{time.monotonic() - started:8.1f} s  {what:<55} "
            f"resident {resident_mib():5d} MiB  high-water {peak:5d} MiB  "
            f"children {children_mib():5d} MiB",
            flush=True,
        )

    def sample() -> None:
        while True:
            time.sleep(args.every)
            log("sample")

    threading.Thread(target=sample, daemon=True).start()
    stage = generator._Stages.stage

    @contextmanager
    def logged_stage(self, title, total=None):
        log(f"start {title}")
        with stage(self, title, total) as advance:
            yield advance
        log(f"end   {title}")

    generator._Stages.stage = logged_stage
    processes = ["--processes", args.processes] if args.processes else []
    call_command("demo", "--persons", str(args.persons), "--no-progress", *processes)
    log("after the command")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
