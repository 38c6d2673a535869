"""A pack replaced as a unit: a run killed at any moment, or two runs at once, never leave a mix."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from support import tiercheck

from validator.atomic import STORE, write_all

NAMES = ("evidence.html", "evidence.md", "evidence.json")
KILLS = int(os.environ.get("TIERCHECK_FUZZ_EXAMPLES", "0")) // 10 or 30  # nox -s fuzz: many more


def pack(run: int) -> dict[str, str]:
    # big enough that writing takes a while, so kills land in every phase
    return dict.fromkeys(NAMES, f"run {run}\n" + "x" * 100000)


def runs_seen(folder: Path) -> set[str]:
    """The run each of the three names shows now (an absent name shows '-')."""
    seen = set()
    for name in NAMES:
        path = folder / name
        seen.add(path.read_text().split("\n", 1)[0] if path.exists() else "-")
    return seen


def leftovers(folder: Path) -> list[str]:
    store = folder / STORE
    current = str((store / "current").readlink())
    extra = [p.name for p in store.iterdir() if p.name not in ("current", "lock", current)]
    return extra + [p.name for p in folder.iterdir() if p.name not in (*NAMES, STORE)]


def child(work) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            work()
        finally:
            os._exit(0)
    return pid


def test_a_pack_is_written_and_replaced_whole(tmp_path) -> None:
    write_all(tmp_path, pack(1))
    assert runs_seen(tmp_path) == {"run 1"}
    write_all(tmp_path, pack(2))
    assert runs_seen(tmp_path) == {"run 2"} and leftovers(tmp_path) == []
    assert all((tmp_path / name).is_symlink() for name in NAMES)


def test_other_files_in_the_folder_are_left_alone(tmp_path) -> None:
    (tmp_path / "firm.yaml").write_text("mine")
    write_all(tmp_path, pack(1))
    assert (tmp_path / "firm.yaml").read_text() == "mine"


def test_a_pack_of_plain_files_from_an_older_version_is_replaced_whole(tmp_path) -> None:
    for name in NAMES:
        (tmp_path / name).write_text("run 0\nold")
    write_all(tmp_path, pack(1))
    assert runs_seen(tmp_path) == {"run 1"} and leftovers(tmp_path) == []


def test_a_failed_run_leaves_the_old_pack_untouched(tmp_path, monkeypatch) -> None:
    write_all(tmp_path, pack(1))
    broken = {**pack(2), "evidence.md": "\udc80"}  # cannot be encoded: the write fails midway
    with pytest.raises(UnicodeEncodeError):
        write_all(tmp_path, broken)
    assert runs_seen(tmp_path) == {"run 1"} and leftovers(tmp_path) == []


def test_a_run_killed_at_any_moment_leaves_one_runs_pack_and_the_next_run_cleans_up(tmp_path) -> None:
    rng = random.Random(14)
    write_all(tmp_path, pack(0))
    for run in range(1, KILLS + 1):
        pid = child(lambda run=run: write_all(tmp_path, pack(run)))
        time.sleep(rng.uniform(0, 0.012))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        seen = runs_seen(tmp_path)
        assert len(seen) == 1 and seen <= {f"run {run - 1}", f"run {run}"}, (run, seen)
        write_all(tmp_path, pack(run))  # the next run: whatever the killed one left is gone
        assert runs_seen(tmp_path) == {f"run {run}"} and leftovers(tmp_path) == []


def test_two_runs_at_once_leave_one_whole_pack(tmp_path) -> None:
    for round_ in range(5):
        runs = (10 * round_ + 1, 10 * round_ + 2)
        pids = [child(lambda run=run: write_all(tmp_path, pack(run))) for run in runs]
        statuses = [os.waitpid(pid, 0)[1] for pid in pids]
        assert statuses == [0, 0]
        assert runs_seen(tmp_path) in ({f"run {runs[0]}"}, {f"run {runs[1]}"})
        assert leftovers(tmp_path) == []


def test_report_killed_while_writing_leaves_the_old_pack_or_the_new(tmp_path) -> None:
    import subprocess
    import sys

    example = Path(__file__).resolve().parents[2] / "examples" / "firms" / "northwind-advisory.yaml"
    assert tiercheck("report", str(example), "--as-of", "2026-11-25", "--out", str(tmp_path)).returncode == 0
    cmd = [
        sys.executable,
        "-m",
        "validator",
        "report",
        str(example),
        "--as-of",
        "2026-11-26",
        "--out",
        str(tmp_path),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.2, 0.8))
    proc.kill()
    proc.wait()
    after = [(tmp_path / name).read_bytes() for name in NAMES]
    assert len({b"2026-11-26" in text for text in after}) == 1, "a mix of two runs"
    assert tiercheck(*cmd[3:]).returncode == 0
    assert leftovers(tmp_path) == []
