"""Content checks for communications staff: every problem at once, with file, line and fix.

``run_checks(settings)`` validates all content without building (``invoke
check``); as a Pelican plugin it runs the same checks from ``initialized``,
in a child process while the content is read, and on
``all_generators_finalized``, before anything is written, stops the build on
any error.
Warnings (an unknown field, a missing translation, an unknown tag) are
listed with a summary line and do not stop the build.

Every kind's files and fields come from the kind registry (``site_kinds``);
the build's clock from its build object, so the checks and the generators
judge embargoes against the same moment. List it last in PLUGINS: it reads
the other plugins' settings.
"""

import datetime
import logging
import os
from zoneinfo import ZoneInfo

from bilingual.build import current_build
from bilingual.files import display_path
from bilingual.parallel import in_child
from bilingual.rules import is_public
from bilingual.site import site_kinds, site_languages
from pelican import signals

from . import fields, references
from .report import WARNING, Problem, Report
from .source import read

logger = logging.getLogger(__name__)


class ContentCheckFailed(Exception):
    """Errors in content; the message is the full report."""

    def __init__(self, report):
        self.report = report
        super().__init__("\n".join(report.lines()))


def content_folders(settings):
    return {kind.name: kind.folder for kind in site_kinds(settings)}


def find_files(settings):
    """[(full path, kind name)] of every Markdown file, plus stray-file problems."""
    root = settings["PATH"]
    found, problems, claimed = [], [], set()
    for content_type, folder in content_folders(settings).items():
        for dirpath, _dirs, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if name.endswith(".md"):
                    full = os.path.join(dirpath, name)
                    found.append((full, content_type))
                    claimed.add(os.path.normpath(full))
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            full = os.path.normpath(os.path.join(dirpath, name))
            if name.endswith(".md") and full not in claimed:
                folders = ", ".join(f"content/{f}/" for f in content_folders(settings).values())
                problems.append(Problem(
                    display_path(full), 1, "Folder",
                    "this file is in no content folder and is not published",
                    "move it into " + folders,
                    WARNING,
                ))
    return sorted(found), problems


def publication_date(source, timezone):
    value = (source.value("Date") or "").strip()
    if not fields.is_date(value):
        return None
    moment = datetime.datetime.fromisoformat(value.replace(" ", "T", 1).replace(" ", ""))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone)


def run_checks(settings, now=None, show_drafts=False):
    """Check all content; returns a :class:`Report`."""
    now = now or current_build(settings).now
    timezone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    languages = site_languages(settings).codes
    kinds = site_kinds(settings)
    report = Report()
    files, stray = find_files(settings)
    report.problems += stray
    sources = []
    for full, content_type in files:
        source, problems = read(full, display_path(full), content_type)
        report.problems += problems
        if source is not None:
            sources.append(source)

    def published(source):
        return show_drafts or is_public(source.status, publication_date(source, timezone), now)

    for source in sources:
        kind = kinds[source.content_type]
        report.problems += fields.check_required(source, kind)
        report.problems += fields.check_unknown(source, kind)
        found = fields.check_values(source, kind, settings, languages)
        report.problems += found
        report.problems += fields.check_kind_rules(source, kind, settings,
                                                   {problem.field for problem in found})

    # A draft cannot break the site: its problems are listed as warnings until
    # it is published (or previewed with drafts).
    by_path = {s.path: s for s in sources}
    report.problems = [
        downgrade(p) if p.path in by_path and not published(by_path[p.path]) else p
        for p in report.problems
    ]
    report.problems += check_duplicates(sources)
    report.problems += check_references(sources, kinds, settings["PATH"], published)
    missing, untranslated = check_translations(sources, languages, published)
    report.problems += missing
    report.untranslated = untranslated
    return report


def downgrade(problem):
    """A draft's error as a warning that says why it does not stop the build."""
    if problem.level == WARNING:
        return problem
    return Problem(problem.path, problem.line, problem.field, problem.message,
                   problem.fix + " (not published yet, so this does not stop the build)",
                   WARNING)


def check_duplicates(sources):
    problems, seen = [], {}
    for source in sources:
        key = (source.content_type, source.lang, source.slug)
        if not source.slug:
            continue
        if key in seen:
            problems.append(Problem(
                source.path, source.line("Slug"), "Slug",
                f"'{source.slug}' is already used by {seen[key].path} in the same language",
                "give one of them another slug",
            ))
        else:
            seen[key] = source
    return problems


def check_references(sources, kinds, content_root, published):
    """Links, images, and every reference field (``Projects:``, ``Event:``) of each item."""
    public = {}
    for source in sources:
        if published(source):
            public.setdefault(source.content_type, set()).add(source.slug)
    by_path = {os.path.normpath(s.full_path): s for s in sources}
    problems = []
    for source in sources:
        problems += references.check_images(source, content_root)
        if not published(source):
            continue  # a draft may point at other drafts; it is checked when published
        problems += references.check_links(source, content_root, by_path, published)
        for field in kinds[source.content_type].fields:
            if field.reference:
                problems += references.check_slug_references(
                    source, field.name, public.get(field.reference, set()),
                    kinds[field.reference].page_kind if field.reference in kinds.kinds
                    else field.reference)
    return problems


def check_translations(sources, languages, published):
    """A published item without its other-language version is a warning."""
    groups = {}
    for source in sources:
        if published(source) and source.slug and source.lang in languages:
            groups.setdefault((source.content_type, source.slug), {})[source.lang] = source
    problems, untranslated = [], []
    for (content_type, slug), versions in sorted(groups.items()):
        for lang in languages:
            if lang in versions:
                continue
            existing = next(iter(versions.values()))
            expected = existing.path.replace(f".{existing.lang}.md", f".{lang}.md")
            problems.append(Problem(
                existing.path, existing.line("Slug"), "Lang",
                f"no '{lang}' version of '{slug}'",
                f"add {expected} with the same Slug (until then the language switch says "
                "the page is not translated)",
                WARNING,
            ))
            untranslated.append(f"{content_type}/{slug}: {', '.join(versions)} only")
    return problems, untranslated


def check_content(pelican):
    """Start the checks as the build starts, on another core.

    They read every source file while this process reads the content, and
    ``report_checks`` waits for them before anything is written. A build that
    fails before then (on a file Pelican cannot read) reports the checks'
    errors instead of its own (the build object's work that ``explains``): they
    name the file, the line, the field and the fix.
    """
    settings = pelican.settings
    build = current_build(settings)
    build.checks = build.start(stop_on_errors, in_child(
        run_checks, settings, show_drafts=settings.get("BILINGUAL_SHOW_DRAFTS", False)
    ), explains=True)


def stop_on_errors(checks):
    report = checks.result()
    if report.errors:
        raise ContentCheckFailed(report)
    return report


def report_checks(generators):
    """Wait for the checks before anything is written; stop the build on any error."""
    checks = getattr(current_build(generators[0].settings), "checks", None)
    if checks is None:
        return
    report = checks.result()
    for problem in report.warnings:
        logger.warning("[checks] %s", problem)
    if report.warnings:
        logger.warning("[checks] %s", report.summary())


def register():
    signals.initialized.connect(check_content)
    signals.all_generators_finalized.connect(report_checks)
