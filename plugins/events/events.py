"""The networking-event calendar: events as their own content type, in both languages.

Reads ``content/events`` (one file per event and language), checks every
event (a wrong date, status or address stops the build with the file and
field named), and adds through the bilingual plugin: event pages, the
calendar page with upcoming and past events, month pages with an accessible
grid, iCalendar files (one subscription per language, one file per event),
and the open-data CSV.

The kind ``events`` is registered in the bilingual plugin's registry (the
checks, ``invoke new`` and the feeds read it there); its items are published
through the site interface (``site.items_of("events")``, in start order).
Needs the bilingual plugin before it in PLUGINS; put it before feeds, which
adds an events feed.

Context key it adds: ``calendars``: {lang: [CalendarLink]} for the Subscribe
page; event, month and calendar pages announce their language's calendar.

Event attributes for templates: ``schedule``, ``when_display``,
``is_upcoming``, ``registration_open``, ``deadline_shown``, ``deadline_display``,
``event_status``, ``attendance_mode``, ``project_links``, ``reports``,
``ics_href``, ``json_ld``; reports get ``event_link``, projects ``events``.
"""

import datetime
import logging
from dataclasses import dataclass

from babel.dates import format_date, get_day_names
from bilingual.files import display_path, write_bytes
from bilingual.i18n import N_
from bilingual.readers import share_file_stamps
from bilingual.rules import unknown_reference
from bilingual.site import join_url, site_of
from pelican import signals
from pelican.generators import CachingGenerator

from . import ical, opendata, schedule
from .kind import CLOSED_STATUSES, sequence_of  # (importing it registers the events kind)
from .settings import apply_defaults
from .structured import attendance_mode

logger = logging.getLogger(__name__)

# Packages that make the calendars and the open data (their versions decide
# whether the previous build's files can be reused).
EVENT_PACKAGES = ("icalendar",)

CALENDAR_TYPE = "text/calendar"


@dataclass(frozen=True)
class CalendarLink:
    """A calendar as pages and the Subscribe page offer it."""

    title: str
    href: str

    media_type = CALENDAR_TYPE

    @property
    def webcal(self):
        """The same calendar as a webcal:// link, which calendar apps subscribe to."""
        return "webcal://" + self.href.split("://", 1)[1]


@dataclass(frozen=True)
class Link:
    name: str
    href: str


class EventsGenerator(CachingGenerator):
    """Reads events and plans their pages, calendars and open data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_defaults(self.settings)
        self.events = []
        self.files = []  # (path, function, arguments): bytes made in generate_output
        # (Each event file's stamp taken once a build, as the other kinds' are.)
        share_file_stamps(self, self.readers)

    # -- reading and checking -------------------------------------------

    def read_events(self, site):
        tz_name = self.settings["EVENTS_TIMEZONE"] or self.settings["TIMEZONE"]

        def check_schedule(event):
            event.schedule, found = schedule.check_event(event.metadata, tz_name)
            where = display_path(event.source_path)
            return [f"{where}: {problem}" for problem in found]

        return site.read_kind(self, site.kinds["events"], check_schedule)

    def generate_context(self):
        site = self.site = site_of(self.context)
        events, problems = self.read_events(site)
        problems += self.link(site, events)
        if problems:
            raise site.content_error(problems)
        site.register_page_kind("month", ("events",), section="events")
        self.events = sorted(events, key=lambda e: (e.schedule.starts_at(), e.slug))
        site.add_items("events", self.events)
        self.domain = site.absolute_siteurl()
        for event in self.events:
            self.decorate(site, event)
        calendars = {}
        for lang in site.languages.codes:
            calendars[lang] = self.plan_language(site, lang, site.items_of("events", lang))
        self.context["calendars"] = calendars
        if self.domain:
            self.plan_open_data(site)

    def link(self, site, events):
        """Pair translations; link events, projects and reports both ways."""
        problems = site.pair(events)
        known_events = {e.slug for e in events}
        for event in events:
            event.reports = []
        problems += site.link_projects(events, "events")
        for kind in site.kinds:
            if not (kind.field("Event") and kind.field("Event").reference == "events"):
                continue
            for report in site.items_of(kind.name):
                problems += self.link_report(site, report, events, known_events)
        return problems

    @staticmethod
    def link_report(site, report, events, known_events):
        """``report.event_link`` to its event, in its language or the nearest other."""
        slug = report.metadata.get("event")
        report.event_link = None
        if not slug:
            return []
        if slug not in known_events:
            message, fix = unknown_reference("event", slug, known_events)
            return [f"{display_path(report.source_path)}: Event: {message} — {fix}"]
        by_lang = {e.lang: e for e in events if e.slug == slug}
        order = (report.lang, *site.languages[report.lang].fallback)
        event = next((by_lang[lang] for lang in order if lang in by_lang),
                     next(iter(by_lang.values())))
        report.event_link = Link(event.title, site.href(event.url))
        if event.lang == report.lang:
            event.reports.append(report)
        return []

    # -- display values ---------------------------------------------------

    def decorate(self, site, event):
        lang = event.lang
        language = site.languages[lang]
        now = site.now
        sched = event.schedule
        home_zone = self.home_zone()
        event.event_status = str(event.metadata.get("event-status", "scheduled")).strip().lower()
        for name in ("venue", "address", "online", "registration", "fee", "organizer"):
            setattr(event, name, str(event.metadata.get(name, "") or "").strip())
        event.capacity = str(event.metadata.get("capacity", "") or "").strip()
        event.when_display = schedule.format_schedule(sched, language, home_zone)
        event.is_upcoming = sched.over_at() > now
        event.deadline = schedule.deadline_of(event.metadata, sched)
        event.deadline_display = schedule.format_moment(
            event.deadline.astimezone(sched.tz), language, home_zone)
        # The deadline is shown while the event may still take place (also
        # after it passed: "closed on ..."); the button only while it is open.
        event.deadline_shown = bool(
            event.registration
            and event.is_upcoming
            and event.event_status not in CLOSED_STATUSES
        )
        event.registration_open = event.deadline_shown and now < event.deadline
        event.attendance_mode = attendance_mode(event)
        event.absolute_url = join_url(self.domain or "", event.url)
        event.absolute_url_known = self.domain is not None
        event.href = site.href(event.url)
        event.ics_url = site.root(lang) + self.settings["EVENT_ICS_URL"].format(slug=event.slug)
        event.ics_href = site.href(event.ics_url)
        event.uid = ical.event_uid(event.slug, lang, self.settings["EVENTS_UID_DOMAIN"])
        modified = getattr(event, "modified", None)
        published = getattr(event, "date", None)
        event.last_modified_at = modified or published
        event.stamp = event.last_modified_at or sched.starts_at()
        event.sequence = sequence_of(event)
        prefix = {
            "cancelled": N_("[Cancelled] %(title)s"),
            "postponed": N_("[Postponed] %(title)s"),
        }.get(event.event_status)
        event.calendar_summary = (
            site.translate(lang, prefix, title=event.title) if prefix else event.title
        )
        place = ", ".join(part for part in (event.venue, event.address) if part)
        if event.event_status == "moved-online" or not place:
            place = event.online or place
        event.calendar_location = place
        event.registration_line = site.translate(
            lang, N_("Registration: %(url)s"), url=event.registration
        )
        event.organizer_name = event.organizer or self.settings.get("AUTHOR", "")
        event.organizer_url = self.organizer_url(site, event)
        event.image_domain, event.default_images = self.domain, self.default_images()
        event.date_display = None
        event.category_term, event.tag_terms = None, []
        if published is not None:
            site.decorate(event)

    def organizer_url(self, site, event):
        """The organizer's web address from EVENTS_ORGANIZER_URLS, or None (never guessed)."""
        address = self.settings["EVENTS_ORGANIZER_URLS"].get(event.organizer_name)
        if address is None or "://" in address:
            return address
        return join_url(self.domain, site.root(event.lang) + address) if self.domain else None

    def default_images(self):
        """The events' image for structured data when an event has no lead photo of its
        own (``Event.images``: the photos plugin gives that one later in the build)."""
        image = self.settings["EVENTS_IMAGE"] or self.settings.get("SEO_DEFAULT_IMAGE")
        return [join_url(self.domain, image)] if image and self.domain else []

    def home_zone(self):
        """The site's own time zone: times in it need no zone name for some readers."""
        return schedule.event_timezone({}, self.settings["TIMEZONE"])

    # -- pages, calendars -------------------------------------------------

    def calendar_name(self, site, lang):
        names = self.settings["EVENTS_CALENDAR_NAMES"]
        if lang in names:
            return names[lang]
        return site.translate(lang, N_("%(site)s: events"), site=site.sitename(lang))

    def plan_language(self, site, lang, events):
        root = site.root(lang)
        now = site.now
        upcoming = [e for e in events if e.is_upcoming]
        past = sorted((e for e in events if not e.is_upcoming),
                      key=lambda e: e.schedule.starts_at(), reverse=True)
        calendar_links = []
        if self.domain:
            calendar_url = root + self.settings["EVENTS_CALENDAR_URL"]
            calendar_links = [CalendarLink(self.calendar_name(site, lang),
                                           join_url(self.domain, calendar_url))]
            subscribed = self.subscribed(events, now)
            self.files.append((calendar_url, ical.build_calendar, (
                subscribed,
                calendar_links[0].title,
                site.site_description(lang),
                join_url(self.domain, root + self.settings["EVENTS_INDEX_URL"]),
                self.settings,
            )))
            for event in events:
                self.files.append((event.ics_url, ical.build_calendar, (
                    [event], event.title, "", event.absolute_url, self.settings)))

        months = self.plan_months(site, lang, events, now)
        index_url = root + self.settings["EVENTS_INDEX_URL"]
        site.add_page(
            ("events", None, 1), lang, index_url, "events", link_name="events",
            upcoming=upcoming, past=past, listed=events, months=months,
            calendars=calendar_links,
            csv_href=(join_url(self.domain, self.settings["EVENTS_CSV_URL"])
                      if self.domain else None),
        )
        kind = site.kinds["events"]
        for event in events:
            site.add_item_page(kind, event, calendars=calendar_links)
        for key in [("events", None)] + [("event", e.slug) for e in events] + [
            ("month", month["key"]) for month in months
        ]:
            site.announce(key, lang, calendar_links)
        site.update_page(("home", None, 1), lang,
                         upcoming_events=upcoming[: self.settings["EVENTS_HOME_COUNT"]])
        return calendar_links

    def subscribed(self, events, now):
        """The events a language's subscription holds: all, or those ended recently."""
        months = self.settings["EVENTS_CALENDAR_PAST_MONTHS"]
        if months is None:
            return list(events)
        window = now - datetime.timedelta(days=31 * months)
        return [e for e in events if e.schedule.over_at() >= window]

    def plan_months(self, site, lang, events, now):
        """Month pages for every month with an event, linked previous/next."""
        language = site.languages[lang]
        by_day = {}
        for event in events:
            for day in event.schedule.days():
                by_day.setdefault(day, []).append(event)
        month_keys = sorted({schedule.month_key(day) for day in by_day})
        root = site.root(lang)
        today = now.astimezone(events[0].schedule.tz if events else datetime.UTC).date()
        weekdays = get_day_names("wide", locale=language.locale)
        short = get_day_names("abbreviated", locale=language.locale)
        # Babel numbers Monday 0 ... Sunday 6; the grid starts on Sunday.
        header = [{"abbr": short[d], "name": weekdays[d]} for d in (6, 0, 1, 2, 3, 4, 5)]
        months = []
        for year, month in month_keys:
            url = root + self.settings["EVENTS_MONTH_URL"].format(year=year, month=month)
            label = format_date(datetime.date(year, month, 1), language.month_format,
                                locale=language.locale)
            months.append({"key": f"{year:04d}-{month:02d}", "year": year, "month": month,
                           "url": url, "href": site.href(url), "label": label})
        for position, month in enumerate(months):
            grid = schedule.month_grid(month["year"], month["month"], by_day, today)
            site.add_page(
                ("month", month["key"], 1), lang, month["url"], "event_month",
                month=month, weeks=grid, weekdays=header,
                listed=list({id(e): e for week in grid for cell in week
                             for e in cell.events}.values()),
                previous_month=months[position - 1] if position > 0 else None,
                next_month=months[position + 1] if position + 1 < len(months) else None,
            )
        return months

    def plan_open_data(self, site):
        columns = self.settings["EVENTS_OPENDATA_LANGUAGES"]
        pairs = {}
        for event in self.events:
            pairs.setdefault(event.slug, {})[event.lang] = event
        ordered = sorted(pairs.values(), key=lambda p: next(iter(p.values())).schedule.starts_at())
        self.files.append((self.settings["EVENTS_CSV_URL"], opendata.events_csv,
                           (ordered, columns, site.languages.codes, self.settings)))

    def generate_output(self, writer):
        # A file made from the same inputs as the previous build's is that
        # file (``make`` is a function of its arguments): an edit of a news
        # article makes no calendar again. (The settings are in every
        # fingerprint already, without those that differ from build to build.)
        reuse = self.site.file_reuse("events", self.output_path, packages=EVENT_PACKAGES)
        for name, make, arguments in self.files:
            inputs = ["settings" if argument is self.settings else argument
                      for argument in arguments]
            if reuse is not None and reuse.reuse(
                [name], reuse.fingerprint(f"{make.__module__}.{make.__qualname__}", *inputs)
            ):
                continue
            write_bytes(self.output_path, name, make(*arguments))
        if reuse is not None:
            reuse.save()


def add_generator(pelican):
    return EventsGenerator


def register():
    signals.get_generators.connect(add_generator)
