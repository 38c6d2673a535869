"""The Jinja environment: bundled templates, optionally overridden by a folder of the user's."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..resources import bundled


def environment(override: str | Path | None, autoescape: bool = True) -> jinja2.Environment:
    """Strict about undefined names, escaping HTML unless told not to (Markdown); templates in
    `override` win over the bundled ones, which fill in the rest."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(bundled("templates")))]
    if override is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(override)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
