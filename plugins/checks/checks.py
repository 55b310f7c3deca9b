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
from bilingual.i18n import N_, Message
from bilingual.parallel import in_child
from bilingual.rules import content_fingerprint, is_public, split_list, translated_from
from bilingual.site import site_kinds, site_languages, staff_gettext
from pelican import signals
from photos.settings import photo_limits

from . import fields, references
from .report import WARNING, Problem, Report
from .source import read

logger = logging.getLogger(__name__)


class ContentCheckFailed(Exception):
    """Errors in content; the message is the full report."""

    def __init__(self, report, gettext=None):
        self.report = report
        super().__init__("\n".join(report.lines(gettext=gettext)))


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
                    Message(N_("this file is in no content folder and is not published")),
                    Message(N_("move it into %(folders)s"), folders=folders),
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

    def finished(source):
        """Published, or due to be: not a draft and not dated after now."""
        return is_public(source.status, publication_date(source, timezone), now)

    def published(source):
        """On the site being built (a drafts preview shows the unfinished too)."""
        return show_drafts or finished(source)

    for source in sources:
        kind = kinds[source.content_type]
        report.problems += fields.check_metadata_end(source, kind)
        report.problems += fields.check_repeated(source)
        report.problems += fields.check_required(source, kind)
        report.problems += fields.check_unknown(source, kind)
        report.problems += fields.check_companions(source, kind)
        found = fields.check_values(source, kind, settings, languages)
        report.problems += found
        report.problems += fields.check_kind_rules(source, kind, settings,
                                                   {problem.field for problem in found})

    # A draft cannot break the site: its problems are listed as warnings until
    # it is published; a drafts preview shows it as far as it is filled in.
    by_path = {s.path: s for s in sources}
    report.problems = [
        downgrade(p) if p.path in by_path and not finished(by_path[p.path]) else p
        for p in report.problems
    ]
    report.problems += check_duplicates(sources)
    report.problems += check_references(sources, kinds, settings["PATH"], published,
                                        photo_limits(settings),
                                        settings.get("STATIC_PATHS") or (), languages)
    pairs = check_pairs(sources, kinds, languages,
                        {(problem.path, problem.field) for problem in report.problems})
    report.problems += [p if finished(by_path[p.path]) else downgrade(p) for p in pairs]
    missing, untranslated = check_translations(sources, languages, published)
    report.problems += missing
    report.untranslated = untranslated
    stale, report.stale = check_stale(sources, languages)
    report.problems += stale
    return report


def check_stale(sources, languages):
    """Translations whose original changed since they were made (``Translated-From``):
    a warning each, and the list of them."""
    versions = {}
    for source in sources:
        versions.setdefault((source.content_type, source.slug), {})[source.lang] = source
    problems, stale = [], []
    for (content_type, slug), group in sorted(versions.items()):
        for lang, translation in sorted(group.items()):
            found = translated_from(translation.value("Translated-From"))
            if found is None or found[0] == lang:
                continue
            original = group.get(found[0])
            if original is None:
                problems.append(Problem(
                    translation.path, translation.line("Translated-From"), "Translated-From",
                    Message(N_("there is no '%(lang)s' version of '%(slug)s' to translate "
                               "from"), lang=found[0], slug=slug),
                    Message(N_("name the language of the original, or remove the line")),
                    WARNING))
                continue
            now = content_fingerprint(original.value("Title"), original.value("Summary"),
                                      original.body_text)
            if now == found[1]:
                continue
            problems.append(Problem(
                translation.path, translation.line("Translated-From"), "Translated-From",
                Message(N_("%(original)s changed after this translation was made (its title, "
                           "summary or text)"), original=original.path),
                Message(N_("bring the translation up to date, then write “Translated-From: "
                           "%(lang)s %(fingerprint)s”"), lang=found[0], fingerprint=now),
                WARNING))
            stale.append(Message(N_("%(item)s: %(lang)s (from %(original)s)"),
                                 item=f"{content_type}/{slug}", lang=lang, original=found[0]))
    return problems, stale


def downgrade(problem):
    """A draft's error as a warning that says why it does not stop the build."""
    if problem.level == WARNING:
        return problem
    return Problem(problem.path, problem.line, problem.field, problem.message,
                   Message(N_("%(fix)s (not published yet, so this does not stop the build)"),
                           fix=problem.fix),
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
                Message(N_("'%(slug)s' is already used by %(other)s in the same language"),
                        slug=source.slug, other=seen[key].path),
                Message(N_("give one of them another slug")),
            ))
        else:
            seen[key] = source
    return problems


def check_references(sources, kinds, content_root, published, limits, static_paths=(),
                     languages=()):
    """Links, images, and every reference field (``Projects:``, ``Event:``) of each item."""
    public = {}  # {kind: {slug: [its titles, in each language]}}
    for source in sources:
        if published(source):
            titles = public.setdefault(source.content_type, {}).setdefault(source.slug, [])
            titles.append((source.lang, source.value("Title") or ""))
    order = {lang: number for number, lang in enumerate(languages)}
    public = {kind: {slug: [title for _lang, title in
                            sorted(titles, key=lambda pair: order.get(pair[0], len(order)))
                            if title]
                     for slug, titles in slugs.items()} for kind, slugs in public.items()}
    by_path = {os.path.normpath(s.full_path): s for s in sources}
    problems = []
    for source in sources:
        problems += references.check_images(source, content_root, static_paths, limits)
        if not published(source):
            continue  # a draft may point at other drafts; it is checked when published
        problems += references.check_links(source, content_root, by_path, published)
        for field in kinds[source.content_type].fields:
            if field.reference:
                problems += references.check_slug_references(
                    source, field.name, public.get(field.reference, {}),
                    kinds[field.reference].page_kind if field.reference in kinds.kinds
                    else field.reference)
    return problems


EMPTY = Message(N_("(empty)"))


def agreed_value(field, value):
    """A value as the languages must agree on it: lists as sets, text stripped."""
    if field.separator:
        return tuple(sorted(set(split_list(value or "", field.separator))))
    return " ".join((value or "").split())


def check_pairs(sources, kinds, languages, reported=frozenset()):
    """The languages of an item agree on their shared values (dates, category, tags,
    projects, an event's times and status...): a difference names both files.

    A field already ``reported`` in either file ({(path, field)}: a date that is
    no date) is left out: that problem is the one to fix first.
    """
    groups = {}
    for source in sources:
        if source.slug and source.lang in languages:
            groups.setdefault((source.content_type, source.slug), {})[source.lang] = source
    problems = []
    for (content_type, _slug), versions in sorted(groups.items()):
        if any(version.metadata_end is not None for version in versions.values()):
            continue  # metadata cut short: that line is the problem to fix first
        ordered = [versions[lang] for lang in languages if lang in versions]
        first = ordered[0]
        for other in ordered[1:]:
            for field in kinds[content_type].fields:
                if not field.agrees or {(other.path, field.name), (first.path, field.name)} \
                        & reported:
                    continue
                mine, theirs = other.value(field.name), first.value(field.name)
                if agreed_value(field, mine) == agreed_value(field, theirs):
                    continue
                line = other.line(field.name) if field.name.lower() in other.fields \
                    else fields.after_metadata(other)
                problems.append(Problem(
                    other.path, line, field.name,
                    Message(N_("'%(mine)s' here but '%(theirs)s' in %(other)s"),
                            mine=(mine or "").strip() or EMPTY, theirs=(theirs or "").strip()
                            or EMPTY, other=first.path),
                    Message(N_("make it the same in every language (it is one value shared "
                               "by the languages)"))))
    return problems


def check_translations(sources, languages, published):
    """A published item without its other-language version is a warning."""
    groups = {}
    for source in sources:
        if published(source) and source.slug and source.lang in languages:
            groups.setdefault((source.content_type, source.slug), {})[source.lang] = source
    problems, untranslated = [], []
    for (content_type, slug), versions in sorted(groups.items()):
        if any(version.one_language for version in versions.values()):
            continue  # meant to exist in one language: nothing to report
        for lang in languages:
            if lang in versions:
                continue
            existing = next(iter(versions.values()))
            expected = existing.path.replace(f".{existing.lang}.md", f".{lang}.md")
            problems.append(Problem(
                existing.path, existing.line("Slug"), "Lang",
                Message(N_("no '%(lang)s' version of '%(slug)s'"), lang=lang, slug=slug),
                Message(N_("add %(file)s with the same Slug (until then the language switch "
                           "says the page is not translated)"), file=expected),
                WARNING,
            ))
            untranslated.append(Message(N_("%(item)s: %(languages)s only"),
                                        item=f"{content_type}/{slug}",
                                        languages=", ".join(versions)))
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
        run_checks, settings, show_drafts=settings.get("BILINGUAL_SHOW_DRAFTS", False),
        niceness=CHECKS_NICENESS,
    ), staff_gettext(settings), explains=True)


# The checks run at a lower priority: while Markdown is converted on every
# core they would slow it down; right after, this process reads and plans the
# site on one core, and they take the other.
CHECKS_NICENESS = 10


def stop_on_errors(checks, gettext=None):
    """The checks' report; raises with it, in the staff's language, on any error."""
    report = checks.result()
    if report.errors:
        raise ContentCheckFailed(report, gettext)
    return report


def report_checks(generators):
    """Wait for the checks before anything is written; stop the build on any error."""
    checks = getattr(current_build(generators[0].settings), "checks", None)
    if checks is None:
        return
    report = checks.result()
    gettext = staff_gettext(generators[0].settings)
    for problem in report.warnings:
        logger.warning("[checks] %s", problem.said(gettext))
    if report.warnings:
        logger.warning("[checks] %s", report.summary(gettext))


def register():
    signals.initialized.connect(check_content)
    signals.all_generators_finalized.connect(report_checks)
