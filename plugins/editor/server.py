"""The preview server of ``invoke serve``: live reload, the build's problems on every
page, and (``--edit``) the editor's local backend on the same address.

It is livereload's server (tornado) with three additions:

- when the last build failed, every preview page opens with its message
  (file, line, field, fix) where staff look, above the last good version;
- ``/admin/api/v1``: the editor's backend (backend.py), which refuses any
  request not coming from the preview's own pages;
- ``/admin/api/build``: the build's state, which the editor shows after a save.

The editor's own page is left out of live reload: a rebuild must not reload
the form staff are typing in.
"""

import html
import json
import threading
from pathlib import Path

from bilingual.i18n import N_
from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from tornado import escape, web

from .backend import LocalBackend, Refused, request_refusal

LIVE_SCRIPT = (
    '<script>(function(){var s=document.createElement("script");'
    's.src="/livereload.js?port="+(window.location.port||80);'
    "document.head.appendChild(s);})();</script>"
)


class BuildStatus:
    """The preview's last build: "building", "ok" or "failed" (with its message)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.state, self.message, self.builds = "building", "", 0

    def started(self):
        with self.lock:
            self.state = "building"

    def finished(self, problem=None):
        with self.lock:
            self.state = "failed" if problem else "ok"
            self.message = problem or ""
            self.builds += 1

    def as_dict(self):
        with self.lock:
            return {"state": self.state, "message": self.message, "builds": self.builds}


def no_translation(message):
    return message


def problem_banner(message, gettext=no_translation, lang="en"):
    """The box that opens every preview page while the last build failed (its words
    in the staff's language, through ``gettext``)."""
    heading = gettext(N_("This is the last good version of the site. Fix the following:"))
    return (
        f'<div role="alert" id="preview-problem" lang="{html.escape(lang)}" '
        'style="margin:0;padding:1rem 1.25rem;'
        "background:#fdecec;color:#5c0a0a;border-bottom:3px solid #a61b1b;"
        'font:16px/1.6 sans-serif">'
        f"<strong>{html.escape(heading)}</strong>"
        f'<pre style="white-space:pre-wrap;margin:.5rem 0 0;font-size:15px">'
        f"{html.escape(message)}</pre></div>"
    )


def missing_page(status, gettext=no_translation, lang="en"):
    """The page of an address the preview has no file for: the build's problem when
    the last build failed (on a first start, nothing has been built yet), else a
    plain "not found" that leads home. Live reload brings the site once it builds."""
    current = status.as_dict()
    if current["state"] == "failed":
        heading = gettext(N_("The site could not be built"))
        text = problem_banner(current["message"], gettext, lang)
    else:
        heading = gettext(N_("Page not found"))
        text = f'<p><a href="/">{html.escape(gettext(N_("Home")))}</a></p>'
    heading = html.escape(heading)
    return (f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{heading}</title></head><body><h1>{heading}</h1>{text}</body></html>")


class PreviewFileHandler(StaticFileHandler):
    """The preview's files; an address without one gets ``missing_page``."""

    def initialize(self, status, gettext=no_translation, lang="en", **kwargs):
        super().initialize(**kwargs)
        self.status, self.gettext, self.lang = status, gettext, lang

    def write_error(self, status_code, **kwargs):
        if status_code != 404:
            return super().write_error(status_code, **kwargs)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        site_page = self.site_not_found_page()
        if site_page is not None and self.status.as_dict()["state"] != "failed":
            return self.finish(site_page.read_bytes())
        return self.finish(missing_page(self.status, self.gettext, self.lang))

    def site_not_found_page(self):
        """The site's own not-found page of the address's language (404.html, en/404.html)."""
        root = Path(self.root)
        first = self.request.path.strip("/").split("/")[0]
        for candidate in (root / first / "404.html", root / "404.html"):
            if candidate.is_file():
                return candidate
        return None


class PreviewServer(Server):
    def __init__(self, status, backend=None, editor_url="admin/", origins=(),
                 gettext=no_translation, lang="en"):
        super().__init__()
        self.status = status
        # The staff's language, for the problem page and box.
        self.gettext, self.lang = gettext, lang
        self.backend = backend
        self.editor_url = editor_url
        self.origins = frozenset(origins)

    def get_web_handlers(self, script):
        prefix = f"/{self.editor_url}api"
        handlers = [(f"{prefix}/build", BuildStatusHandler, {"status": self.status})]
        if self.backend is not None:
            handlers.append((f"{prefix}/v1", EditorApiHandler,
                             {"backend": self.backend, "origins": self.origins}))
        return handlers + [(r"/(.*)", PreviewFileHandler, {
            "path": self.root or ".", "default_filename": "index.html", "status": self.status,
            "gettext": self.gettext, "lang": self.lang})]

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        status, editor_path = self.status, f"/{self.editor_url}"
        gettext, lang = self.gettext, self.lang

        class PreviewTransform(web.OutputTransform):
            def __init__(self, request):
                super().__init__(request)
                self.path = request.path

            def transform_first_chunk(self, status_code, headers, chunk, finishing):
                if "html" not in headers.get("Content-Type", "") or \
                        self.path.startswith(editor_path):
                    return status_code, headers, chunk
                added = b""
                current = status.as_dict()
                if current["state"] == "failed":
                    added = escape.utf8(problem_banner(current["message"], gettext, lang))
                chunk = chunk.replace(b"</head>", escape.utf8(LIVE_SCRIPT) + b"</head>", 1)
                body = chunk.find(b"<body")
                if added and body >= 0 and b'id="preview-problem"' not in chunk:
                    end = chunk.find(b">", body) + 1
                    chunk = chunk[:end] + added + chunk[end:]
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(len(chunk))
                return status_code, headers, chunk

        handlers = [(r"/livereload", LiveReloadHandler),
                    (r"/livereload.js", LiveReloadJSHandler)] + self.get_web_handlers(b"")
        app = web.Application(handlers=handlers, debug=bool(debug),
                              transforms=[PreviewTransform])
        app.listen(port, address=host)


class EditorApiHandler(web.RequestHandler):
    def initialize(self, backend, origins):
        self.backend, self.origins = backend, origins

    def check_xsrf_cookie(self):
        pass  # the Origin check below is the protection (a JSON API, no cookies)

    def post(self):
        refusal = request_refusal(self.request.host, self.request.headers.get("Origin"),
                                  self.request.headers.get("Content-Type"), self.origins)
        if refusal:
            self.answer(403, {"error": refusal})
            return
        try:
            request = json.loads(self.request.body or b"null")
            self.answer(200, self.backend.handle(request))
        except Refused as refused:
            self.answer(refused.status, {"error": str(refused)})
        except (ValueError, KeyError, TypeError) as error:
            self.answer(422, {"error": f"bad request: {error}"})

    def answer(self, code, body):
        self.set_status(code)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body, ensure_ascii=False))


class BuildStatusHandler(web.RequestHandler):
    def initialize(self, status):
        self.status = status

    def get(self):
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(self.status.as_dict(), ensure_ascii=False))


def own_origins(port):
    return {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}


def local_backend(root, settings):
    """The backend of ``invoke serve --edit``: the content folder of the repository ``root``."""
    return LocalBackend(root, [settings.get("PATH_IN_REPOSITORY", "content")])
