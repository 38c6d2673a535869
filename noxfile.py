"""Sessions: tests, lint, typing, browser and ecosystem run by default; bench and build on request."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typing", "browser", "ecosystem"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite against the installed package (not the checkout)."""
    session.install(".[test]")
    session.run("pytest", "-m", "not browser", *session.posargs)


@nox.session
def ecosystem(session: nox.Session) -> None:
    """The tool as others run it: the real pre-commit hook (and the GitHub Action's steps)."""
    session.install(".[test]")
    session.run("pytest", "-m", "ecosystem", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: style, imports, docstrings, common bugs."""
    session.install("ruff")
    session.run("ruff", "check", "validator", "tests", "bench", "noxfile.py")
    session.run("ruff", "format", "--check", "validator", "tests", "bench", "noxfile.py")


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over the package."""
    session.install(".", "mypy", "types-PyYAML", "types-jsonschema")
    session.run("mypy")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time validate, evaluate, summary (vs CSafeLoader, check-jsonschema) and site on generated files."""
    session.install(".", "check-jsonschema")
    session.run("python", "bench/run.py", *session.posargs)


@nox.session(default=False)
def build(session: nox.Session) -> None:
    """The sdist and wheel into dist/, then `twine check` on both (metadata and README render)."""
    shutil.rmtree("dist", ignore_errors=True)
    session.install("build", "twine")
    session.run("python", "-m", "build", "--outdir", "dist")
    session.run("twine", "check", "--strict", *map(str, Path("dist").glob("*")))


@nox.session
def browser(session: nox.Session) -> None:
    """The HTML pages in headless Chromium, driven by Playwright; screenshots go to test-artifacts/."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
            try:
                session.run("apt-get", "update", "-qq", external=True)
                session.run("apt-get", "install", "-y", "-qq", "chromium", external=True)
            except nox.command.CommandFailed:
                session.log("could not install chromium; the browser tests will skip and say so")
        else:
            session.log(
                "no chromium: install it (Debian: sudo apt-get install chromium); the tests will skip"
            )
    session.install(".[test]", "playwright")
    session.run("pytest", "-m", "browser", "tests/browser", *session.posargs)


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """One verdict and whole packs with many more cases (`nox -s fuzz -- N`: N files, N/10 kills)."""
    session.install(".[test]")
    examples = session.posargs[0] if session.posargs else "20000"
    session.run(
        "pytest",
        "-q",
        "tests/unit/test_one_verdict.py",
        "tests/unit/test_atomic.py",
        env={"TIERCHECK_FUZZ_EXAMPLES": examples},
    )


@nox.session(default=False)
def mutation(session: nox.Session) -> None:
    """Mutation testing of the decision modules (pyproject [tool.mutmut]; equivalents in
    tests/mutation-equivalents.md). On 2 shared cores a module takes 10 to 40 minutes after a first
    pass of some minutes over the tests, so name one module at a time:
    `nox -s mutation -- "validator.standing*"`."""
    import resource  # mutmut forks: POSIX only, like this session

    session.install(".[test]", "mutmut==3.8.1")
    # a mutant looping as it appends fills the memory long before mutmut's CPU timeout: 4 GiB a process
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    session.run("mutmut", "run", "--max-children", "2", *session.posargs)
    session.run("mutmut", "results")
