"""Files: writing those not rendered from templates (feeds, calendars, sitemaps), and
naming them to staff."""

import os
import shutil

from jinja2 import TemplateSyntaxError
from pelican.utils import sanitised_join


def write_bytes(output_path, name, data):
    """Write ``data`` as made (UTF-8 XML, CRLF calendars, ...) to ``name`` in the output.

    Pelican's Writer renders templates or its own feedgenerator feeds and has
    no way to write bytes, so we keep its one safety: never outside the output.
    """
    path = sanitised_join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as output:
        output.write(data)
    return path


def link_or_copy(source, target):
    """Put ``source``'s file at ``target`` as a hard link (a copy across disks).

    Rebuilds reuse the previous build's files this way; nothing is ever
    written through such a link, so the previous output stays as it was.
    """
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def display_path(path):
    """A path as staff see it: relative to the working folder when inside it."""
    # (A prefix test first: os.path.relpath costs more than all the other
    # checks of a file, and every build checks every file.)
    here = os.path.join(os.getcwd(), "")
    if os.path.isabs(path) and path.startswith(here) and os.path.normpath(path) == path:
        return path[len(here):]
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def describe_error(error):
    """What stopped a build, as the build reports it: a template that does not
    compile by its file and line (Jinja's own text of it names neither)."""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return f"{display_path(error.filename)}, line {error.lineno}: {error.message}"
    return str(error) or type(error).__name__
