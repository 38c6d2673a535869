"""The Jinja environment: bundled templates, optionally overridden by a folder of the user's."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..resources import bundled


def environment(override: str | Path | None) -> jinja2.Environment:
    """Autoescaping, strict about undefined names; templates in `override` win over the bundled ones."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(bundled("templates")))]
    if override is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(override)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
