"""Survey pages that show no answer yet, rendered once and kept.

The most frequent page view of the product is a respondent opening a page they have not answered: the same HTML
for every respondent of a link, apart from the CSRF field and the response id. Building and rendering it each time
was half of the server's time holding the GIL under load (py-spy --gil, 50 simulated respondents). So such a page
is built and rendered once per key, with marks where the per-respondent values go, and kept; later views copy it
and put the values in. Pages that show answers or errors are rendered as before: they are personal, and the kept
pages never hold what a respondent typed. The caller names the key (`pages.pristine_key`: everything the page is
made from); the cache forgets the oldest page beyond ``size``.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.enums import MediaType
from litestar.exceptions import ImproperlyConfiguredException
from litestar.response import Template
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

AnyRequest = Request[Any, Any, Any]
_MARK = secrets.token_hex(8)  # new in each process: no survey text can contain it
CSRF_INPUT = "csrf_input"


def _mark(name: str) -> str:
    return f"kept-{name}-{_MARK}"


class KeptPages:
    """Rendered pages by key, the oldest forgotten beyond ``size``."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._pages: dict[Hashable, str] = {}

    def __len__(self) -> int:
        return len(self._pages)

    def response(
        self,
        request: AnyRequest,
        key: Hashable,
        build: Callable[[], Template],
        personal: Mapping[str, str],
        cookies: Sequence[Cookie],
    ) -> Response[str]:
        """The page of ``key`` with the ``personal`` values (and this request's CSRF field) put in; ``build`` makes
        its template the first time. The response carries ``cookies``, never those of the first build."""
        page = self._pages.get(key)
        if page is None:
            template = build()
            marks = {name: _mark(name) for name in personal}
            context = {**template.context, **marks, CSRF_INPUT: _mark(CSRF_INPUT)}
            if (engine := request.app.template_engine) is None:
                raise ImproperlyConfiguredException("the app has no template engine")
            page = engine.get_template(str(template.template_name)).render(**context)
            self._pages[key] = page
            if len(self._pages) > self.size:
                del self._pages[next(iter(self._pages))]
        token = html.escape(value_or_default(ScopeState.from_scope(request.scope).csrf_token, ""))
        values = {CSRF_INPUT: f'<input type="hidden" name="_csrf_token" value="{token}" />'}
        values.update({name: html.escape(value) for name, value in personal.items()})
        for name, value in values.items():
            page = page.replace(_mark(name), value)
        return Response(page, media_type=MediaType.HTML, cookies=cookies)
