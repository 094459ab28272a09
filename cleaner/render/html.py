"""HTML5 from Jinja2 templates, always autoescaped: scraped text never becomes markup,
in the built-in templates or in a user's own (``--template-dir``).

A user's templates run in Jinja's sandbox: a template directory is code someone may have
downloaded, and an unsandboxed one runs anything (``{{ cycler.__init__.__globals__.os
.popen('id').read() }}``). The built-in templates are part of cleaner and run as they are.
Autoescaping stops markup, not URLs: a template that puts model text in ``href`` or ``src``
lets ``javascript:`` through (the README says so; the built-in templates never do it:
their links go through the ``inline``, ``safe_url`` and ``image_url`` filters).

Templates receive ``article`` (the model), ``blocks`` (its body laid out: lists grouped,
images where they stood, see ``layout``), ``body_only`` and ``page`` (what the header
and ``<head>`` say: see ``context.Page``); the filters ``inline`` (a block's text with its
marks as markup, escaped; ``block|inline(page.base)`` resolves relative links against the
article's address), ``safe_url`` (a URL, or None unless http, https, mailto or relative)
and ``image_url`` (an image's URL where one may be shown) are there for every template. The EPUB and the site's pages use the same
environment and the same article template.
"""

from __future__ import annotations

import traceback
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..errors import UsageError
from ..model import Article, MarkKind
from . import RenderOptions
from .context import page_context
from .inline import Close, Open, events, runs, safe_url
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


_TAGS = {MarkKind.EMPHASIS: "em", MarkKind.STRONG: "strong", MarkKind.CODE: "code", MarkKind.LINK: "a"}


def inline_html(block, base: str | None = None, *, relative: bool = True) -> Markup:
    """A block's text with its marks as HTML (the ``inline`` filter): text escaped, marks
    nested (split where they cross), links only to safe URLs, relative ones resolved
    against ``base`` (the article's address: ``page.base``)."""
    text, marks = block.text, getattr(block, "marks", ())
    if not marks:
        return escape(text)
    out = []
    for event in events(runs(text, marks, base, relative=relative)):
        if isinstance(event, str):
            out.append(str(escape(event)))
        elif isinstance(event, Open):
            out.append(f'<a href="{escape(event.mark.url)}">' if event.mark.kind is MarkKind.LINK else f"<{_TAGS[event.mark.kind]}>")
        else:
            out.append(f"</{_TAGS[event.mark.kind]}>")
    return Markup("".join(out))


FILTERS = {"inline": inline_html, "safe_url": safe_url, "image_url": safe_url}
# (``image_url`` is ``safe_url`` on a page; an EPUB's environment shows no remote image.)


@lru_cache(maxsize=8)
def environment(template_dir: str | None) -> Environment:
    """The template environment with cleaner's filters (``_environment`` builds it)."""
    built = _environment(template_dir)
    built.filters.update(FILTERS)
    return built


def check_template_dir(template_dir: Path | None) -> str | None:
    """The directory as the environment's cache key; a usage error when it is missing."""
    if template_dir is None:
        return None
    if not Path(template_dir).is_dir():
        raise UsageError(f"template directory {template_dir} does not exist")
    return str(Path(template_dir).resolve())


def render_html(article: Article, options: RenderOptions = RenderOptions()) -> str:
    standalone, template_dir = options.standalone, options.template_dir
    templates = environment(check_template_dir(template_dir))
    return render_template(templates, PAGE if standalone else FRAGMENT, template_dir, **html_context(article, options))


def html_context(article: Article, options: RenderOptions) -> dict:
    """What the article templates receive."""
    body_only = options.body_only
    return {"article": article, "blocks": layout(article.body, () if body_only else article.media), "body_only": body_only, "page": page_context(article, options)}


def render_template(templates: Environment, name: str, template_dir: Path | None, **context) -> str:
    """Render one template; a broken user template is a usage error saying where."""
    try:
        return templates.get_template(name).render(**context)
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
