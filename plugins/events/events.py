"""The networking-event calendar: events as their own content type, in both languages.

Reads ``content/events`` (one file per event and language), checks every
event (a wrong date, status or address stops the build with the file and
field named), and adds through the bilingual plugin: event pages, the
calendar page with upcoming and past events, month pages with an accessible
grid, iCalendar files (one subscription per language, one file per event),
and the open-data CSV.

Needs the bilingual plugin before it in PLUGINS (it uses its content
classes and adds its pages there); put it before feeds, which adds an events
feed from the context keys below.

Context keys it adds:
- ``bilingual_events``: {lang: [Event]} in start order (public events only);
- ``calendars``: {lang: [CalendarLink]} for the Subscribe page;
- ``page_feeds`` entries announcing the calendar on event pages.

Event attributes for templates: ``schedule``, ``when_display``,
``is_upcoming``, ``registration_open``, ``deadline_shown``, ``deadline_display``,
``event_status``, ``attendance_mode``, ``project_links``, ``reports``,
``ics_href``, ``json_ld``; reports get ``event_link``, projects ``events``.
"""

import datetime
import json
import logging
from dataclasses import dataclass

from babel.dates import format_date, get_day_names
from bilingual.contents import SiteContent
from bilingual.files import write_bytes
from bilingual.generator import read_content
from markupsafe import Markup
from pelican import contents, signals
from pelican.generators import CachingGenerator

from . import ical, opendata, schedule
from .settings import apply_defaults

logger = logging.getLogger(__name__)

CALENDAR_TYPE = "text/calendar"
SEQUENCE_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
SCHEMA_STATUS = {
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
    "rescheduled": "EventRescheduled",
    "moved-online": "EventMovedOnline",
}
MONTH_PATTERNS = {"ja": "y年M月", "en": "MMMM y"}


def N_(message):
    return message


class Event(SiteContent, contents.Page):
    """An event (``content/events``); URLs from EVENT_URL / EVENT_LANG_URL.

    Values that read the body (summary, feed text, structured data, calendar
    text) are computed when first used, at output time: the body's links
    resolve only after every generator has read its content.
    """

    content_type = "events"
    default_template = "event"

    @property
    def json_ld(self):
        return json_ld(self, self.organizer_name) if self.absolute_url_known else None

    @property
    def feed_html(self):
        when_where = self.when_display + (f" — {self.venue}" if self.venue else "")
        return Markup("<p>{}</p>").format(when_where) + Markup(self.content)

    @property
    def calendar_description(self):
        # Only content goes into the calendar text, never the build time: a
        # rebuild must not change the event for calendar apps.
        lines = [self.summary_text, "", self.absolute_url]
        if self.registration:
            lines += ["", self.registration_line]
        return "\n".join(lines)


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


def sequence_of(event):
    """SEQUENCE: explicit ``Sequence:``, else minutes from 2020 to ``Modified:``.

    It grows whenever staff record a change in ``Modified:``, without anyone
    having to count revisions; an event never modified has 0.
    """
    explicit = event.metadata.get("sequence")
    if explicit not in (None, ""):
        return int(str(explicit).strip())
    modified = getattr(event, "modified", None)
    if modified is None:
        return 0
    return max(0, int((modified - SEQUENCE_EPOCH).total_seconds() // 60))


def attendance_mode(event):
    in_person = bool(getattr(event, "venue", "")) and event.event_status != "moved-online"
    online = bool(getattr(event, "online", "")) or event.event_status == "moved-online"
    if in_person and online:
        return "mixed"
    return "online" if online else "offline"


def json_ld(event, organizer_name):
    """schema.org Event for the event page (Google's required and recommended fields)."""
    schedule_ = event.schedule
    mode = event.attendance_mode
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary_text,
        "url": event.absolute_url,
        "inLanguage": event.lang,
        "startDate": schedule_.start.isoformat(),
        "endDate": (
            schedule_.last_day.isoformat()
            if schedule_.all_day
            else (schedule_.end or schedule_.start).isoformat()
        ),
        "eventStatus": f"https://schema.org/{SCHEMA_STATUS[event.event_status]}",
        "eventAttendanceMode": "https://schema.org/"
        + {"offline": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
           "mixed": "MixedEventAttendanceMode"}[mode],
        "organizer": {"@type": "Organization", "name": organizer_name},
    }
    locations = []
    if mode in ("offline", "mixed"):
        locations.append({
            "@type": "Place",
            "name": event.venue,
            "address": {"@type": "PostalAddress", "streetAddress": event.address or event.venue,
                        "addressCountry": "JP"},
        })
    if mode in ("online", "mixed"):
        locations.append({"@type": "VirtualLocation", "url": event.online or event.absolute_url})
    data["location"] = locations[0] if len(locations) == 1 else locations
    if getattr(event, "registration", ""):
        offer = {"@type": "Offer", "url": event.registration, "validThrough": event.deadline.isoformat()}
        if str(getattr(event, "fee", "")).strip().lower() in opendata.FREE:
            offer.update(price=0, priceCurrency="JPY")
        data["offers"] = offer
    # Inside <script>, "</" would end the element: escape "<" in the JSON text.
    return Markup(json.dumps(data, ensure_ascii=False, indent=2).replace("<", "\\u003c"))


class EventsGenerator(CachingGenerator):
    """Reads events and plans their pages, calendars and open data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_defaults(self.settings)
        self.events = []
        self.files = []  # (path, function, arguments): bytes made in generate_output

    # -- reading and checking -------------------------------------------

    def read_events(self, site):
        tz_name = self.settings["EVENTS_TIMEZONE"] or self.settings["TIMEZONE"]
        events = []
        read, problems = read_content(self, self.settings["EVENTS_PATH"], Event)
        for event in read:
            found = site.check_item(event, event.source_path)
            event.schedule, event_problems = schedule.check_event(event.metadata, tz_name)
            where = site.display_path(event.source_path)
            found += [f"{where}: {problem}" for problem in event_problems]
            if not site.is_public(event):
                continue  # a draft is not built, so its problems cannot break the site
            problems += found
            if not found:
                events.append(event)
                self.add_source_path(event)
                self.add_static_links(event)
        return events, problems

    def generate_context(self):
        site = self.context.get("bilingual_site")
        if site is None:
            raise RuntimeError("[events] the bilingual plugin must come before events in PLUGINS")
        self.site = site
        events, problems = self.read_events(site)
        problems += self.link(site, events)
        if problems:
            raise site.content_error(problems)
        site.register_kind("event", ("events",), section="events")
        site.register_kind("month", ("events",), section="events")
        site.register_kind("events", (), fallback_name=N_("event calendar"), section="events")
        self.events = sorted(events, key=lambda e: (e.schedule.starts_at(), e.slug))
        self.domain = site.absolute_siteurl()
        by_lang = {lang: [e for e in self.events if e.lang == lang] for lang in site.languages}
        for event in self.events:
            self.decorate(site, event)
        calendars = {}
        for lang in site.languages:
            calendars[lang] = self.plan_language(site, lang, by_lang[lang])
        self.context["bilingual_events"] = by_lang
        self.context["calendars"] = calendars
        if self.domain:
            self.plan_open_data(site)

    def link(self, site, events):
        """Pair translations; link events, projects and reports both ways."""
        problems = []
        items = self.context["bilingual_items"]
        problems += site.pair_group(events)
        known_events = {e.slug for e in events}
        for event in events:
            event.reports = []
        problems += site.link_projects(events, "events")
        for report in items["reports"]:
            slug = report.metadata.get("event")
            report.event_link = None
            if not slug:
                continue
            if slug not in known_events:
                problems.append(
                    f"{site.display_path(report.source_path)}: Event: no event with slug "
                    f"{slug!r} — use one of {', '.join(sorted(known_events)) or '(none yet)'}"
                )
                continue
            same = [e for e in events if e.slug == slug and e.lang == report.lang]
            event = same[0] if same else next(e for e in events if e.slug == slug)
            report.event_link = Link(event.title, site.href(event.url))
            if event.lang == report.lang:
                event.reports.append(report)
        return problems

    # -- display values ---------------------------------------------------

    def decorate(self, site, event):
        lang = event.lang
        now = site.now
        sched = event.schedule
        event.event_status = str(event.metadata.get("event-status", "scheduled")).strip().lower()
        for name in ("venue", "address", "online", "registration", "fee", "organizer"):
            setattr(event, name, str(event.metadata.get(name, "") or "").strip())
        event.capacity = str(event.metadata.get("capacity", "") or "").strip()
        event.when_display = schedule.format_schedule(sched, lang)
        event.is_upcoming = sched.over_at() > now
        event.deadline = schedule.deadline_of(event.metadata, sched)
        event.deadline_display = schedule.format_moment(event.deadline.astimezone(sched.tz), lang)
        # The deadline is shown while the event may still take place (also
        # after it passed: "closed on ..."); the button only while it is open.
        event.deadline_shown = bool(
            event.registration
            and event.is_upcoming
            and event.event_status not in ("cancelled", "postponed")
        )
        event.registration_open = event.deadline_shown and now < event.deadline
        event.attendance_mode = attendance_mode(event)
        event.absolute_url = f"{self.domain or ''}/{event.url}"
        event.absolute_url_known = self.domain is not None
        event.href = site.href(event.url)
        root = site.language_root(lang)
        event.ics_url = root + self.settings["EVENT_ICS_URL"].format(slug=event.slug)
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
        event.date_display = None
        event.category_term, event.tag_terms = None, []
        if published is not None:
            site.decorate_item(event)

    # -- pages, calendars -------------------------------------------------

    def calendar_name(self, site, lang):
        names = self.settings["EVENTS_CALENDAR_NAMES"]
        if lang in names:
            return names[lang]
        sitename = site.language_variables(lang)["sitename"]
        return site.translate(lang, N_("%(site)s: events"), site=sitename)

    def plan_language(self, site, lang, events):
        root = site.language_root(lang)
        now = site.now
        upcoming = [e for e in events if e.is_upcoming]
        past = sorted((e for e in events if not e.is_upcoming),
                      key=lambda e: e.schedule.starts_at(), reverse=True)
        calendar_links = []
        if self.domain:
            calendar_url = root + self.settings["EVENTS_CALENDAR_URL"]
            calendar_links = [CalendarLink(self.calendar_name(site, lang),
                                           f"{self.domain}/{calendar_url}")]
            window = now - datetime.timedelta(days=31 * self.settings["EVENTS_CALENDAR_PAST_MONTHS"])
            subscribed = [e for e in events if e.schedule.over_at() >= window]
            self.files.append((calendar_url, ical.build_calendar, (
                subscribed,
                calendar_links[0].title,
                site.language_variables(lang)["site_description"],
                f"{self.domain}/{root}{self.settings['EVENTS_INDEX_URL']}",
                self.settings,
            )))
            for event in events:
                self.files.append((event.ics_url, ical.build_calendar, (
                    [event], event.title, "", event.absolute_url, self.settings)))

        months = self.plan_months(site, lang, events, now)
        index_url = root + self.settings["EVENTS_INDEX_URL"]
        site.add_page(
            ("events", None, 1), lang, index_url, "events", link_name="events",
            upcoming=upcoming, past=past, months=months, calendars=calendar_links,
            csv_href=(f"{self.domain}/{self.settings['EVENTS_CSV_URL']}" if self.domain else None),
        )
        for event in events:
            site.add_page(("event", event.slug, 1), lang, event.url, event.template,
                          event=event, calendars=calendar_links)
        page_feeds = self.context.setdefault("page_feeds", {})
        for key in [("events", None)] + [("event", e.slug) for e in events] + [
            ("month", month["key"]) for month in months
        ]:
            page_feeds.setdefault(key, {})[lang] = list(calendar_links)
        site.update_page(("home", None, 1), lang,
                         upcoming_events=upcoming[: self.settings["EVENTS_HOME_COUNT"]])
        return calendar_links

    def plan_months(self, site, lang, events, now):
        """Month pages for every month with an event, linked previous/next."""
        by_day = {}
        for event in events:
            for day in event.schedule.days():
                by_day.setdefault(day, []).append(event)
        month_keys = sorted({schedule.month_key(day) for day in by_day})
        root = site.language_root(lang)
        today = now.astimezone(events[0].schedule.tz if events else datetime.UTC).date()
        weekdays = get_day_names("wide", locale=lang)
        short = get_day_names("abbreviated", locale=lang)
        # Babel numbers Monday 0 ... Sunday 6; the grid starts on Sunday.
        header = [{"abbr": short[d], "name": weekdays[d]} for d in (6, 0, 1, 2, 3, 4, 5)]
        months = []
        for year, month in month_keys:
            url = root + self.settings["EVENTS_MONTH_URL"].format(year=year, month=month)
            label = format_date(datetime.date(year, month, 1), MONTH_PATTERNS[lang], locale=lang)
            months.append({"key": f"{year:04d}-{month:02d}", "year": year, "month": month,
                           "url": url, "href": site.href(url), "label": label})
        for position, month in enumerate(months):
            grid = schedule.month_grid(month["year"], month["month"], by_day, today)
            site.add_page(
                ("month", month["key"], 1), lang, month["url"], "event_month",
                month=month, weeks=grid, weekdays=header,
                previous_month=months[position - 1] if position > 0 else None,
                next_month=months[position + 1] if position + 1 < len(months) else None,
            )
        return months

    def plan_open_data(self, site):
        pairs = {}
        for event in self.events:
            pairs.setdefault(event.slug, {})[event.lang] = event
        ordered = sorted(pairs.values(), key=lambda p: next(iter(p.values())).schedule.starts_at())
        rows = [(pair.get("ja"), pair.get("en")) for pair in ordered]
        self.files.append((self.settings["EVENTS_CSV_URL"], opendata.events_csv, (rows, self.settings)))

    def generate_output(self, writer):
        for name, make, arguments in self.files:
            write_bytes(self.output_path, name, make(*arguments))


def add_generator(pelican):
    return EventsGenerator


def register():
    signals.get_generators.connect(add_generator)
