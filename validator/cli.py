"""The `tiercheck` command line: parse arguments, run a subcommand, turn failures into exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .inputs import UsageError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tiercheck", description="Check partner-program firm files and the tiers they earn."
    )
    parser.add_argument("--version", action="version", version=f"tiercheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser(
        "validate",
        help="check firm files against the schema and reference rules",
        description="Check firm files (or directories of *.yaml, *.yml, *.json).",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text (FILE:LINE:COL: message), json, or github workflow annotations",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from .commands.validate import validate

        return validate(args.paths, args.format, sys.stdout)
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status (0 ok, 1 invalid input, 2 failure)."""
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except UsageError as exc:
        print(f"tiercheck: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly, without a second error at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        print(
            f"tiercheck: internal error: {type(exc).__name__}: {exc} (a bug in tiercheck; please report it)",
            file=sys.stderr,
        )
        return 2
