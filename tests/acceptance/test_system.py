"""The system around the files: FIFOs and devices, unreadable folders, hostile file names, signals."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL_FIRM
from support import QUICKLY

from validator.cli import main
from validator.problem import shown

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "firms" / "northwind-advisory.yaml"


def test_a_fifo_named_yaml_in_a_folder_is_a_located_problem_not_a_hang(tmp_path, capsys) -> None:
    (tmp_path / "ok.yaml").write_text(MINIMAL_FIRM)
    os.mkfifo(tmp_path / "pipe.yaml")
    start = time.perf_counter()
    for command in (
        ["validate"],
        ["evaluate", "--as-of", "2026-11-25"],
        ["summary", "--as-of", "2026-11-25"],
    ):
        assert main([*command, str(tmp_path)]) == 1
        assert f"{tmp_path / 'pipe.yaml'}:1:1: cannot read: a FIFO (named pipe), not a regular file" in (
            capsys.readouterr().out
        )
    assert time.perf_counter() - start < QUICKLY


def test_a_socket_or_a_device_is_refused_without_being_read(tmp_path, capsys) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock.yaml"))
        assert main(["validate", str(tmp_path / "sock.yaml"), "/dev/null"]) == 1
    out = capsys.readouterr().out
    assert "sock.yaml:1:1: cannot read: a socket, not a regular file" in out
    assert "/dev/null:1:1: cannot read: a device, not a regular file" in out


def test_a_fifo_as_a_policy_file_is_a_problem_not_a_hang(tmp_path, capsys) -> None:
    os.mkfifo(tmp_path / "policy.yaml")
    assert main(["policy", "check", str(tmp_path / "policy.yaml")]) == 1
    assert "not a regular file" in capsys.readouterr().out


def test_a_folder_the_walk_cannot_read_is_a_located_problem_not_skipped(
    tmp_path, capsys, monkeypatch
) -> None:
    # Root reads every folder, so the refusal is simulated where the walk meets it; the test below
    # does it for real when run as an ordinary user.
    (tmp_path / "ok.yaml").write_text(MINIMAL_FIRM)
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'locked'}:1:1: cannot read: Permission denied" in out
    assert "2 files checked: 1 invalid" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file and folder")
def test_unreadable_files_and_folders_are_located_problems(tmp_path, capsys) -> None:
    locked, hidden = tmp_path / "locked", tmp_path / "hidden"
    for folder in (locked, hidden):
        folder.mkdir()
        (folder / "f.yaml").write_text(MINIMAL_FIRM)
    (tmp_path / "secret.yaml").write_text(MINIMAL_FIRM)
    (tmp_path / "secret.yaml").chmod(0)
    locked.chmod(0)
    hidden.chmod(0o600)  # listable, but nothing in it can be opened
    try:
        assert main(["validate", str(tmp_path), str(hidden / "f.yaml")]) == 1
        out = capsys.readouterr().out
    finally:
        locked.chmod(0o755)
        hidden.chmod(0o755)
    assert f"{locked}:1:1: cannot read: Permission denied" in out
    assert f"{tmp_path / 'secret.yaml'}:1:1: cannot read: Permission denied" in out
    assert f"{hidden / 'f.yaml'}:1:1: cannot read: Permission denied" in out


@pytest.mark.parametrize(
    "name,printed",
    [
        ("a\nb.yaml", "a\\x0ab.yaml"),
        ("x.yaml:99:99: forged", "x.yaml\\x3a99\\x3a99: forged"),
        ("esc\x1b[31mred.yaml", "esc\\x1b[31mred.yaml"),
        ("caf\udce9.yaml", "caf\\xe9.yaml"),  # a byte that is not UTF-8, as os.fsdecode holds it
    ],
)
def test_file_names_are_shown_safely(name: str, printed: str) -> None:
    assert shown(name) == printed
    shown(name).encode("utf-8")  # never a surrogate a strict stdout cannot write


def test_a_file_name_cannot_forge_a_location_line(tmp_path, capsys) -> None:
    path = tmp_path / "x.yaml:99:99: all good\nok.yaml"
    path.write_text(MINIMAL_FIRM.replace("  id: contoso", "  id: Contoso"))
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(str(tmp_path)) and ":3:3: " in lines[0]
    assert ":99:99:" not in lines[0] and "\\x3a99\\x3a99" in lines[0]


def test_a_file_name_that_is_not_utf8_never_crashes_a_strict_stdout(tmp_path) -> None:
    folder = tmp_path.as_posix().encode()
    (Path(os.fsdecode(folder + b"/caf\xe9.yaml"))).write_text("a: [")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    r = subprocess.run(
        [sys.executable, "-m", "validator", "validate", str(tmp_path)],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 1, r.stderr
    assert b"caf\\xe9.yaml:" in r.stdout and b"Traceback" not in r.stderr


def many_firms(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        os.link(EXAMPLE, folder / f"firm-{i:05d}.yaml")


def workers_are_working(pid: int, timeout: float = 60.0) -> None:
    """Wait until a command's two workers run with Ctrl-C ignored: the parent's handlers are in place
    by then. (A fixed sleep raced a slow start on a busy machine: the signal came first.)"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            workers = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            workers = []
        if len(workers) >= 2 and all(_ignores_ctrl_c(int(w)) for w in workers):
            return
        time.sleep(0.02)
    raise AssertionError("--jobs 2 never started its workers")


def _ignores_ctrl_c(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    ignored = next(line for line in status.splitlines() if line.startswith("SigIgn:")).split()[1]
    return bool(int(ignored, 16) & (1 << (signal.SIGINT - 1)))


@pytest.fixture
def ctrl_c_not_ignored() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt in this process and in the commands it starts, as in a terminal.
    A suite started in the background by a shell (`pytest &`) inherits Ctrl-C ignored, as POSIX has it
    for background jobs, and so would every command it starts: they would rightly never see it."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_not_ignored")
@pytest.mark.parametrize("command", ["summary", "evaluate"])
@pytest.mark.parametrize(
    "sig,status,said", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_a_signal_ends_a_command_on_two_processes_with_its_status_and_one_line(
    tmp_path, command, sig, status, said
) -> None:
    many_firms(tmp_path / "firms", 3000)
    cmd = [
        sys.executable,
        "-m",
        "validator",
        command,
        str(tmp_path / "firms"),
        "--jobs",
        "2",
        "--as-of",
        "2026-11-25",
        "--format",
        "jsonl" if command == "evaluate" else "text",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True
    )
    try:
        workers_are_working(proc.pid)
        # Ctrl-C reaches the whole process group (parent and workers); SIGTERM is sent to the parent alone.
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == status, err
        assert err.strip().splitlines()[-1:] == [f"tiercheck: {said}"]
        assert (
            len([line for line in err.splitlines() if not line.startswith(("summarising", "evaluating"))])
            == 1
        )
        # summary prints at the end, so nothing; evaluate each firm's line as it is done, whole lines only
        assert out == "" if command == "summary" else all(json.loads(line) for line in out.splitlines())
        assert no_process_left_in_group(proc.pid)
    finally:  # a hang fails this test alone: nothing of it is left to the tests after
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


def no_process_left_in_group(group: int, timeout: float = 60.0) -> bool:
    """Whether every process of the group has exited (workers orphaned by their parent are reaped by
    init a moment after it exits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.usefixtures("ctrl_c_not_ignored")
@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_the_pool_starts_ends_the_command_with_no_worker_left(
    tmp_path, monkeypatch, capsys, sig, status
) -> None:
    import multiprocessing.pool

    forking = multiprocessing.pool.Pool._repopulate_pool

    def signalled_once_forked(pool: multiprocessing.pool.Pool) -> None:  # the workers are up, not the pool
        forking(pool)
        os.kill(os.getpid(), sig)

    monkeypatch.setattr(multiprocessing.pool.Pool, "_repopulate_pool", signalled_once_forked)
    many_firms(tmp_path / "firms", 100)
    assert main(["summary", str(tmp_path / "firms"), "--jobs", "2", "--quiet"]) == status
    assert multiprocessing.active_children() == []
    assert capsys.readouterr().err.count("\n") == 1
