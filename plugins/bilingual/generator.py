"""One pass over all content, written once per language.

``BilingualGenerator`` makes the build's :class:`~site.Site`, reads every
kind the plugin reads (``collect``), pairs translations by kind and slug,
plans each item and list page in its language (``plan``), and writes every
page the site planned (its own and those other plugins added), each with a
language switch that leads to the same page in the other language.

Variables every page gets:
- ``lang`` and ``language`` (its :class:`~languages.Language` record; gettext
  reads ``lang``), ``language_names`` ({code: name});
- ``sitename``, ``site_description``: the site's name and tagline in ``lang``;
- ``links``: hrefs of the main pages in ``lang`` (home, news, projects, ...);
- ``language_switch``: a :class:`~routes.LanguageSwitch` per other language;
- ``alternates``: ``[(hreflang, href)]`` for every language version plus x-default;
- ``page_key``, ``canonical``, ``section``, ``preview_only``, ``translation_notice``
  (a translation whose original changed since: ``Site.translation_notice``);
- ``feed_links``: what the page announces (its language's feeds, then its own);
- ``item`` and the kind's own variable (``article``, ``project``, ...) on an
  item's page; ``news_categories``, ``news_tags`` on the plugin's pages.
"""

import logging
import os

from jinja2 import TemplateError, TemplateNotFound
from markupsafe import Markup
from pelican import signals
from pelican.generators import CachingGenerator

from . import collect, incremental, plan
from .i18n import N_
from .parallel import Background, in_parts, process_count, start_parts
from .readers import finish_prefetch, forget_prefetched, prefetch, share_file_stamps
from .routes import LanguageSwitch
from .site import ContentError, Site

logger = logging.getLogger(__name__)

# Work a written hook started on at most this many pages (the search index
# of an edited page's shard) is light: this process goes on beside it.
LIGHT_WORK_PAGES = 500


class BilingualGenerator(CachingGenerator):
    """Reads every kind of the plugin in every language and writes the whole site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = None
        self.template_files = {}
        self.shared_partials = {}
        # {template: the context names it and the templates it includes read}
        # (each template parsed once a build for all that asks).
        self.template_reads = {}
        self.pid = os.getpid()  # (the build's process; pages are also written in forks)
        share_file_stamps(self, self.readers)

    # -- reading and planning ---------------------------------------------

    def prefetch_markdown(self, site):
        """Convert every Markdown file of the site on every core before reading.

        With a content cache to load, only the files it does not hold (fresh)
        are converted, and kinds other plugins read are left to their own
        generator's cache.
        """
        cached = self.settings.get("LOAD_CONTENT_CACHE")
        # In the order they are read: this generator's kinds first, each
        # folder's files sorted (``collect.read_content``).
        folders = [kind.folder for kind in site.kinds.read_by("bilingual")]
        if not cached:
            folders += [kind.folder for kind in site.kinds if kind.read_by != "bilingual"]
        paths = [self.path_of(path) for folder in folders
                 for path in sorted(self.get_files([folder], extensions=("md",)))]
        if cached:
            paths = [path for path in paths if self.readers.get_cached_data(path, None) is None]
        prefetch(paths, self.settings, process_count(self.settings["BILINGUAL_PROCESSES"]))

    def path_of(self, path):
        return os.path.abspath(os.path.join(self.path, path))

    def generate_context(self):
        site = self.site = Site(self.settings, self.env.globals["ui_catalogs"], self.context)
        self.prefetch_markdown(site)
        if self.from_scratch():
            self.compile_theme()
        problems = []
        kinds = site.kinds.read_by("bilingual")
        try:
            for kind in kinds:
                items, found = collect.read_kind(self, site, kind)
                problems += found
                site.add_items(kind.name, items)
        except BaseException:
            forget_prefetched()
            raise
        finish_prefetch()
        for kind in kinds:
            problems += collect.pair(site.items_of(kind.name))
        mentioning = [item for kind in kinds if kind.field("Projects")
                      for item in site.items_of(kind.name)]
        problems += collect.link_projects(mentioning, site.projects(), "mentions")
        if problems:
            # Raised, not logged one by one: with fatal errors on, the first
            # logged error would stop the build before the others are listed.
            raise ContentError(problems)
        for kind in kinds:
            site.add_items(kind.name, collect.newest_first(site.items_of(kind.name), site.now))
        for project in site.projects():
            # One list of every kind that mentions the project, newest first.
            project.mentions = collect.newest_first(project.mentions, site.now)
        plan.plan_site(site)

    # -- the variables of every page ----------------------------------------

    def language_variables(self, lang):
        """Variables every page of ``lang`` gets."""
        site = self.site
        urls = self.settings["BILINGUAL_URLS"]
        links = {name: site.href(site.list_url(lang, name)) for name in urls
                 if "{" not in urls[name]}
        for kind in site.kinds:
            if kind.list_url and kind.read_by == "bilingual":
                links[kind.list_kind] = site.href(site.root(lang) + kind.list_url)
        for kind in site.kinds:
            if kind.own_section:
                for page in site.items_of(kind.name, lang):
                    links[page.slug] = site.href(page.url)
        links.update(site.extra_links[lang])
        return {
            "lang": lang,
            "language": site.languages[lang],
            "language_names": {language.code: language.name for language in site.languages},
            "sitename": site.sitename(lang),
            "site_description": site.site_description(lang),
            "links": links,
        }

    def shared_html(self, lang, section, per_language):
        """The shared partials (BILINGUAL_SHARED_PARTIALS) of a page of ``lang`` in
        ``section``: {variable: HTML}, rendered once for all such pages.

        The menu and the footer were a fifth of rendering a page, the same on
        every page of a language but for the menu's current section.
        """
        key = (lang, section)
        found = self.shared_partials.get(key)
        if found is None:
            variables = {**self.context, **per_language[lang], "section": section}
            for template in self.settings["BILINGUAL_SHARED_PARTIALS"].values():
                self.refuse_page_variables(template, variables)
            found = self.shared_partials[key] = {
                name: Markup(self.env.get_template(template).render(variables))
                for name, template in self.settings["BILINGUAL_SHARED_PARTIALS"].items()
            }
        return found

    def refuse_page_variables(self, template, variables):
        """Stop the build when a shared partial reads anything but ``variables`` (the
        language's and the section's) and the globals: rendered once, it would show
        the first page's value on every page."""
        read = incremental.template_names(self.env, template, self.template_reads)
        other = sorted(name for name in read
                       if name not in variables and name not in self.env.globals)
        if other:
            raise RuntimeError(
                f"[bilingual] BILINGUAL_SHARED_PARTIALS: {template} reads {', '.join(other)}, "
                "which differ from page to page; include it in the page's template instead"
            )

    def language_switch(self, key, lang):
        """The switch to the other language(s) for the page ``key`` in ``lang``."""
        site = self.site
        switches = []
        for other in site.languages:
            if other.code == lang:
                continue
            url, fallback = site.routes.nearest(key, other.code)
            note = ""
            if fallback is not None:
                note = site.translate(
                    other.code, N_("Not translated: opens the %(page)s"),
                    page=site.translate(other.code, site.routes.fallback_names[fallback]),
                )
            switches.append(LanguageSwitch(other.hreflang, other.name, site.href(url),
                                           fallback is None, note))
        return switches

    def alternates(self, key):
        site = self.site
        versions = site.versions(key)
        alternates = [(site.languages[lang].hreflang, site.href(url))
                      for lang, url in versions.items()]
        if versions:
            default = versions.get(site.languages.default.code, next(iter(versions.values())))
            alternates.append(("x-default", site.href(default)))
        return alternates

    def feed_links(self, key, lang):
        """What a page announces: its language's main feeds, then its list's own."""
        site_feeds = self.site.site_feeds.get(lang, [])
        own = self.site.announced.get(key[:2], {}).get(lang, [])
        return list(site_feeds) + [link for link in own if link not in site_feeds]

    def section_of(self, spec):
        """The main-menu section of a page: its kind's section, or its own slug."""
        page_kind, ident, _number = spec.key
        kind = self.site.kinds.by_page_kind(page_kind)
        if kind is not None and kind.own_section:
            return ident
        return self.site.sections.get(page_kind, page_kind)

    # -- writing --------------------------------------------------------------

    def generate_output(self, writer):
        site = self.site
        specs = site.pages()
        per_language = {lang: self.language_variables(lang) for lang in site.languages.codes}
        self.shared_partials = {}
        names = [spec.save_as for spec in specs]
        if len(names) != len(set(names)):
            twice = sorted({name for name in names if names.count(name) > 1})
            raise RuntimeError(f"[bilingual] two pages would be written to {', '.join(twice)}")
        fingerprints = self.page_fingerprints(specs)
        if fingerprints is None or not fingerprints.previous:
            self.compile_templates(specs, fingerprints)
        early = frozenset().union(*(kinds for _hook, kinds in site.written_hooks))
        # Each rendering process reports its pages' fingerprints in a file,
        # read back into the build's manifest.
        made = {"pages": {}, "rendered": 0, "reused": 0}
        early_specs = [spec for spec in specs if spec.key[0] in early]
        if early_specs:
            self.write_in_parts(writer, early_specs, per_language, fingerprints)
            self.count_made(made, fingerprints)
        # (How many pages the work each hook started handles, in the background.)
        started = [load for hook, _kinds in site.written_hooks
                   if (load := hook(dict(made["pages"]) if fingerprints is not None else None))
                   is not None]
        others = [spec for spec in specs if spec.key[0] not in early]
        if sum(started) > LIGHT_WORK_PAGES:
            # The pages written while heavy work started by a hook goes on
            # (indexing the whole site) yield to it, and this process waits:
            # its feeds and calendars would only slow that work down.
            self.write_in_parts(writer, others, per_language, fingerprints, yielding=True)
            self.finish_pages(made, fingerprints)
        else:
            # The pages are written in other processes while this one goes on
            # to the feeds, calendars and sitemap, and the build waits for them
            # before the output is complete. (Yielding to the light work a
            # hook started, such as indexing an edited page's shard.)
            writing = start_parts(
                lambda part: self.write_pages(writer, part, per_language, fingerprints),
                others, process_count(self.settings["BILINGUAL_PROCESSES"]),
                yielding=bool(started),
            )
            site.build.writes_output(Background(self.finish_pages, made, fingerprints, writing))

    def write_in_parts(self, writer, specs, per_language, fingerprints, yielding=False):
        """Write the pages of ``specs`` on every core, and wait for them.

        Pages are independent of each other. (Each process's Writer checks
        its own part for overwrites; ``generate_output`` checks the whole site.)
        """
        in_parts(
            lambda part: self.write_pages(writer, part, per_language, fingerprints),
            specs, process_count(self.settings["BILINGUAL_PROCESSES"]), yielding=yielding,
        )

    def count_made(self, made, fingerprints):
        """Add what the rendering processes report to ``made``."""
        if fingerprints is None:
            return
        part = incremental.collect_parts(self.output_path)
        made["pages"].update(part["pages"])
        made["rendered"] += part["rendered"]
        made["reused"] += part["reused"]
        fingerprints.digester.adopt_item_tokens(
            part["item_tokens"], (item for items in self.site.items.values() for item in items))

    def finish_pages(self, made, fingerprints, writing=None):
        """Once every page is written (``writing``, when under way): the build's manifest."""
        if writing is not None:
            writing.result()
        self.count_made(made, fingerprints)
        if fingerprints is not None:
            incremental.write_manifest(self.output_path, made["pages"], fingerprints)
            logger.info("Rendered %d pages, reused %d unchanged from the previous build",
                        made["rendered"], made["reused"])

    def page_fingerprints(self, specs):
        """What decides whether a page can be reused from the previous build (None: never)."""
        if not self.settings["BILINGUAL_REUSE_PAGES"]:
            return None
        previous = incremental.previous_build(self.settings, self.output_path)
        # Where every item is published goes into every fingerprint: a page's
        # text may link to any item by its {filename}. And every page's URL:
        # page hooks and language switches read them.
        fingerprints = incremental.PageFingerprints(
            self.settings, self.env, self.context, previous,
            extra={"items": self.site.published_urls(), "routes": self.site.routes.table()},
            template_reads=self.template_reads, digester=self.site.digester,
        )
        fingerprints.prepare(sorted({self.template_file(spec.template) for spec in specs}))
        for template in self.settings["BILINGUAL_SHARED_PARTIALS"].values():
            # (What the shared partials read is checked in every page process.)
            incremental.template_names(self.env, template, self.template_reads)
        return fingerprints

    def compile_templates(self, specs, fingerprints=None):
        """Compile the templates of ``specs`` (and those they include) in this process.

        When every page is rendered (no previous build), so that the
        processes the pages are shared out to inherit them compiled, rather
        than each compiling them again. A rebuild leaves them to the pages
        that need them (it renders few pages, often none).
        """
        for spec in specs:
            self.get_template(spec.template)
            incremental.template_names(self.env, self.template_file(spec.template),
                                       self.template_reads)
        for name in sorted(self.template_reads):
            self.env.get_template(name)

    def from_scratch(self):
        """Whether every page will be rendered: there is no previous build to reuse."""
        previous = incremental.previous_build(self.settings, self.output_path)
        return not (self.settings["BILINGUAL_REUSE_PAGES"] and previous
                    and os.path.isfile(os.path.join(previous, incremental.MANIFEST_NAME)))

    def compile_theme(self):
        """Compile every template of the theme, and find what each reads, now.

        Called while other processes convert the Markdown, in a build that
        will render every page: compiled after reading, the templates kept
        the other cores waiting. (Only the theme's own: Pelican's built-in
        templates, which the site does not use, are left.)

        Ahead of time only: a file that is no template (an editor's backup
        or swap file) or a template that does not compile is left here; a
        broken template the pages use stops the build where they are
        rendered, named by Jinja.
        """
        folder = os.path.join(self.settings["THEME"], "templates")
        extensions = tuple(self.settings["TEMPLATE_EXTENSIONS"])
        names = sorted(
            os.path.relpath(os.path.join(parent, name), folder).replace(os.sep, "/")
            for parent, _dirs, files in os.walk(folder) for name in files
            if name.endswith(extensions)
        )
        for name in names:
            if any(part.startswith(".") for part in name.split("/")):
                continue
            try:
                self.env.get_template(name)
            except (TemplateError, UnicodeDecodeError):
                continue
            incremental.template_names(self.env, name, self.template_reads)

    def template_file(self, name):
        """The file of template ``name``, as ``get_template`` finds it, without compiling it.

        (A rebuild compiles only the templates of the pages it renders.)
        """
        if name not in self.template_files:
            for extension in self.settings["TEMPLATE_EXTENSIONS"]:
                try:
                    self.env.loader.get_source(self.env, name + extension)
                except TemplateNotFound:
                    continue
                self.template_files[name] = name + extension
                break
            else:
                self.template_files[name] = self.get_template(name).name  # (Pelican's error)
        return self.template_files[name]

    def write_pages(self, writer, specs, per_language, fingerprints=None):
        site = self.site
        made = {"pages": {}, "rendered": 0, "reused": 0}
        for spec in specs:
            section = self.section_of(spec)
            variables = {
                "page_key": spec.key,
                "preview_only": site.preview_only(spec),
                "translation_notice": site.translation_notice(spec),
                "section": section,
                **self.shared_html(spec.lang, section, per_language),
                "canonical": site.href(spec.url),
                "language_switch": self.language_switch(spec.key, spec.lang),
                "alternates": self.alternates(spec.key),
                "feed_links": self.feed_links(spec.key, spec.lang),
                **per_language[spec.lang],
                **spec.variables,
            }
            if fingerprints is not None:
                fingerprint = fingerprints.fingerprint(
                    spec.save_as, spec.url, self.template_file(spec.template), variables
                )
                made["pages"][spec.save_as] = fingerprint
                previous = fingerprints.reusable(spec.save_as, fingerprint)
                if previous is not None:
                    path = incremental.link_previous(previous, self.output_path, spec.save_as)
                    # Plugins listening for written pages hear of a reused one too
                    # (with the page's variables; it was not rendered again).
                    signals.content_written.send(path, context=variables)
                    made["reused"] += 1
                    continue
            made["rendered"] += 1
            for hook in site.page_hooks:
                variables.update(hook(spec, variables))
            writer.write_file(
                spec.save_as,
                self.get_template(spec.template),
                self.context,
                relative_urls=False,
                url=spec.url,
                **variables,
            )
        if fingerprints is not None:
            if os.getpid() != self.pid:  # (a forked process: its items' tokens too)
                made["item_tokens"] = fingerprints.digester.item_tokens()
            incremental.write_part(self.output_path, made)


__all__ = ["BilingualGenerator"]
