"""What each piece of the speed layer buys: bench/run.py's scenarios, run once as they are and
once with each piece taken out (bench/ablated.py), in one run on one machine.

    python bench/ablation.py [--runs 5] [--synthetic 0]

Prints, per piece and scenario, the median time and its change against the run with every
piece in (positive: slower without the piece), and writes it to bench/ablation.md. A piece
that moves no scenario by 10% or more is not worth its code (issue 22).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from ablated import PIECES
from run import (
    CHECK_SCENARIO,
    COLD_SCENARIO,
    EDIT_SCENARIO,
    ROOT,
    SCHEMAS,
    WATCH_SCENARIO,
    Sample,
    edit_one,
    run_process,
    synthetic_catalogue,
    watch_latencies,
)

SCENARIOS = [COLD_SCENARIO, CHECK_SCENARIO, EDIT_SCENARIO, WATCH_SCENARIO]
WORTH = 0.10


def scenarios(
    piece: str, schemas: Path, runs: int, work: Path, env: dict[str, str], cold: bool = True
) -> dict[str, list[Sample]]:
    cli = [sys.executable, str(ROOT / "bench" / "ablated.py"), piece]
    folder = work / f"schemas-{piece}"
    shutil.copytree(schemas, folder)
    found: dict[str, list[Sample]] = {COLD_SCENARIO: []}
    for i in range(runs if cold else 0):
        run_env = {**env, "WORKER_CLIENT_GEN_CACHE_DIR": str(work / f"cold-{piece}-{i}")}
        out = ["--out", str(work / f"cold-out-{piece}-{i}")]
        found[COLD_SCENARIO].append(
            run_process([*cli, "generate", "--schemas", str(folder), *out], run_env)
        )
    warm_env = {**env, "WORKER_CLIENT_GEN_CACHE_DIR": str(work / f"warm-{piece}")}
    args = ["--schemas", str(folder), "--out", str(work / f"out-{piece}")]
    run_process([*cli, "generate", *args], warm_env)
    found[CHECK_SCENARIO] = [run_process([*cli, "check", *args], warm_env) for _ in range(runs)]
    found[EDIT_SCENARIO] = []
    for i in range(runs):
        edit_one(folder, i)
        found[EDIT_SCENARIO].append(run_process([*cli, "generate", *args], warm_env))
    out = work / f"out-{piece}"
    found[WATCH_SCENARIO] = watch_latencies(folder, out, runs, warm_env, cli)
    return found


def table(results: dict[str, dict[str, float]], label: str) -> str:
    base = results["none"]
    lines = [
        f"### {label}",
        "",
        "| without | " + " | ".join(SCENARIOS) + " | worth keeping |",
        "| --- | " + " | ".join("---:" for _ in SCENARIOS) + " | --- |",
    ]
    for piece, medians in results.items():
        cells = []
        moved = False
        for scenario in SCENARIOS:
            seconds = medians[scenario]
            if piece == "none":
                cells.append(f"{seconds:.3f} s")
                continue
            change = seconds / base[scenario] - 1
            moved = moved or change >= WORTH
            cells.append(f"{seconds:.3f} s ({change:+.0%})")
        verdict = "(every piece in)" if piece == "none" else ("yes" if moved else "NO")
        lines.append(f"| {piece} | " + " | ".join(cells) + f" | {verdict} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=0)
    parser.add_argument("--pieces", nargs="*", default=PIECES)
    parser.add_argument("--no-cold", action="store_true", help="skip the cold generate runs")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "ablation.md")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    text = "# What each piece of the speed layer buys\n\n"
    text += f"Medians of {args.runs} runs of whole processes, on {os.cpu_count()} cores. "
    text += (
        f"A piece is worth keeping when taking it out slows a scenario by {WORTH:.0%} or more.\n\n"
    )
    with tempfile.TemporaryDirectory(prefix="wcg-ablation-") as tmp:
        work = Path(tmp)
        catalogues = [("real (70 messages)", SCHEMAS)]
        if args.synthetic:
            synth = synthetic_catalogue(SCHEMAS, work / "synthetic", args.synthetic)
            catalogues.append((f"synthetic ({args.synthetic} messages)", synth))
        for label, schemas in catalogues:
            results: dict[str, dict[str, float]] = {}
            for piece in ["none", *args.pieces]:
                place = work / label.split()[0]
                place.mkdir(exist_ok=True)
                samples = scenarios(piece, schemas, args.runs, place, env, not args.no_cold)
                results[piece] = {
                    k: statistics.median(s.seconds for s in v) if v else float("nan")
                    for k, v in samples.items()
                }
                print(piece, {k: round(v, 3) for k, v in results[piece].items()}, flush=True)
            text += table(results, label) + "\n"
    print(text)
    args.results.write_text(text)


if __name__ == "__main__":
    main()
