"""Reading and pairing: every kind's files, read once, checked, paired by slug, linked.

``read_kind`` is the one reading loop of the site (the events plugin reads
its kind with it too): through Pelican's content cache, every unreadable
file a problem rather than a skipped page, each item checked with the
content rules and, unless it is published (or previewed), left out.
"""

import os

from pelican import signals

from . import kept, rules
from .build import current_build
from .contents import prime_slugs
from .files import display_path
from .images import size_images


def read_content(generator, site, folder, content_class):
    """Read every file of ``folder`` with ``content_class``, through the content cache.

    Returns ``(items, problems)``: a file that cannot be read is a problem,
    never a silently skipped page. Images get their size here, once, before
    the item is cached. A process that builds again (the preview) makes an
    item only when its file changed, and unpickles the others (``kept``).
    """
    items, problems = [], []
    fresh = False
    slugs = {}
    # (Unpickled items are not made again: a plugin that changes each item as
    # it is made, on Pelican's content_object_init, gets every item made.)
    keeping = (generator.settings["BILINGUAL_KEEP_ITEMS"]
               and not signals.content_object_init.receivers)
    build_key = kept.build_key(site) if keeping else None
    for path in sorted(generator.get_files([folder])):
        item = generator.get_cached_data(path, None)
        if item is None:
            # Pelican's reader-level cache (the default layer) keeps the parsed
            # file; only a file it has to parse anew makes a cache worth saving.
            full_path = os.path.abspath(os.path.join(generator.path, path))
            cached = generator.readers.get_cached_data(full_path, None) is not None
            fresh = fresh or not cached
            made_with = None
            if keeping:
                made_with = (build_key, generator.readers._get_file_stamp(full_path))
                # (Only with the cache's entry, so that the cache saved stays whole.)
                if cached:
                    item = kept.restore(generator, content_class, full_path, made_with)
            if item is None:
                try:
                    item = generator.readers.read_file(
                        base_path=generator.path,
                        path=path,
                        content_class=content_class,
                        context=generator.context,
                    )
                except Exception as error:  # noqa: BLE001 - reported, build stops
                    where = display_path(os.path.join(generator.path, path))
                    problems.append(f"{where}: cannot be read: {error}")
                    generator._add_failed_source_path(path)
                    continue
                if keeping:
                    kept.keep(generator, content_class, full_path, made_with, item)
            item._content = size_images(
                item._content, generator.path, os.path.dirname(item.source_path)
            )
            prime_slugs(item, slugs)
            generator.cache_data(path, item)
        items.append(item)
    if fresh:  # (every file came from the cache: nothing new to save)
        current_build(generator.settings).after(save_caches, generator)
    return items, problems


def save_caches(generator):
    """Save the generator's content caches (for the next build; the preview's a
    moment after the build)."""
    generator.save_cache()
    generator.readers.save_cache()


def item_problems(item, kind, languages):
    """Problems that make an item unusable, by the content rules (the checks' own)."""
    problems = []
    path = display_path(item.source_path)
    lang = item.metadata.get("lang")
    if lang not in languages:
        problems.append(f"{path}: Lang: {lang or 'missing'!r} is not a site language — "
                        f"{rules.lang_fix(languages)}")
    slug = item.metadata.get("slug")
    if not rules.is_slug(slug):
        problems.append(f"{path}: Slug: {slug or 'missing'!r} is not a valid slug — "
                        f"{rules.SLUG_FIX}")
    for name in rules.missing_required(kind, lambda name: item.metadata.get(name.lower())):
        if name not in ("Lang", "Slug"):
            problems.append(f"{path}: {name}: missing — {rules.missing_fix(name)}")
    return problems


def is_built(item, now, show_drafts):
    """Whether ``item`` is built: published and due, or any item in a drafts preview."""
    public = rules.is_public(item.status, getattr(item, "date", None), now)
    item.is_preview_only = not public
    return public or show_drafts


def read_kind(generator, site, kind, extra_check=None):
    """Read one kind's published items; returns ``(items, problems)``.

    ``extra_check(item)`` returns more problems of an item (events check their
    schedule). A draft's problems cannot break the site, so they are dropped
    with it.
    """
    read, problems = read_content(generator, site, kind.folder, kind.content_class)
    items = []
    for item in read:
        found = item_problems(item, kind, site.languages.codes)
        if extra_check is not None:
            found += extra_check(item)
        if not is_built(item, site.now, site.settings["BILINGUAL_SHOW_DRAFTS"]):
            continue
        if found and item.is_preview_only:
            # A draft not filled in yet (a fresh `invoke new`): left out of the
            # drafts preview until it is; the checks list what it lacks.
            continue
        problems += found
        if not found:
            item.language = site.languages[item.lang]
            items.append(item)
            generator.add_source_path(item)
            generator.add_static_links(item)
    return items, problems


def pair(items):
    """Pair the items of one kind by slug; returns duplicate-slug problems."""
    problems = []
    groups = {}
    for item in items:
        group = groups.setdefault(item.slug, {})
        if item.lang in group:
            problems.append(
                f"{display_path(item.source_path)}: Slug: '{item.slug}' is already "
                f"used by {display_path(group[item.lang].source_path)} in the same "
                "language — give one of them another slug"
            )
            continue
        group[item.lang] = item
    for group in groups.values():
        for item in group.values():
            item.translation_of = group
            item.translations = [other for lang, other in group.items() if lang != item.lang]
            item.stale_from = stale_original(item, group)
    return problems


def stale_original(item, group):
    """The version ``item`` translates (``Translated-From``) when it changed since the
    translation was made, else None. Read from the files alone: no history needed."""
    found = rules.translated_from(item.metadata.get("translated-from"))
    original = group.get(found[0]) if found else None
    if original is None or original is item:
        return None
    with open(original.source_path, encoding="utf-8-sig") as handle:
        now = rules.file_fingerprint(handle.read())
    return original if now != found[1] else None


def link_projects(items, projects, backlink):
    """Give each item ``project_links`` (projects of its language named in ``Projects:``)
    and each project the list ``backlink`` of those items; an unknown slug is a problem."""
    problems = []
    by_key = {(p.slug, p.lang): p for p in projects}
    known = {p.slug for p in projects}
    for project in projects:
        setattr(project, backlink, [])
    for item in items:
        item.project_links = []
        for slug in item.projects:
            if slug not in known:
                message, fix = rules.unknown_reference("project", slug, known)
                problems.append(f"{display_path(item.source_path)}: Projects: {message} — {fix}")
                continue
            project = by_key.get((slug, item.lang))
            if project is not None:
                getattr(project, backlink).append(item)
                item.project_links.append(project)
    return problems


def newest_first(items, now):
    return sorted(items, key=lambda item: getattr(item, "date", None) or now, reverse=True)
