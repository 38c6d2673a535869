"""The Jinja environment: bundled templates, optionally overridden by a folder of the user's."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..resources import bundled


@cache
def environment(override: str | Path | None, autoescape: bool = True) -> jinja2.Environment:
    """Sandboxed (a template reaches no Python internals, so `--templates` cannot run commands),
    strict about undefined names, escaping HTML unless told not to (Markdown); templates in
    `override` win over the bundled ones, which fill in the rest. One per process and folder, so
    each template is compiled once."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(bundled("templates")))]
    if override is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(override)))
    return SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
