"""The only way a report reaches outside its HTML: files under the allowed folders, and inline ``data:`` URLs.

WeasyPrint fetches every stylesheet, image and font through its URL fetcher. Ours serves files whose *resolved*
path (symlinks followed) lies inside the project's templates, brands or attachments folder, and refuses every
other URL — http(s), ftp, and files anywhere else — so neither a comment nor a brand can make a report fetch or
embed anything. Refusals are recorded (`refused`) so tests and logs can see them.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

LOG = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A URL outside what a report may read."""


class SafeFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """Serve files under ``roots`` and ``data:`` URLs; refuse everything else."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.refused: list[str] = []

    def allowed_path(self, url: str) -> Path:
        """The file a ``file:`` URL names, if it lies inside a root; RefusedURL otherwise."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"refused {url[:80]!r}: reports read local files and data: URLs only")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(f"refused {url[:80]!r}: outside the templates, brands and attachments folders")
        if not path.is_file():
            raise RefusedURL(f"refused {url[:80]!r}: no such file")
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = self.allowed_path(url)
        except RefusedURL as error:
            self.refused.append(url)
            LOG.warning("%s", error)
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".woff2":
            content_type = "font/woff2"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
