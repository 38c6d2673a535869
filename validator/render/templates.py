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


PACK = ("evidence.html.j2", "evidence.md.j2", "evidence.css")  # what `--templates` can override


def unused_in(folder: Path) -> list[str]:
    """The files in a `--templates` folder (by path inside it) that the evidence pack never reads:
    neither one of `PACK` nor a template one of the folder's own templates includes, imports or
    extends (a partial of the user's). Hidden files are left out; so is a template that cannot be
    parsed, whose error rendering reports at its line."""
    import jinja2.meta  # only --templates needs it: not paid on every start

    files = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    env = jinja2.Environment()
    used = set(PACK)
    for name in files:
        try:
            parsed = env.parse((folder / name).read_text("utf-8"))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError, OSError):
            continue
        used.update(n for n in jinja2.meta.find_referenced_templates(parsed) if n is not None)
    return [name for name in files if name not in used]


def failed_at(exc: jinja2.TemplateError, override: str | Path | None) -> tuple[str, int] | None:
    """The template file and line where rendering failed (from the traceback Jinja rewrites to
    template lines), or None when no template frame is found."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    import traceback  # only a failing template needs it: not paid on every start

    folders = [Path(f).resolve() for f in (override, bundled("templates")) if f is not None]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(Path(frame.filename).resolve().is_relative_to(f) for f in folders):
            return frame.filename, frame.lineno or 1
    return None
