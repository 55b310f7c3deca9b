"""The editor's local backend: Decap CMS's file-system protocol, served by our preview.

Decap's own proxy (``decap-server``) listens on every interface unless told
otherwise and lets any web page write into the content (its Origin check is
only CORS: the write happens, the page just cannot read the answer). This one
answers the same JSON actions (POST ``{"action": ..., "params": ...}``), but
only on the preview's own address (``request_refusal``), and reads and writes
only under the content folder.
"""

import base64
import hashlib
import os
import tempfile
from pathlib import Path


class Refused(Exception):
    """A request the backend does not carry out: (HTTP status, message)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def request_refusal(host, origin, content_type, own_origins):
    """Why a request to the backend is refused, or None when it comes from the editor.

    The editor's page is served by the preview itself, so its requests carry
    the preview's own ``Origin``; a page of any other site open in the same
    browser sends its own Origin, or none. The ``Host`` must be the preview's
    too (a foreign name pointed at 127.0.0.1 by DNS must not pass), and the
    body JSON (a cross-site form cannot send it without asking first).
    """
    if origin not in own_origins:
        return f"Origin {origin!r} is not the preview's own ({', '.join(sorted(own_origins))})"
    if f"http://{host}" not in own_origins:
        return f"Host {host!r} is not the preview's own"
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        return "the request's body must be JSON"
    return None


def _id(data):
    return hashlib.sha256(data).hexdigest()


class LocalBackend:
    """Decap's actions on the files of ``root`` (the repository), inside ``folders`` only."""

    def __init__(self, root, folders):
        self.root = Path(root).resolve()
        self.folders = [(self.root / folder).resolve() for folder in folders]

    def path(self, relative):
        """The absolute path of a repository path the backend may touch; Refused otherwise."""
        if not isinstance(relative, str) or not relative or "\0" in relative:
            raise Refused(422, "no path")
        full = (self.root / relative).resolve()
        if not any(full == folder or folder in full.parents for folder in self.folders):
            raise Refused(403, f"{relative!r} is outside the content folder")
        return full

    def relative(self, full):
        return full.relative_to(self.root).as_posix()

    def entry(self, relative):
        try:
            data = self.path(relative).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return {"data": None, "file": {"path": relative, "id": None}}
        return {"data": data.decode("utf-8"), "file": {"path": relative, "id": _id(data)}}

    def media(self, relative):
        data = self.path(relative).read_bytes()
        return {"id": _id(data), "content": base64.b64encode(data).decode("ascii"),
                "encoding": "base64", "path": relative, "name": Path(relative).name}

    def files(self, folder, extension="", depth=1):
        """Repository paths of the files under ``folder``, ``depth`` levels down."""
        top = self.path(folder)
        found = []
        for current, folders, names in os.walk(top):
            level = len(Path(current).relative_to(top).parts)
            if level + 1 >= depth:
                folders[:] = []
            folders[:] = [name for name in folders if not name.startswith(".")]
            found += [self.relative(Path(current) / name) for name in sorted(names)
                      if name.endswith(extension) and not name.startswith(".")]
        return sorted(found)

    def write(self, relative, data):
        """Write ``data`` whole or not at all: the preview never reads half a file."""
        full = self.path(relative)
        full.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=full.parent, prefix=".editor-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, full)
        except BaseException:
            os.unlink(temporary)
            raise

    def delete(self, relative):
        full = self.path(relative)
        if full.is_file():
            full.unlink()

    def handle(self, request):
        """The answer to one request body ``{"action": ..., "params": {...}}``."""
        if not isinstance(request, dict):
            raise Refused(422, "the body must be a JSON object")
        action, params = request.get("action"), request.get("params") or {}
        handler = getattr(self, f"action_{action}", None) if isinstance(action, str) else None
        if handler is None:
            raise Refused(422, f"Unknown action {action}")
        return handler(params)

    def action_info(self, params):
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def action_entriesByFolder(self, params):  # noqa: N802 (Decap's action names)
        return [self.entry(path) for path in self.files(
            params.get("folder"), params.get("extension", ""), int(params.get("depth", 1)))]

    def action_entriesByFiles(self, params):  # noqa: N802
        return [self.entry(file.get("path")) for file in params.get("files", [])]

    def action_getEntry(self, params):  # noqa: N802
        return self.entry(params.get("path"))

    def action_persistEntry(self, params):  # noqa: N802
        files = params.get("dataFiles") or [params.get("entry")]
        # Check every path before writing anything.
        for file in files:
            self.path(file.get("path"))
            if file.get("newPath"):
                self.path(file["newPath"])
        for asset in params.get("assets") or []:
            self.path(asset.get("path"))
        for asset in params.get("assets") or []:
            self.write(asset["path"], base64.b64decode(asset["content"]))
        for file in files:
            # A language left empty in the editor comes as a blank file: not
            # written, the item stays in the other language only.
            if not (file.get("raw") or "").strip():
                continue
            self.write(file["path"], file["raw"].encode("utf-8"))
            if file.get("newPath") and file["newPath"] != file["path"]:
                self.path(file["newPath"]).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.path(file["path"]), self.path(file["newPath"]))
        return {"message": "entry persisted"}

    def action_getMedia(self, params):  # noqa: N802
        folder = params.get("mediaFolder")
        if not self.path(folder).is_dir():
            return []
        return [self.media(path) for path in self.files(folder)]

    def action_getMediaFile(self, params):  # noqa: N802
        return self.media(params.get("path"))

    def action_persistMedia(self, params):  # noqa: N802
        asset = params.get("asset") or {}
        self.write(asset.get("path"), base64.b64decode(asset.get("content", "")))
        return self.media(asset["path"])

    def action_deleteFile(self, params):  # noqa: N802
        self.delete(params.get("path"))
        return {"message": f"deleted file {params.get('path')}"}

    def action_deleteFiles(self, params):  # noqa: N802
        for path in params.get("paths") or []:
            self.path(path)
        for path in params.get("paths") or []:
            self.delete(path)
        return {"message": "deleted files"}

    def action_getDeployPreview(self, params):  # noqa: N802
        return None
