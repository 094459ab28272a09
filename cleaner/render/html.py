"""HTML5 from Jinja2 templates, always autoescaped: scraped text never becomes markup,
in the built-in templates or in a user's own (``--template-dir``).

A user's templates run in Jinja's sandbox: a template directory is code someone may have
downloaded, and an unsandboxed one runs anything (``{{ cycler.__init__.__globals__.os
.popen('id').read() }}``). The built-in templates are part of cleaner and run as they are.
Autoescaping stops markup, not URLs: a template that puts model text in ``href`` or ``src``
lets ``javascript:`` through (the README says so; the built-in templates never do it).
"""

from __future__ import annotations

import traceback
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import UsageError
from ..model import Article
from . import RenderOptions
from .layout import layout

FRAGMENT = "article.html.j2"
PAGE = "page.html.j2"


def builtin_template_dir() -> Path:
    """Templates ship inside the wheel as ``cleaner/templates``; in a source checkout they
    are the repository's top-level ``templates/``."""
    packaged = Path(str(resources.files("cleaner") / "templates"))
    if (packaged / FRAGMENT).is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=8)
def _environment(template_dir: str | None) -> Environment:
    loaders = [FileSystemLoader(str(builtin_template_dir()))]
    if template_dir is not None:
        # The user's templates come first; anything they do not override falls back.
        loaders.insert(0, FileSystemLoader(template_dir))
    kind = Environment if template_dir is None else SandboxedEnvironment
    return kind(
        loader=ChoiceLoader(loaders),
        autoescape=True,  # every template, whatever its name: scraped text is never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(article: Article, options: RenderOptions = RenderOptions()) -> str:
    body_only, standalone, template_dir = options.body_only, options.standalone, options.template_dir
    if template_dir is not None and not Path(template_dir).is_dir():
        raise UsageError(f"template directory {template_dir} does not exist")
    environment = _environment(None if template_dir is None else str(Path(template_dir).resolve()))
    try:
        template = environment.get_template(PAGE if standalone else FRAGMENT)
        return template.render(article=article, blocks=layout(article.body), body_only=body_only)
    except TemplateNotFound as error:
        raise UsageError(f"template {error.name} not found in {template_dir or builtin_template_dir()}") from None
    except TemplateSyntaxError as error:
        raise UsageError(f"template {error.filename or error.name}, line {error.lineno}: {error.message}") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"a template in {template_dir or builtin_template_dir()} is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except RecursionError as error:
        if template_dir is None:
            raise
        # A template that includes (or extends) itself, directly or in a cycle.
        raise UsageError(f"template {_where(error)}: includes itself without end (an include or extends cycle)") from None
    except (TemplateError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
        if template_dir is None:
            raise  # the built-in templates failing is a bug, not a user error
        # An undefined name or a failing expression in the user's template: say where.
        raise UsageError(f"template {_where(error)}: {type(error).__name__}: {error}") from None


def _where(error: Exception) -> str:
    """'file, line N' of the innermost template frame of an error raised while rendering
    (Jinja2 maps template code back to template lines in tracebacks)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2") or frame.filename.endswith(".html"):
            return f"{frame.filename}, line {frame.lineno}"
    return "rendering"
