"""Measure tiercheck against its baselines on the same generated files, in one run.

Every figure is wall time of a real command (a fresh process, as a firm's CI
would run it) or of an in-process loop, measured here and now; the ratios are
what the issues set targets for. Peak memory is each child's max RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA = ROOT / "schemas" / "firm.schema.json"
AS_OF = "2026-11-25"
PROGRAMS = ("points", "levels", "specializations")  # examples/programs/, on the same files
FIRMS = 40_000  # the program's size: with --site-count 40000 its column is measured, not extrapolated


def run(cmd: list[str]) -> tuple[float, int, int]:
    """Run a command in a fresh child of a fresh wrapper: (seconds, peak RSS in MiB, exit status)."""
    wrapper = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        "rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        "t = time.perf_counter() - t;"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as installed: .pyc kept
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True, env=env
    )
    seconds, rss_kib, rc = out.stdout.split()
    return float(seconds), int(rss_kib) // 1024, int(rc)


def best_of(n: int, cmd: list[str]) -> tuple[float, int, int]:
    """The fastest of n runs (the least disturbed by the machine), with its memory and status."""
    return min((run(cmd) for _ in range(n)), key=lambda r: r[0])


Round = list[tuple[float, int, int]]  # each command's run, one after the other


def interleaved(n: int, cmds: list[list[str]]) -> tuple[list[tuple[float, int, int]], list[Round]]:
    """n rounds, each running every command in turn (a, b, a, b, ...): the fastest run of each command,
    and the rounds (see `paired`)."""
    rounds = [[run(cmd) for cmd in cmds] for _ in range(n)]
    return [min((r[i] for r in rounds), key=lambda r: r[0]) for i in range(len(cmds))], rounds


def paired(r: dict[str, Any], name: str, rounds: list[Round], over: int = 0, of: int = 1) -> None:
    """How many times command `over`'s time command `of` takes, as r[name]: the median of each round's
    ratio (each kept, in order, as r[name + "_pairs"]). This machine's speed drifts by a quarter within
    minutes; two runs made one after the other see the same speed, so their ratio keeps little of the
    drift, where the fastest run of each may come from a quiet minute for one and a busy one for the
    other."""
    r[name + "_pairs"] = pairs = sorted(round(x[of][0] / x[over][0], 4) for x in rounds)
    r[name] = statistics.median(pairs)


def spread(r: dict[str, Any], name: str) -> str:
    """A ratio's median with the lowest and highest of its pairs: how much the machine moved it."""
    pairs = r[name + "_pairs"]
    return f"{r[name]:.2f}x (pairs {pairs[0]:.2f}-{pairs[-1]:.2f}), median of {len(pairs)} in turn"


def csafe_parse(files: list[Path]) -> float:
    """Read and parse every file with PyYAML's CSafeLoader, nothing else: the floor for a YAML tool."""
    start = time.perf_counter()
    for f in files:
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=3000, help="firm files to generate (default 3000)")
    ap.add_argument("--cjs-count", type=int, default=150, help="files for check-jsonschema (it is slow)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench-out", help="where results.json goes")
    ap.add_argument("--site-count", type=int, default=2000, help="firm files for the site case")
    ap.add_argument("--only", choices=["all", "site"], default="all", help="run every case, or the site's")
    args = ap.parse_args(argv)
    tiercheck = shutil.which("tiercheck") or sys.exit("tiercheck is not installed here")
    cjs = shutil.which("check-jsonschema")
    work = Path(tempfile.mkdtemp(prefix="tiercheck-bench-"))
    if args.only == "site":
        try:
            site = site_case(tiercheck, work, args.site_count)
            report_site(site, args.site_count)
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "site.json").write_text(json.dumps(site, indent=2) + "\n")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    try:
        many, few = work / "many", work / "few"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(many), "--count", str(args.count)], check=True
        )
        files = sorted(many.glob("*.yaml"))
        few.mkdir()
        for f in files[: args.cjs_count]:
            shutil.copy(f, few / f.name)
        size = statistics.mean(f.stat().st_size for f in files)
        print(f"{len(files)} files, {size / 1024:.1f} KB each on average", flush=True)
        r: dict[str, Any] = {}

        r["csafe_parse_s"] = min(csafe_parse(files) for _ in range(2))
        # the target's ratio is per core (validate runs on one); evaluate runs on every core by default
        evaluate = [tiercheck, "evaluate", str(many), "--as-of", AS_OF, "--format", "jsonl", "--jobs", "1"]
        fastest, rounds = interleaved(5, [[tiercheck, "validate", str(many)], evaluate])
        (r["validate_s"], r["validate_rss_mib"], rc), (r["evaluate_s"], r["evaluate_rss_mib"], _) = fastest
        paired(r, "evaluate_vs_validate", rounds)
        assert rc == 0, "generated files must validate"
        _, r["validate_few_rss_mib"], _ = best_of(1, [tiercheck, "validate", str(few)])
        r["evaluate_allcores_s"], _, _ = best_of(
            2, [tiercheck, "evaluate", str(many), "--as-of", AS_OF, "--format", "jsonl"]
        )
        for program in PROGRAMS:  # the example programs on the same files, each against the shipped policy
            policy = str(ROOT / "examples" / "programs" / program / "policy")
            (shipped, ours), rounds = interleaved(5, [evaluate, [*evaluate, "--policy", policy]])
            r[f"evaluate_{program}_s"], r[f"evaluate_{program}_shipped_s"] = ours[0], shipped[0]
            paired(r, f"evaluate_{program}_vs_shipped", rounds)
        r["summary_1core_s"], _, _ = best_of(
            1, [tiercheck, "summary", str(many), "--as-of", AS_OF, "--jobs", "1"]
        )
        r["summary_allcores_s"], r["summary_rss_mib"], _ = best_of(
            1, [tiercheck, "summary", str(many), "--as-of", AS_OF]
        )
        one = str(files[0])
        if cjs:
            r["cjs_s"], _, _ = best_of(
                1, [cjs, "--schemafile", str(SCHEMA), *map(str, sorted(few.iterdir()))]
            )
            r["cjs_per_file_ms"] = 1000 * r["cjs_s"] / args.cjs_count
            ((r["cold_one_file_s"], _, _), (r["cjs_cold_one_file_s"], _, _)), rounds = interleaved(
                5, [[tiercheck, "validate", one], [cjs, "--schemafile", str(SCHEMA), one]]
            )
            paired(r, "cold_vs_cjs", rounds, over=1, of=0)
        else:
            r["cold_one_file_s"], _, _ = best_of(5, [tiercheck, "validate", one])
        report(r, len(files), args.cjs_count, os.cpu_count() or 1)
        site = site_case(tiercheck, work, args.site_count)
        report_site(site, args.site_count)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.json").write_text(
            json.dumps({"files": len(files), **r, "site": site}, indent=2) + "\n"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def site_case(tiercheck: str, work: Path, n: int) -> dict[str, float]:
    """`tiercheck site` on n files and on n/4: a full build, a rebuild with nothing changed, a rebuild
    with one file changed; each with its wall time and peak RSS (the largest single process)."""
    r: dict[str, float] = {}
    for label, count in (("", n), ("quarter_", n // 4)):
        inputs, out = work / f"site-in-{count}", work / f"site-out-{count}"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(inputs), "--count", str(count)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cmd = [tiercheck, "site", str(inputs), "--out", str(out), "--as-of", AS_OF]
        r[f"{label}full_s"], r[f"{label}full_rss_mib"], rc = run(cmd)
        assert rc == 0, "generated files must build"
        r[f"{label}nochange_s"], r[f"{label}nochange_rss_mib"], _ = best_of(3, cmd)
        one = sorted(inputs.glob("*.yaml"))[count // 2]
        times = []
        for i in range(3):
            one.write_text(one.read_text(encoding="utf-8") + f"# edit {i}\n", encoding="utf-8")
            times.append(run(cmd)[0])
        r[f"{label}onefile_s"] = min(times)
    quarter = n // 4
    for case in ("nochange", "onefile"):  # fixed start-up plus a cost per file: a line through both sizes
        # (never falling: when the larger run happens to be the faster, it is noise, not a saving per file)
        per_file = max(0.0, (r[f"{case}_s"] - r[f"quarter_{case}_s"]) / (n - quarter))
        r[f"{case}_40k_s"] = r[f"{case}_s"] + per_file * (FIRMS - n)
    r["full_files_per_s"] = n / r["full_s"]
    r["full_40k_s"] = FIRMS / r["full_files_per_s"]  # every firm is the same work, on every core
    return r


def report_site(r: dict[str, float], n: int) -> None:
    q = n // 4
    rows = [
        ("", f"{q} files", f"{n} files", f"{FIRMS:,} files ({'measured' if n == FIRMS else 'extrapolated'})"),
        (
            "site, full build",
            f"{r['quarter_full_s']:.1f} s",
            f"{r['full_s']:.1f} s ({r['full_files_per_s']:.0f} files/s)",
            f"{r['full_40k_s'] / 60:.1f} min (same files/s)",
        ),
        (
            "site, nothing changed",
            f"{r['quarter_nochange_s']:.2f} s",
            f"{r['nochange_s']:.2f} s ({100 * r['nochange_s'] / r['full_s']:.1f}% of full)",
            f"{r['nochange_40k_s']:.1f} s ({100 * r['nochange_40k_s'] / r['full_40k_s']:.1f}% of full; "
            "target < 10%)",
        ),
        (
            "site, one file changed",
            f"{r['quarter_onefile_s']:.2f} s",
            f"{r['onefile_s']:.2f} s",
            f"{r['onefile_40k_s']:.1f} s (target < 2 s)",
        ),
        (
            "site, peak RSS (full / no change)",
            f"{r['quarter_full_rss_mib']} / {r['quarter_nochange_rss_mib']} MiB",
            f"{r['full_rss_mib']} / {r['nochange_rss_mib']} MiB",
            "flat in the number of files",
        ),
    ]
    width = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, width, strict=True)).rstrip())


def report(r: dict[str, Any], n: int, cjs_n: int, cores: int) -> None:
    per = {k: 1000 * r[k] / n for k in ("csafe_parse_s", "validate_s", "evaluate_s")}
    rows = [
        ("CSafeLoader parse only", f"{r['csafe_parse_s']:.2f} s", f"{per['csafe_parse_s']:.2f} ms/file", ""),
        (
            "tiercheck validate",
            f"{r['validate_s']:.2f} s",
            f"{per['validate_s']:.2f} ms/file",
            f"{r['validate_s'] / r['csafe_parse_s']:.2f}x CSafeLoader (target <= 1.0)",
        ),
        (
            "tiercheck evaluate (jsonl), 1 core",
            f"{r['evaluate_s']:.2f} s",
            f"{per['evaluate_s']:.2f} ms/file",
            f"{spread(r, 'evaluate_vs_validate')} with validate (target <= 2.0, issue 10)",
        ),
        (
            f"tiercheck evaluate (jsonl), {cores} cores",
            f"{r['evaluate_allcores_s']:.2f} s",
            f"{1000 * r['evaluate_allcores_s'] / n:.2f} ms/file",
            f"{r['evaluate_allcores_s'] / r['validate_s']:.2f}x validate, "
            f"{r['evaluate_s'] / r['evaluate_allcores_s']:.2f}x speed-up",
        ),
        *(
            (
                f"evaluate (jsonl), 1 core, {program}",
                f"{r[f'evaluate_{program}_s']:.2f} s",
                f"{1000 * r[f'evaluate_{program}_s'] / n:.2f} ms/file",
                f"{spread(r, f'evaluate_{program}_vs_shipped')} with shipped (target <= 1.5, issue 10)",
            )
            for program in PROGRAMS
        ),
        ("summary, 1 core", f"{r['summary_1core_s']:.2f} s", f"{n / r['summary_1core_s']:.0f} files/s", ""),
        (
            f"summary, {cores} cores",
            f"{r['summary_allcores_s']:.2f} s",
            f"{n / r['summary_allcores_s']:.0f} files/s",
            f"{r['summary_1core_s'] / r['summary_allcores_s']:.2f}x speed-up",
        ),
        ("validate, 1 file, cold", f"{r['cold_one_file_s']:.3f} s", "", ""),
    ]
    if "cjs_s" in r:
        rows += [
            (
                f"check-jsonschema ({cjs_n} files)",
                f"{r['cjs_s']:.2f} s",
                f"{r['cjs_per_file_ms']:.1f} ms/file",
                f"tiercheck is {r['cjs_per_file_ms'] / per['validate_s']:.0f}x faster (target >= 10)",
            ),
            (
                "check-jsonschema, 1 file, cold",
                f"{r['cjs_cold_one_file_s']:.3f} s",
                "",
                f"tiercheck takes {spread(r, 'cold_vs_cjs')} (target < 0.25)",
            ),
        ]
    rows.append(
        (
            "peak RSS validate",
            f"{r['validate_few_rss_mib']} MiB ({cjs_n} files)",
            f"{r['validate_rss_mib']} MiB ({n} files)",
            "flat in the number of files",
        )
    )
    rows.append(
        ("peak RSS evaluate / summary", f"{r['evaluate_rss_mib']} MiB", f"{r['summary_rss_mib']} MiB", "")
    )
    width = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, width, strict=True)).rstrip())


if __name__ == "__main__":
    raise SystemExit(main())
