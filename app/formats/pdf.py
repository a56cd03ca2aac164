"""HTML to PDF with WeasyPrint, offline: nothing is ever fetched from the network.

A report holds a client's answers; rendering it must not leak a request to anywhere (a tracking pixel, a web font, a
stylesheet on a CDN), nor hang on a slow host. Only files inside one local folder (the app's static folder) and
data: URLs are read; every other URL is refused and WeasyPrint leaves that resource out.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher

log = logging.getLogger(__name__)


class OfflineFetcher(URLFetcher):
    """Serves file: URLs under `root` and data: URLs; refuses http, https, ftp and everything else."""

    def __init__(self, root: str | Path):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = Path(root).resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        # A file URL naming a host (//host/x.png read against a file: base) is refused before urllib would look the
        # host name up.
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root):
                return super().fetch(url, headers)
        self.refused.append(url)
        log.warning("PDF rendering refused to fetch %s", url)
        raise ValueError(f"refused to fetch {url}: PDF rendering reads local files only")


def html_to_pdf(html: str, base_dir: str | Path, fetcher: OfflineFetcher | None = None) -> bytes:
    """`base_dir`: the folder relative links resolve against, and the only one files are read from."""
    fetcher = fetcher or OfflineFetcher(base_dir)
    base_url = Path(base_dir).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
