"""Reusing the pages of the previous build that would come out the same.

After an edit almost every page of a rebuild would be rendered byte for byte
as before, and rendering is most of a rebuild. So every page gets a
*fingerprint* of all that its rendering reads:

- the code: every file of the theme (templates, catalogs, static files) and
  of the plugins, and the versions of Python and of the packages that render;
- the settings (minus the staging folder, which is new in every build);
- the template's name, the page's URL and file, and its variables: content
  items are digested by their fields (their text, metadata, URL, the items
  they link to), everything else by its value;
- the context names the template and the templates it includes read that
  are not among the variables (each digested once per build).

The fingerprints of a build are kept in ``MANIFEST_NAME`` in its output. The
next build renders a page only when its fingerprint differs or the previous
file is gone; otherwise it hard-links the previous file into the new output
(the previous output stays untouched: nothing is ever written through such
a link, and a failed build still leaves it as it was). A test edits one item
and compares the whole result with a build from scratch, byte for byte.
"""

import functools
import hashlib
import json
import os
import sys
from importlib import metadata as package_metadata

from jinja2 import meta

from .build import SETTING as BUILD_SETTING
from .build import BuildState
from .digest import Digester
from .files import link_or_copy

MANIFEST_NAME = ".build-manifest.json"
MANIFEST_VERSION = 1
PART_PREFIX = ".build-manifest-part-"
# Settings that differ between two builds of the same site, or decide only
# how the build works, not what it makes (tests prove the latter).
VOLATILE_SETTINGS = frozenset({
    "OUTPUT_PATH", "BILINGUAL_PREVIOUS_OUTPUT", "CACHE_PATH", "BILINGUAL_PROCESSES",
    "BILINGUAL_REUSE_PAGES", "CACHE_CONTENT", "LOAD_CONTENT_CACHE", "GZIP_CACHE",
    "CHECK_MODIFIED_METHOD", "CONTENT_CACHING_LAYER", "BILINGUAL_KEEP_ITEMS",
})
# Page variables that are lists or dicts of at most this many elements are
# digested with the page's other variables, not on their own (``fingerprint``).
SMALL_CONTAINER = 4
# (budoux: where the phrases plugin lets Japanese headings break.)
RENDERING_PACKAGES = ("pelican", "jinja2", "markdown", "babel", "markupsafe", "budoux")


def tree_digest(paths):
    """Digest of every file under ``paths`` (names and bytes), in a fixed order."""
    hasher = hashlib.blake2b(digest_size=16)
    for top in sorted(set(paths)):
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(name for name in dirs if name != "__pycache__")
            for name in sorted(files):
                path = os.path.join(folder, name)
                hasher.update(os.path.relpath(path, top).encode() + b"\0")
                with open(path, "rb") as handle:
                    hasher.update(hashlib.blake2b(handle.read(), digest_size=16).digest())
    return hasher.hexdigest()


def code_digest(settings, packages=()):
    """Everything that renders a page but is not data: theme, plugins, package versions
    (those that render pages, and ``packages``).

    The theme and plugins are read once per build (``Build.memo``): the
    pages' fingerprints and each plugin's reused files ask for the digest,
    with their own ``packages``, and it reads every file of the theme and
    plugins.
    """
    build = settings.get(BUILD_SETTING)
    memo = {} if build is None else build.memo
    key = ("code digest", tuple(packages))
    if key not in memo:
        if "code tree" not in memo:
            memo["code tree"] = tree_digest(code_folders(settings))
        versions = [sys.version]
        for package in (*RENDERING_PACKAGES, *packages):
            version = installed_version(package)
            versions.append(f"{package}=={version}" if version else f"{package} missing")
        memo[key] = hashlib.blake2b((memo["code tree"] + "\n".join(versions)).encode(),
                                    digest_size=16).hexdigest()
    return memo[key]


def code_folders(settings):
    folders = [settings["THEME"], *settings.get("PLUGIN_PATHS", [])]
    return [os.path.abspath(folder) for folder in folders if os.path.isdir(folder)]


@functools.cache
def installed_version(package):
    """The version of an installed package as this process found it (None: not installed).

    Once per process: finding a version searches every folder of the path,
    and a process runs the code it imported (a preview that stays up does
    not load a package upgraded under it).
    """
    try:
        return package_metadata.version(package)
    except package_metadata.PackageNotFoundError:
        return None


def settings_digest(settings, digester):
    # (Build state in the settings, such as the build object or a manifest
    # filled while pages render, says nothing about what a page shows.)
    stable = {name: value for name, value in settings.items()
              if name not in VOLATILE_SETTINGS and not isinstance(value, BuildState)}
    return digester.digest(stable)


def template_names(env, name, known):
    """Names a template, and those it extends or includes, read from its context.

    ``known`` maps template names to their names already found (filled in).
    """
    if name not in known:
        known[name] = set()  # a template that includes itself adds nothing new
        source, filename, _uptodate = env.loader.get_source(env, name)
        tree = env.parse(source, name, filename)  # (an error names the file)
        names = set(meta.find_undeclared_variables(tree))
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:  # a computed name: depend on the whole context
                names.add("*")
            else:
                names |= template_names(env, referenced, known)
        known[name] = names
    return known[name]


class PageFingerprints:
    """Fingerprints of this build's pages, and the previous build's, to reuse its files."""

    def __init__(self, settings, env, context, previous_output, extra=(), template_reads=None,
                 digester=None):
        self.env = env
        self.context = context
        # (The build's, shared with its other fingerprints, when it has one.)
        self.digester = Digester() if digester is None else digester
        code, settings_part = code_digest(settings), settings_digest(settings, self.digester)
        # What the templates read depends on them and on where they are found.
        self.templates_key = hashlib.blake2b((code + settings_part).encode(),
                                             digest_size=16).hexdigest()
        self.site = hashlib.blake2b(digest_size=16)
        self.site.update(code.encode())
        self.site.update(settings_part.encode())
        self.site.update(self.digester.digest(extra).encode())
        self.template_context = {}
        # (``template_names``' memo: the build's own, when it has one.)
        self.template_names = {} if template_reads is None else template_reads
        self.shared = {}
        self.previous_output = previous_output
        manifest = read_manifest(previous_output)
        self.previous = manifest.get("pages", {})
        if manifest.get("templates_key") == self.templates_key:  # what the templates read
            self.template_context = {name: list(names)
                                     for name, names in manifest.get("templates", {}).items()}

    def prepare(self, templates):
        """Find what ``templates`` read once, before the work is split between processes."""
        for template in templates:
            self.context_digest(template, {})

    def context_digest(self, template, variables):
        """Digest of the context names ``template`` reads that the page does not set."""
        if template not in self.template_context:
            self.template_context[template] = sorted(
                template_names(self.env, template, self.template_names)
            )
        hasher = hashlib.blake2b(digest_size=16)
        for name in self.template_context[template]:
            if name in variables or name.isupper() or name in self.env.globals:
                continue  # page variables, settings and globals: digested elsewhere
            if name == "*":
                chosen = {key: value for key, value in self.context.items()
                          if not key.isupper()}
                hasher.update(self.digester.digest(chosen).encode())
            elif name in self.context:
                hasher.update(name.encode() + self.digester.digest(self.context[name]).encode())
        return hasher.hexdigest()

    def fingerprint(self, save_as, url, template, variables):
        hasher = self.site.copy()
        for part in (save_as, url, template, self.context_digest(template, variables)):
            hasher.update(part.encode() + b"\0")
        # Lists and dicts of more than a few elements are digested once each:
        # every page of a language gets the same list of tags, the same
        # links, ... (the same objects, which no page changes while the pages
        # are fingerprinted; the memo keeps them alive, so identities stay
        # unique). The other variables, the page's own small lists (its
        # language switch, alternates, feed links) among them, are digested
        # together: a digest of its own for each of those was a third of
        # fingerprinting a page whose items were digested already.
        others = {}
        for name in sorted(variables):
            value = variables[name]
            if isinstance(value, (list, tuple, dict)) and len(value) > SMALL_CONTAINER:
                found = self.shared.get(id(value))
                if found is None:
                    found = self.shared[id(value)] = (self.digester.digest(value), value)
                hasher.update(name.encode() + b"\0" + found[0].encode() + b"\0")
            else:
                others[name] = value
        hasher.update(self.digester.digest(others).encode())
        return hasher.hexdigest()

    def reusable(self, save_as, fingerprint):
        """The previous build's file for ``save_as`` when it was made from the same inputs."""
        if self.previous.get(save_as) != fingerprint:
            return None
        path = os.path.join(self.previous_output, save_as)
        return path if os.path.isfile(path) else None


def previous_build(settings, output_path):
    """The previous build's output to reuse files from, or None.

    None when reuse is off, or when building in place (there is no separate
    previous build then).
    """
    previous = settings.get("BILINGUAL_PREVIOUS_OUTPUT")
    if not settings.get("BILINGUAL_REUSE_PAGES", True) or not previous:
        return None
    if os.path.abspath(previous) == os.path.abspath(output_path):
        return None
    return previous


class FileReuse:
    """Whole files (feeds) reused from the previous build when made from the same inputs.

    Like pages: a file's fingerprint digests the code (plus ``packages``),
    the settings, ``extra`` (what every file depends on) and the file's own
    inputs; the fingerprints are kept in ``.build-manifest-<name>.json``.
    Inputs are digested as a page's own variables are: content items in
    full (their text included), the items they link to by their own fields.
    """

    def __init__(self, name, settings, output_path, packages=(), extra=(), digester=None):
        self.digester = Digester() if digester is None else digester
        self.base = hashlib.blake2b(digest_size=16)
        for part in (code_digest(settings, packages), settings_digest(settings, self.digester),
                     self.digester.digest(extra)):
            self.base.update(part.encode())
        self.output_path = output_path
        self.manifest_name = f"{MANIFEST_NAME.removesuffix('.json')}-{name}.json"
        self.previous_output = previous_build(settings, output_path)
        self.previous = {}
        if self.previous_output:
            try:
                with open(os.path.join(self.previous_output, self.manifest_name),
                          encoding="utf-8") as handle:
                    self.previous = json.load(handle).get("files", {})
            except (OSError, ValueError, AttributeError):
                self.previous = {}
        self.made = {}
        self.later = []  # [(names, inputs)] fingerprinted when saved

    def fingerprint(self, *inputs):
        hasher = self.base.copy()
        for value in inputs:
            hasher.update(self.digester.digest(value).encode() + b"\0")
        return hasher.hexdigest()

    def reuse(self, names, fingerprint):
        """Hard-link the previous build's ``names`` (files relative to the output) when
        they were made from inputs with this fingerprint; whether they were."""
        for name in names:
            self.made[name] = fingerprint
        if not self.previous_output or any(self.previous.get(name) != fingerprint
                                           for name in names):
            return False
        paths = [os.path.join(self.previous_output, name) for name in names]
        if not all(os.path.isfile(path) for path in paths):
            return False
        for name, path in zip(names, paths, strict=True):
            link_or_copy(path, os.path.join(self.output_path, name))
        return True

    def reuse_if_same(self, names, *inputs):
        """``reuse`` with the fingerprint of ``inputs``, found only if the previous
        build has these files to reuse.

        Otherwise (a build from scratch) the fingerprint is wanted only for the
        manifest: it is found when the manifest is saved (``save_when_written``),
        after the pages, whose processes digest the same items and hand their
        digests back. (In a cold build the feeds were digesting every item again
        while the pages' processes did.)
        """
        if not any(name in self.previous for name in names):
            self.later.append((names, inputs))
            return False
        return self.reuse(names, self.fingerprint(*inputs))

    def save_when_written(self, build):
        """Save the manifest once ``build``'s output is written (``Build.complete``),
        or now when no fingerprint waits for it."""
        if self.later:
            build.once_written(self.save)
        else:
            self.save()

    def save(self):
        for names, inputs in self.later:
            fingerprint = self.fingerprint(*inputs)
            for name in names:
                self.made[name] = fingerprint
        self.later = []
        with open(os.path.join(self.output_path, self.manifest_name), "w",
                  encoding="utf-8") as handle:
            handle.write(json.dumps(
                {"version": MANIFEST_VERSION, "files": dict(sorted(self.made.items()))},
                separators=(",", ":")))


def read_manifest(output):
    """The manifest of the build in ``output`` ({} when there is none or it is unreadable)."""
    if not output:
        return {}
    try:
        with open(os.path.join(output, MANIFEST_NAME), encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return {}
    return manifest


def write_part(output, made):
    """Record what one rendering process made (read back by ``collect_parts``)."""
    path = os.path.join(output, f"{PART_PREFIX}{os.getpid()}.json")
    with open(path, "w", encoding="utf-8") as handle:
        # (json.dumps, not json.dump: only the whole-value encoder runs in C,
        # and a process's record lists thousands of pages and item tokens.)
        handle.write(json.dumps(made))


def collect_parts(output):
    """Merge and remove the records of every rendering process."""
    made = {"pages": {}, "rendered": 0, "reused": 0, "item_tokens": []}
    for name in sorted(os.listdir(output)):
        if name.startswith(PART_PREFIX):
            path = os.path.join(output, name)
            with open(path, encoding="utf-8") as handle:
                part = json.load(handle)
            os.remove(path)
            made["pages"].update(part["pages"])
            made["rendered"] += part["rendered"]
            made["reused"] += part["reused"]
            made["item_tokens"] += part.get("item_tokens", [])
    return made


def write_manifest(output, pages, fingerprints):
    """Record this build's page fingerprints, and what its templates read (for the next)."""
    manifest = {
        "version": MANIFEST_VERSION,
        "templates_key": fingerprints.templates_key,
        "templates": dict(sorted(fingerprints.template_context.items())),
        "pages": dict(sorted(pages.items())),
    }
    with open(os.path.join(output, MANIFEST_NAME), "w", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest, separators=(",", ":")))


def link_previous(previous_path, output_path, save_as):
    """Hard-link the previous build's file into the new output (copy across disks)."""
    return link_or_copy(previous_path, os.path.join(output_path, save_as))
