"""Survey pages that show no answer yet, rendered once and kept.

The most frequent page view of the product is a respondent opening a page they have not answered: the same HTML
for every respondent of a link, apart from the CSRF field and the response id. Rendering it with Jinja2 each time
was a third of the server's main-thread time under load (py-spy, 50 simulated respondents). So such a page is
rendered once per distinct context, with marks where the per-respondent values go, and kept; later views copy it
and put the values in. Pages that show answers or errors are rendered as before: they are personal, and the kept
pages never hold what a respondent typed.

The cache key is the whole template context (``repr`` of every value but the per-respondent ones), so nothing a
template reads can be left out of it; the cache forgets the oldest page beyond ``size``.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Mapping
from typing import Any

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.response import Template
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

AnyRequest = Request[Any, Any, Any]
_MARK = secrets.token_hex(8)  # new in each process: no survey text can contain it
CSRF_INPUT = "csrf_input"


def _mark(name: str) -> str:
    return f"kept-{name}-{_MARK}"


class KeptPages:
    """Rendered pages by template and context, the oldest forgotten beyond ``size``."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._pages: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._pages)

    def response(self, request: AnyRequest, template: Template, personal: Mapping[str, str]) -> Response[str]:
        """``template`` as a response, rendered with marks for the ``personal`` context values (and the CSRF
        field) once, then served from the kept copy with the values put in."""
        name = str(template.template_name)
        shared = {key: value for key, value in template.context.items() if key not in personal}
        key = name + repr(sorted(shared.items()))
        page = self._pages.get(key)
        if page is None:
            marks = {key: _mark(key) for key in personal}
            engine = request.app.template_engine
            page = engine.get_template(name).render(**shared, **marks, csrf_input=_mark(CSRF_INPUT))
            self._pages[key] = page
            if len(self._pages) > self.size:
                del self._pages[next(iter(self._pages))]
        token = html.escape(value_or_default(ScopeState.from_scope(request.scope).csrf_token, ""))
        values = {CSRF_INPUT: f'<input type="hidden" name="_csrf_token" value="{token}" />'}
        values.update({key: html.escape(value) for key, value in personal.items()})
        for key, value in values.items():
            page = page.replace(_mark(key), value)
        return Response(
            page,
            status_code=template.status_code or 200,
            media_type=MediaType.HTML,
            cookies=template.cookies,
            headers=template.headers,
        )
