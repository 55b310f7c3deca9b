"""Content kinds as records: one :class:`Kind` per kind of item, looked up by every consumer.

A kind is everything that varies between news, event reports, project
profiles, pages and events: its folder, its Content class (and so its URL
settings), its page key and templates, the list page it sits under and where
the language switch falls back to, its menu section, the feeds it goes into,
its search type, its link-preview and structured-data types, its fields (the
schema the checks, ``invoke new`` and the editor read) and the guide a new
file starts with. Hugo's content types are the model: a kind is data, not a
branch in code.

The kinds of this plugin are ``KINDS`` (news, reports, projects, pages); a
plugin adds its own with :func:`register` (the events plugin adds events),
and a site adds or changes kinds with the ``BILINGUAL_KINDS`` setting
({name: {field: value}}): a kind named there that is not known yet is a new
kind, made like an existing one (``"like": "news"``). See the README, "Adding
a kind".
"""

import dataclasses
import sys
from dataclasses import dataclass, field

from pelican import contents
from pelican.plugins._utils import load_plugins

from . import contents as site_contents
from .i18n import N_

# Field types (what the checks test and the editor offers):
# text, date (2023-04-01 10:00), moment (a date, or a date and time with its
# zone), slug, lang, status, year, url, integer, choice (one key of the
# setting ``vocabulary``), choices (comma-separated keys), reference (the slug
# of an item of the kind ``reference``), references (comma-separated slugs),
# names (organisations separated by ";"), timezone, flag (on when it says
# its ``default``, "yes"; off when empty or "no"), translation (a language and
# a fingerprint: rules.translated_from).


@dataclass(frozen=True)
class Field:
    """One metadata field of a kind, as staff write it (``Fiscal-Year: 2022``)."""

    name: str
    type: str = "text"
    required: bool = False
    vocabulary: str | None = None  # the setting listing the keys of a choice
    reference: str | None = None  # the kind a reference names
    default: str = ""  # the value ``invoke new`` writes
    scaffold: bool = True  # whether ``invoke new`` writes the line
    # The editor's label and hint (English msgids); FIELD_TEXTS has those of
    # the usual fields, a field a site adds may bring its own.
    label: str = ""
    hint: str = ""
    # Whether each language writes its own value; None: as its type says
    # (TRANSLATED_TYPES). Modified is a date, yet each language has its own.
    per_language: bool | None = None
    # A field that must be filled in when this one is (Image needs Image-Alt).
    companion: str | None = None

    @property
    def title(self):
        """The label staff see for the field (an English msgid)."""
        return self.label or FIELD_TEXTS.get(self.name, (self.name, ""))[0]

    @property
    def help(self):
        """A short hint under the field in the editor (an English msgid, or "")."""
        return self.hint or FIELD_TEXTS.get(self.name, ("", ""))[1]

    @property
    def translated(self):
        """Whether each language has its own value (a title) rather than the
        same one (a date, a category, the projects): the editor asks for a
        shared value once, the checks want the languages to agree on it."""
        if self.per_language is not None:
            return self.per_language
        return self.type in TRANSLATED_TYPES

    @property
    def agrees(self):
        """Whether the languages of an item must have the same value (checked across
        the pair): a shared value, other than the pair's own Slug and each file's
        Lang and Status (a translation may still be a draft)."""
        return not self.translated and self.type not in ("lang", "slug", "status")

    @property
    def key(self):
        """The attribute name on items: ``Fiscal-Year`` -> ``fiscal_year``."""
        return self.name.lower().replace("-", "_")

    @property
    def separator(self):
        """What separates the values of a list field (None: not a list)."""
        return {"choices": ",", "references": ",", "names": ";"}.get(self.type)


# Values written in each language: the others are one value for every language.
# (A web address may differ: the English registration form.)
TRANSLATED_TYPES = ("text", "names", "url")

# Labels and hints of the usual fields, as the editor shows them.
FIELD_TEXTS = {
    "Title": (N_("Title"), N_("The page's heading.")),
    "Slug": (N_("Slug"), N_("The web address of the item: lower-case letters, digits and "
                           "hyphens, e.g. fy2023-open-call. The same in every language.")),
    "Lang": (N_("Language"), ""),
    "Translated-From": (N_("Translated from"), N_("Which version this one translates, as it "
                                                  "was: the check says what to write.")),
    "One-Language": (N_("This language only"), N_("On: the item is not meant to be "
                                                 "translated (no warning about it).")),
    "Date": (N_("Date"), N_("Japan time. The date and time the item is published.")),
    "Status": (N_("Draft"), N_("A draft is shown only in the preview. Switch off to publish.")),
    "Modified": (N_("Updated"), N_("Japan time. Only when the content changed after "
                                   "publication.")),
    "Summary": (N_("Summary"), N_("One or two sentences for lists, feeds and search "
                                  "results.")),
    "Category": (N_("Category"), ""),
    "Tags": (N_("Tags"), ""),
    "Projects": (N_("Projects"), N_("The projects this item is about.")),
    "Event": (N_("Event"), N_("The event this report is about.")),
    "Author": (N_("Author"), ""),
    "Authors": (N_("Authors"), ""),
    "Lead": (N_("Lead organisation"), ""),
    "Participants": (N_("Participating organisations"), ""),
    "Track": (N_("Track"), ""),
    "Fiscal-Year": (N_("Fiscal year"), N_("The fiscal year the project was selected, e.g. "
                                          "2022.")),
    "Service": (N_("Service"), ""),
    "Website": (N_("Website"), N_("An address starting with https://")),
    "Starts": (N_("Starts"), N_("Japan time. Leave the time empty for an all-day event.")),
    "Ends": (N_("Ends"), N_("Japan time. Leave the time empty for an all-day event.")),
    "Timezone": (N_("Time zone"), N_("Only for an event outside Japan, e.g. Europe/London.")),
    "Venue": (N_("Venue"), ""),
    "Address": (N_("Address"), ""),
    "Online": (N_("Online event address"), N_("An address starting with https://")),
    "Registration": (N_("Registration page"), N_("An address starting with https://")),
    "Registration-Deadline": (N_("Registration deadline"), N_("Japan time.")),
    "Capacity": (N_("Capacity"), ""),
    "Fee": (N_("Fee"), ""),
    "Organizer": (N_("Organizer"), ""),
    "Event-Status": (N_("Event status"), ""),
    "Title-Kana": (N_("Title in kana"), N_("The title's reading in kana.")),
    "Sequence": (N_("Calendar revision"), N_("Usually empty: calendars follow the Updated "
                                             "date.")),
    "Image": (N_("Lead photo"), N_("Shown at the top of the page, on its card in lists and "
                                   "in link previews. A JPEG or PNG from content/images/.")),
    "Image-Alt": (N_("Photo description"), N_("What the lead photo shows, for people who "
                                              "cannot see it (required with a photo).")),
}

COMMON = (
    Field("Title", required=True),
    Field("Slug", "slug", required=True),
    Field("Lang", "lang", required=True),
    # "One-Language: yes": the item is meant to exist in this language only
    # (a notice for local residents), so no missing translation is reported.
    Field("One-Language", "flag", default="yes", scaffold=False, per_language=True),
    # "Translated-From: ja 3f9a2c1d": the version this file translates, as it was
    # (rules.content_fingerprint); a change there marks this one as out of date.
    Field("Translated-From", "translation", scaffold=False, per_language=True),
)
# When the item was last changed, in each language (a translation is updated on its own).
MODIFIED = Field("Modified", "date", per_language=True)
PUBLISHING = (
    Field("Status", "status", default="draft"),
    MODIFIED,
    Field("Summary"),
)
AUTHORS = (Field("Author", scaffold=False), Field("Authors", scaffold=False))
# An item's lead photo (the photos plugin shows it), with its description in
# each language.
LEAD_IMAGE = (Field("Image", "image", companion="Image-Alt"), Field("Image-Alt"))


@dataclass(frozen=True)
class Kind:
    """Everything that varies by content kind."""

    name: str  # the content type and its folder key: "news"
    content_class: type  # Pelican reads <CLASS>_URL, <CLASS>_LANG_SAVE_AS, ... by its name
    page_kind: str  # first part of the page key of an item's page: "article"
    variable: str  # the template variable holding the item: "article"
    template: str  # the item page's template
    folder: str  # under PATH; BILINGUAL_CONTENT_PATHS may move it
    urls: dict  # URL, SAVE_AS, LANG_URL, LANG_SAVE_AS patterns of the item pages
    fields: tuple  # of Field, in the order ``invoke new`` writes them
    scaffold_name: str  # ``invoke new <scaffold_name>``
    guide: str = ""  # kind-specific line of the new file's guide (an English msgid)
    list_kind: str | None = None  # the list page the kind's items sit under
    list_url: str | None = None  # that list page, relative to the language root
    list_template: str | None = None
    list_style: str | None = None  # how the generator plans the list: simple, news, projects
    list_name: str | None = None  # how the switch's note names the list (an English msgid)
    list_title: str | None = None  # the list page's title (an English msgid)
    section: str | None = None  # the main-menu entry its pages belong to
    # Each item is a menu entry of its own (about, contact): ``links[<slug>]``
    # and the section of its page are its slug.
    own_section: bool = False
    fallback: tuple = ()  # page kinds the switch tries when an item is untranslated
    feed: bool = False  # a feed of its own per language (FEEDS_URLS[name])
    feed_title: str | None = None  # msgid with %(site)s; else "<site>: <list_title>"
    in_feeds: tuple = ()  # other feeds its items go into: "events", "project"
    search_type: str | None = None  # the search filter's name of the type; None: not indexed
    type_name: str | None = None  # the type as the search page offers it (an English msgid)
    og_type: str = "website"
    json_ld_type: str | None = None  # schema.org type of the item's own block
    read_by: str = "bilingual"  # the plugin that reads and plans the kind
    # Checks of the kind's own fields beyond their types: validate(metadata,
    # settings) -> [(field, message, fix)], metadata keyed by lower-case name.
    validate: object = None

    @property
    def field_names(self):
        return tuple(f.name for f in self.fields)

    @property
    def required(self):
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name):
        """The :class:`Field` called ``name`` (any case), or None."""
        return next((f for f in self.fields if f.name.lower() == name.lower()), None)

    def url_settings(self):
        """``{EVENT_URL: ..., EVENT_LANG_SAVE_AS: ...}``, as Pelican's Content reads them."""
        prefix = self.content_class.__name__.upper()
        return {f"{prefix}_{name}": pattern for name, pattern in self.urls.items()}


# The Content classes made for kinds a site adds, by class name.
_MADE_CLASSES = {}


def content_class(class_name, like, content_type, template):
    """A Content class for a kind a site adds, made like ``like``'s class.

    It is published in ``bilingual.contents`` under its name, where pickle
    (the content cache, the rendering processes) finds it again; a class of
    the plugin's own cannot be replaced. Made again when its base changes
    (a preview reads a changed pelicanconf.py in the same process), and its
    kind's values are set on every call.
    """
    existing = getattr(site_contents, class_name, None)
    if existing is not None and _MADE_CLASSES.get(class_name) is not existing:
        raise ValueError(f"BILINGUAL_KINDS[{content_type!r}]: the class name {class_name!r} "
                         "is taken: give the kind another 'class_name'")
    if existing is None or existing.__bases__ != (like,):
        existing = type(class_name, (like,), {"__module__": site_contents.__name__})
        _MADE_CLASSES[class_name] = existing
        setattr(site_contents, class_name, existing)
    existing.content_type = content_type
    existing.default_template = template
    return existing


def item_urls(folder):
    return {
        "URL": f"{folder}/{{slug}}/",
        "SAVE_AS": f"{folder}/{{slug}}/index.html",
        "LANG_URL": f"{{lang}}/{folder}/{{slug}}/",
        "LANG_SAVE_AS": f"{{lang}}/{folder}/{{slug}}/index.html",
    }


KINDS = (
    Kind(
        name="news", content_class=site_contents.Article, page_kind=N_("article"),
        variable="article", template="article", folder="news", urls=item_urls("news"),
        fields=COMMON + (
            Field("Date", "date", required=True),
            Field("Status", "status", default="draft"),
            Field("Category", "choice", required=True, vocabulary="NEWS_CATEGORIES",
                  default="announcements"),
            MODIFIED, Field("Summary"),
            Field("Tags", "choices", vocabulary="NEWS_TAGS"),
            Field("Projects", "references", reference="projects"),
        ) + LEAD_IMAGE + AUTHORS,
        scaffold_name="article",
        guide=N_("- Category is announcements or column. Tags and Projects are "
                 "comma-separated."),
        list_kind="news", list_url="news/", list_template="news", list_style="news",
        list_name=N_("news list"), list_title=N_("News"), section="news", fallback=("news",),
        feed=True, feed_title=N_("%(site)s: All news"), in_feeds=("project",),
        search_type="news", type_name=N_("News"), og_type="article", json_ld_type="NewsArticle",
    ),
    Kind(
        name="reports", content_class=site_contents.Report, page_kind=N_("report"),
        variable="article", template="report", folder="reports", urls=item_urls("reports"),
        fields=COMMON + (
            Field("Date", "date", required=True),
            Field("Status", "status", default="draft"),
            Field("Event", "reference", required=True, reference="events"),
            MODIFIED, Field("Summary"),
            Field("Tags", "choices", vocabulary="NEWS_TAGS"),
            Field("Projects", "references", reference="projects"),
        ) + LEAD_IMAGE + AUTHORS,
        scaffold_name="report",
        guide=N_("- Event is the Slug of the event this reports on."),
        list_kind="reports", list_url="reports/", list_template="reports",
        list_style="simple", list_name=N_("list of event reports"),
        list_title=N_("Event reports"), section="reports",
        fallback=("reports",), in_feeds=("events", "project"), search_type="report",
        type_name=N_("Event reports"),
        og_type="article", json_ld_type="NewsArticle",
    ),
    Kind(
        name="projects", content_class=site_contents.Project, page_kind=N_("project"),
        variable="project", template="project", folder="projects",
        urls=item_urls("projects"),
        fields=COMMON + (
            Field("Date", "date"),
            Field("Status", "status", default="draft"),
            Field("Lead", "names", required=True),
            Field("Track", "choice", required=True, vocabulary="PROJECT_TRACKS",
                  default="business-promotion"),
            Field("Fiscal-Year", "year", required=True),
            MODIFIED, Field("Summary"),
            Field("Service"), Field("Participants", "names"), Field("Website", "url"),
        ) + LEAD_IMAGE,
        scaffold_name="project",
        guide=N_('- Separate several organisations with " ; " (e.g. A Inc. ; B City).'),
        list_kind="projects", list_url="projects/", list_template="projects",
        list_style="projects", list_name=N_("list of projects"),
        list_title=N_("Projects"), section="projects",
        fallback=("projects",), search_type="project", type_name=N_("Projects"),
    ),
    Kind(
        name="pages", content_class=site_contents.Page, page_kind=N_("page"), variable="page",
        template="page", folder="pages",
        urls={"URL": "{slug}/", "SAVE_AS": "{slug}/index.html",
              "LANG_URL": "{lang}/{slug}/", "LANG_SAVE_AS": "{lang}/{slug}/index.html"},
        fields=COMMON + (
            Field("Date", "date"),
            Field("Status", "status", default="draft"),
            MODIFIED, Field("Summary"),
        ),
        scaffold_name="page", fallback=("home",), own_section=True, search_type="page",
        type_name=N_("Pages"),
    ),
)


def with_changes(kind, changes):
    """``kind`` with the fields in ``changes`` replaced (fields given as dicts become Fields)."""
    changes = dict(changes)
    if "fields" in changes:
        changes["fields"] = tuple(
            f if isinstance(f, Field) else Field(**f) for f in changes["fields"]
        )
    for name in ("fallback", "in_feeds"):
        if name in changes:
            changes[name] = tuple(changes[name])
    unknown = set(changes) - {f.name for f in dataclasses.fields(Kind)}
    if unknown:
        raise ValueError(f"BILINGUAL_KINDS[{kind.name!r}]: unknown field(s) "
                         f"{', '.join(sorted(unknown))}")
    return dataclasses.replace(kind, **changes)


def new_kind(name, record, known):
    """A kind a site adds in ``BILINGUAL_KINDS``: ``like`` an existing one, with its own names."""
    record = dict(record)
    like = known.get(record.pop("like", "reports"))
    if like is None:
        raise ValueError(f"BILINGUAL_KINDS[{name!r}]: 'like' names no kind; use one of "
                         f"{', '.join(known)}")
    singular = record.get("page_kind", name.removesuffix("s"))
    dated = issubclass(like.content_class, contents.Article)
    folder = record.get("folder", name)
    class_name = record.pop("class_name", singular.title().replace("-", ""))
    template = record.get("template", singular)
    defaults = {
        "name": name,
        "content_class": content_class(class_name, like.content_class, name, template),
        "page_kind": singular,
        "template": template, "folder": folder, "urls": item_urls(folder),
        "scaffold_name": singular, "guide": "", "list_kind": name, "list_url": f"{name}/",
        "list_template": name, "list_style": "simple", "list_name": name.title(),
        "list_title": name.title(), "section": name,
        "fallback": (name,), "feed": False, "feed_title": None, "in_feeds": (),
        "search_type": singular, "type_name": record.get("list_title", name.title()),
        # Title, Slug, Lang, a Date (required when dated), Status, Modified,
        # Summary, Tags and Projects; a site lists its own with "fields".
        "fields": COMMON + (Field("Date", "date", required=dated),) + PUBLISHING + (
            Field("Tags", "choices", vocabulary="NEWS_TAGS"),
            Field("Projects", "references", reference="projects"),
        ),
        "json_ld_type": like.json_ld_type if dated else None,
    }
    return with_changes(like, {**defaults, **record})


@dataclass
class Registry:
    """The kinds of one build, in order; plugins and the site's settings add to it."""

    kinds: dict = field(default_factory=dict)

    def add(self, kind):
        self.kinds[kind.name] = kind
        # Items split their list fields as the kind's fields say (one class a kind).
        kind.content_class.list_fields = {
            f.key: f.separator for f in kind.fields if f.type in ("references", "names")
        }
        return kind

    def __iter__(self):
        return iter(self.kinds.values())

    def __getitem__(self, name):
        return self.kinds[name]

    def get(self, name, default=None):
        return self.kinds.get(name, default)

    def by_list_kind(self, list_kind):
        return next((kind for kind in self if kind.list_kind == list_kind), None)

    def by_page_kind(self, page_kind):
        return next((kind for kind in self if kind.page_kind == page_kind), None)

    def by_scaffold_name(self, name):
        return next((kind for kind in self if kind.scaffold_name == name), None)

    def read_by(self, plugin):
        return [kind for kind in self if kind.read_by == plugin]


# Kinds plugins add with ``register`` (the events plugin's): {plugin: [kinds]}.
PLUGIN_KINDS = {}


def register(kind, plugin):
    """Add ``plugin``'s kind to the registry of every site that lists the plugin in PLUGINS.

    Call it when the plugin's module is imported, so that tools that read the
    registry without building (``invoke new``, ``invoke check``) see it too.
    """
    kinds = PLUGIN_KINDS.setdefault(plugin, [])
    kinds[:] = [known for known in kinds if known.name != kind.name] + [kind]
    return kind


def plugin_kinds(settings):
    """The kinds of the plugins in the site's PLUGINS, loading them to find out.

    A build has loaded them already; a tool that reads the registry without
    building (``invoke check``) loads them with Pelican's own loader, which
    finds namespace plugins and those in PLUGIN_PATHS (and logs, and skips,
    one it cannot import).
    """
    names = [plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
             for plugin in settings.get("PLUGINS") or ()]
    if any(name not in sys.modules and f"pelican.plugins.{name}" not in sys.modules
           for name in names):
        load_plugins(settings)
    return [kind for name in names for kind in PLUGIN_KINDS.get(name.split(".")[-1], [])]


def site_kinds(settings):
    """The :class:`Registry` of a site: ours, the plugins', then ``BILINGUAL_KINDS``.

    ``BILINGUAL_CONTENT_PATHS`` ({kind: folder}) moves a kind's folder.
    """
    registry = Registry()
    for kind in (*KINDS, *plugin_kinds(settings)):
        registry.add(kind)
    for name, record in (settings.get("BILINGUAL_KINDS") or {}).items():
        known = registry.get(name)
        registry.add(with_changes(known, record) if known else new_kind(name, record,
                                                                          registry.kinds))
    for name, folder in (settings.get("BILINGUAL_CONTENT_PATHS") or {}).items():
        if name in registry.kinds:
            registry.add(dataclasses.replace(registry[name], folder=folder))
    for kind in list(registry):
        # A field naming a kind no plugin registers (Event: without the events
        # plugin) is not a field of the site: a file writing it gets a warning.
        kept = tuple(f for f in kind.fields if not f.reference or f.reference in registry.kinds)
        if kept != kind.fields:
            registry.add(dataclasses.replace(kind, fields=kept))
    check_registry(registry)
    return registry


# How a kind's list page can be planned (plan.LIST_PLANNERS); None: no list.
LIST_STYLES = ("news", "simple", "projects")


def check_registry(registry):
    """Raise ValueError naming what two kinds share that must be their own, or a list style
    nobody plans (a typo would silently give a kind no list)."""
    problems = []
    for attribute in ("page_kind", "list_kind", "scaffold_name", "folder"):
        seen = {}
        for kind in registry:
            value = getattr(kind, attribute)
            if value is not None and value in seen:
                problems.append(f"{seen[value]!r} and {kind.name!r} have the same "
                                f"{attribute} {value!r}")
            seen.setdefault(value, kind.name)
    problems += [f"{kind.name!r} has list_style {kind.list_style!r}: use one of "
                 f"{', '.join(LIST_STYLES)} (or none)"
                 for kind in registry if kind.list_style not in (None, *LIST_STYLES)]
    if problems:
        raise ValueError("BILINGUAL_KINDS: " + "; ".join(problems))
