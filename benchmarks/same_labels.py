"""Do the labels stay the same? `intl-metrics parse` output, saved once, compared byte for byte.

    .venv/bin/python benchmarks/same_labels.py --save benchmarks/out/labels-before
    ... change the code ...
    .venv/bin/python benchmarks/same_labels.py --check benchmarks/out/labels-before

For speed work: an optimisation must not change a single label, rule or span. The
corpora are the seed data, the dev corpus, the blind and real-shape test corpora
(each file on its own and all together, as JSONL with evidence; the small ones also
as CSV) and synthetic files (10k entries by default: large enough to be read in
worker processes, as a 100k file is; `--synth 10000,100000` for more). The output of
each run goes to DIR/<name>; stderr (parse warnings and notes) is compared too.
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin" / "intl-metrics"
OUT = ROOT / "benchmarks" / "out"
SHARED_DEV = Path("/work/shared/data/dev")


def corpora() -> dict[str, list[Path]]:
    """name -> the agenda files parsed together in one run."""
    groups = {
        "raw": sorted((ROOT / "data" / "raw").glob("*.txt")),
        "dev": sorted(SHARED_DEV.glob("*.txt")),
        "heldout": sorted((ROOT / "tests" / "data" / "heldout").glob("*.txt")),
        "realshape": sorted((ROOT / "tests" / "data" / "realshape").glob("*.txt")),
    }
    return {name: files for name, files in groups.items() if files}


def synthetic(n: int, seed: int = 1) -> Path:
    path = OUT / f"synthetic-{n}-seed{seed}.txt"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [BIN, "synth", "--events", str(n), "--seed", str(seed), "--out", path], check=True
        )
    return path


def run(files: list[Path], fmt: str, where: Path) -> None:
    out_path, err_path = where.with_suffix(f".{fmt}"), where.with_suffix(f".{fmt}.err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        subprocess.run([BIN, "parse", "--format", fmt, *files], stdout=out, stderr=err)


def outputs(into: Path, synth: list[int]) -> None:
    into.mkdir(parents=True, exist_ok=True)
    for name, files in corpora().items():
        run(files, "jsonl", into / name)
        run(files, "csv", into / name)
    for n in synth:
        run([synthetic(n)], "jsonl", into / f"synthetic-{n}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="write the reference outputs here")
    mode.add_argument("--check", type=Path, help="compare against the outputs saved here")
    ap.add_argument("--synth", default="10000", help="synthetic sizes, comma-separated")
    args = ap.parse_args()
    synth = [int(s) for s in args.synth.split(",") if s]
    if args.save:
        outputs(args.save, synth)
        print(f"saved to {args.save}")
        return 0
    now = OUT / "labels-now"
    outputs(now, synth)
    differ = []
    for new in sorted(p for p in now.iterdir()):
        old = args.check / new.name
        if not old.exists():
            print(f"{new.name}: not in {args.check}")
            continue
        if not filecmp.cmp(old, new, shallow=False):
            differ.append(new.name)
    for name in differ:
        print(f"DIFFERENT: {name}  (diff {args.check / name} {now / name})")
    checked = len(list(now.iterdir()))
    print(f"{checked - len(differ)} of {checked} outputs byte-identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
