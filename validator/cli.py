"""The `tiercheck` command line: parse arguments, run a subcommand, turn failures into exit status."""

from __future__ import annotations

import argparse
import gc
import glob
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .config import find_config
from .inputs import Terminated, UsageError
from .render.colour import use_colour

if TYPE_CHECKING:
    from .policies import PolicySet


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line that names where to look."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="tiercheck", description="Check partner-program firm files and the tiers they earn.")
    parser.add_argument("-V", "--version", action="version", version=f"tiercheck {__version__}")
    common = Parser(add_help=False)
    common.add_argument(
        "--traceback",
        action="store_true",
        help="on an internal error, print its full stack (for a bug report)",
    )
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="only what is wrong: no totals, 'ok' or 'wrote' lines, or progress (summaries stay whole)",
    )
    common.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour text output: auto (default) on a terminal unless NO_COLOR is set",
    )
    paths = Parser(add_help=False)
    paths.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out files a glob matches, by path or name (repeatable), e.g. --exclude 'fixtures/*'",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser(
        "validate",
        parents=[common, paths],
        help="check firm files against the schema, the reference rules and the policy",
        description="Check firm files (or directories of *.yaml, *.yml, *.json).",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for standard input")
    _stdin_filename(validate)
    _format(validate, "validate")
    _policy(validate)
    validate.add_argument("--strict", action="store_true", help="a warning fails the run too (exit 1)")

    evaluate = sub.add_parser(
        "evaluate",
        parents=[common, paths],
        help="the tier each firm is eligible for as of a date, and why",
        description="Evaluate firm files under the policy in effect on the as-of date.",
    )
    evaluate.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for standard input")
    _stdin_filename(evaluate)
    _as_of(evaluate, required=False)
    _policy(evaluate)
    _jobs(evaluate)
    _format(evaluate, "evaluate")

    report = sub.add_parser(
        "report",
        parents=[common, paths],
        help="write a firm's evidence pack: evidence.html, evidence.md, evidence.json",
        description="Render a firm's evidence pack into a folder (written atomically); given a folder of "
        "firm files, one pack per firm in DIR/<firm id>/.",
    )
    report.add_argument("path", metavar="PATH", help="a firm file, or a folder of them")
    _as_of(report, required=False)
    report.add_argument("--out", required=True, metavar="DIR", help="the folder to write the pack(s) into")
    _policy(report)
    report.add_argument(
        "--templates", metavar="DIR", help="a folder of templates overriding the bundled ones"
    )
    _format(report, "report")

    summary = sub.add_parser(
        "summary",
        parents=[common, paths],
        help="every firm at once: tiers, firms within reach, firms facing demotion",
        description="Evaluate thousands of firm files on every core and summarise them.",
    )
    summary.add_argument("paths", nargs="+", metavar="PATH")
    _as_of(summary, required=False)
    _policy(summary)
    _format(summary, "summary")
    _jobs(summary)
    listed = summary.add_mutually_exclusive_group()
    listed.add_argument(
        "--limit",
        type=_positive,
        default=50,
        metavar="N",
        help="list at most N firms in each list (default 50)",
    )
    listed.add_argument("--all", action="store_true", help="list every firm in each list")

    site = sub.add_parser(
        "site",
        parents=[common, paths],
        help="write the program site: every firm, one page per firm with its numbers daily, the rules",
        description="Write a static site: index.html, firms/<id>.html, program.html, firms.csv, firms.json. "
        "A rebuild renders only the firms whose file changed.",
    )
    site.add_argument("paths", nargs="+", metavar="PATH")
    site.add_argument("--out", required=True, metavar="DIR", help="the folder to write the site into")
    _as_of(site, required=False)
    _policy(site)
    _jobs(site)
    _format(site, "site")

    policy = sub.add_parser("policy", help="work with policy files").add_subparsers(
        dest="policy_command", required=True, metavar="COMMAND"
    )
    check = policy.add_parser(
        "check",
        parents=[common],
        help="check policy files against the policy meta-schema",
        description="Check a policy file or folder (default: the configured policy, else the bundled one).",
    )
    check.add_argument("path", nargs="?", metavar="PATH")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too (exit 1)")
    _format(check, "policy check")
    diff = policy.add_parser(
        "diff",
        parents=[common, paths],
        help="what changed between two policy versions, and which firms it moves",
        description="Compare two policy files (or folders: the version in effect on --as-of).",
    )
    # optional to argparse, so `--firms DIR OLD NEW` (where --firms takes all three) gets our message
    diff.add_argument("old", metavar="OLD", nargs="?")
    diff.add_argument("new", metavar="NEW", nargs="?")
    diff.add_argument(
        "--firms",
        nargs="+",
        metavar="PATH",
        default=[],
        help="firm files or folders: report whose eligible tier moves",
    )
    _as_of(diff, required=False)
    _format(diff, "policy diff")

    firm_schema = sub.add_parser(
        "schema",
        parents=[common],
        help="print the firm-file JSON Schema, with the fields and records the policy declares",
        description="Print the JSON Schema a firm file is checked against under the policy (for editors).",
    )
    _policy(firm_schema)
    _format(firm_schema, "schema")
    return parser


FORMATS = {
    "validate": ("text", "json", "github", "sarif", "junit"),
    "evaluate": ("text", "json", "jsonl", "markdown", "github", "sarif", "junit"),
    "report": ("text", "json"),
    "summary": ("text", "json", "markdown", "html"),
    "site": ("text", "json"),
    "policy check": ("text", "json"),
    "policy diff": ("text", "json", "markdown"),
    "schema": ("json", "markdown"),
}


def _format(parser: argparse.ArgumentParser, command: str) -> None:
    choices = FORMATS[command]
    fallback = "text" if "text" in choices else choices[0]
    parser.add_argument(
        "--format",
        choices=("auto", *choices),
        default="auto",
        help=f"auto (default): github when GITHUB_ACTIONS=true, else {fallback}"
        if "github" in choices
        else f"auto (default) is {fallback}",
    )


def output_format(given: str, command: str, environ: Mapping[str, str]) -> str:
    """The format asked for; `auto` is GitHub annotations inside GitHub Actions when the command has them."""
    if given != "auto":
        return given
    choices = FORMATS[command]
    if environ.get("GITHUB_ACTIONS") == "true" and "github" in choices:
        return "github"
    return "text" if "text" in choices else choices[0]


def _iso_date(text: str) -> date:
    from .dates import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("invalid")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a calendar date (YYYY-MM-DD)") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{text} is outside the supported years {FIRST_DAY.year} to {LAST_DAY.year}"
        )
    return day


def _as_of(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument(
        "--as-of",
        type=_iso_date,
        required=required,
        metavar="YYYY-MM-DD",
        help="the date to evaluate on" + ("" if required else " (default: today)"),
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs", type=_positive, default=0, metavar="N", help="processes, at least 1 (default: every core)"
    )


def _stdin_filename(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="the name standard input (a PATH of -) has in messages; a .json name reads it as JSON",
    )


def _policy(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy", metavar="PATH", help="a policy file or folder of versions (default: the bundled policy)"
    )


def _load_policies(path: str | None) -> PolicySet:
    from .policies import policies_to_run

    return policies_to_run(path)


def run(args: argparse.Namespace) -> int:
    command = _command(args)
    config = find_config(Path.cwd(), ("auto", *dict.fromkeys(f for fs in FORMATS.values() for f in fs)))
    if config.format in FORMATS[command] and args.format == "auto":
        args.format = config.format
    args.format = output_format(args.format, command, os.environ)
    if getattr(args, "policy", None) is None and hasattr(args, "policy"):
        args.policy = config.policy
    if getattr(args, "jobs", None) == 0 and config.jobs:  # 0: no --jobs given (it takes 1 or more)
        args.jobs = config.jobs
    exclude = [*config.exclude, *getattr(args, "exclude", [])]
    if getattr(args, "policy", None):  # a walked folder holding the policy: its files are no firm's
        exclude.append(glob.escape(os.path.abspath(args.policy)))  # noqa: PTH100 - as `excluded` compares
    as_of = getattr(args, "as_of", None) or date.today()
    quiet = args.quiet
    if args.command == "validate":
        from .commands.validate import validate
        from .policies import checked_to_run

        color = use_colour(args.color, sys.stdout, os.environ)
        return validate(
            args.paths,
            checked_to_run(args.policy),
            args.format,
            args.strict,
            sys.stdout,
            exclude=exclude,
            stdin_name=args.stdin_filename or "<stdin>",
            quiet=quiet,
            color=color,
        )
    if args.command == "evaluate":
        from .commands.evaluate import evaluate

        policies = _load_policies(args.policy)
        return evaluate(
            args.paths,
            as_of,
            policies,
            args.format,
            sys.stdout,
            jobs=args.jobs,
            exclude=exclude,
            stdin_name=args.stdin_filename or "<stdin>",
            quiet=quiet,
        )
    if args.command == "report":
        from .commands.report import report

        policies = _load_policies(args.policy)
        return report(
            args.path,
            as_of,
            policies,
            args.out,
            args.templates,
            args.format,
            sys.stdout,
            exclude=exclude,
            quiet=quiet,
        )
    if args.command == "summary":
        from .commands.summary import summary

        policies = _load_policies(args.policy)
        return summary(
            args.paths,
            as_of,
            policies,
            args.format,
            args.jobs,
            sys.stdout,
            exclude=exclude,
            limit=None if args.all else args.limit,
            quiet=quiet,
        )
    if args.command == "site":
        from .commands.site import site

        policies = _load_policies(args.policy)
        return site(
            args.paths, as_of, policies, args.out, args.jobs, args.format, sys.stdout,
            exclude=exclude, quiet=quiet,
        )  # fmt: skip
    if args.command == "schema":
        from .commands.schema import print_schema
        from .policies import checked_to_run

        return print_schema(checked_to_run(args.policy), args.format, sys.stdout)
    if args.command == "policy" and args.policy_command == "check":
        from .commands.policy import check

        return check(args.path or config.policy, args.format, sys.stdout, strict=args.strict, quiet=quiet)
    if args.command == "policy":
        from .commands.policy import diff

        if args.new is None:
            raise UsageError(
                "policy diff needs OLD and NEW before --firms, which takes every path after it: "
                "tiercheck policy diff OLD NEW --firms PATH..."
            )
        return diff(
            args.old, args.new, args.firms, as_of, args.format, sys.stdout, exclude=exclude, quiet=quiet
        )
    raise AssertionError(args.command)


def _command(args: argparse.Namespace) -> str:
    """The command as typed: `validate`, `policy check`."""
    return str(args.command) if args.command != "policy" else f"policy {args.policy_command}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status (0 ok, 1 invalid input, 2 failure)."""
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:  # the command's own usage, not the top level's: `report` takes one PATH
        Parser(prog=f"tiercheck {_command(args)}").error(f"unrecognized arguments: {' '.join(extras)}")
    if getattr(args, "stdin_filename", None) is not None and "-" not in args.paths:
        Parser(prog=f"tiercheck {_command(args)}").error(
            "argument --stdin-filename: it names standard input, which is read only for a PATH of - "
            f"(tiercheck {args.command} - --stdin-filename {args.stdin_filename})"
        )
    previous = signal.signal(signal.SIGTERM, _terminated)
    collect = gc.get_threshold()
    # A run makes and drops millions of objects, next to none of them in a cycle: at the collector's
    # default, a pass each time 700 more are made than freed, the passes take 1-2% of a batch run.
    gc.set_threshold(50_000, *collect[1:])
    try:
        return run(args)
    except UsageError as exc:
        print(f"tiercheck: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tiercheck: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("tiercheck: terminated", file=sys.stderr)
        return 143
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly, without a second error at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if args.traceback:
            import traceback  # only a bug report needs it: not paid on every start

            traceback.print_exc()
        print(
            f"tiercheck: internal error: {type(exc).__name__}: {exc} (a bug in tiercheck; please report it"
            + (")" if args.traceback else ", with the stack that --traceback prints)"),
            file=sys.stderr,
        )
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous)
        gc.set_threshold(*collect)


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends every command as Terminated: one line and exit 143, never a silent -15."""
    raise Terminated
