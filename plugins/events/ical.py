"""iCalendar files for calendar apps, built with icalendar (>= 7.3).

Rules that Google, Apple and Outlook need (see
shared/reference/research/feeds_ical.md, section 4): METHOD:PUBLISH, never
floating times (TZID with a VTIMEZONE, or UTC), all-day events as DATE with
an exclusive end, a UID that never changes, DTSTAMP and LAST-MODIFIED from the
content rather than the clock, one SUMMARY per event (one calendar per
language), refresh hints with the value types clients expect.
"""

import copy
import datetime
import functools
from zoneinfo import ZoneInfo

STATUS = {
    "scheduled": "CONFIRMED",
    "rescheduled": "CONFIRMED",
    "moved-online": "CONFIRMED",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}


def event_uid(slug, lang, domain):
    """The UID of an event in one language's calendar; the same in every file."""
    return f"event-{slug}-{lang}@{domain}"


def calendar_time(moment):
    """A datetime clients read the same everywhere: named zone kept (TZID), else UTC."""
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment
    return moment.astimezone(datetime.UTC)


def utc(moment):
    return moment.astimezone(datetime.UTC)


def single_line(text):
    return " ".join(str(text).split())


def build_vevent(event, default_minutes):
    """One VEVENT from an event's prepared attributes (see events.py)."""
    from icalendar import Event as VEvent  # noqa: PLC0415 - see build_calendar

    schedule = event.schedule
    component = VEvent()
    component.add("uid", event.uid)
    component.add("dtstamp", utc(event.stamp))
    if schedule.all_day:
        component.add("dtstart", schedule.start)
        component.add("dtend", schedule.end_exclusive_date)
    else:
        end = schedule.end or schedule.start + datetime.timedelta(minutes=default_minutes)
        component.add("dtstart", calendar_time(schedule.start))
        component.add("dtend", calendar_time(end))
    component.add("summary", event.calendar_summary)
    component.add("description", event.calendar_description)
    if event.calendar_location:
        component.add("location", event.calendar_location)
    component.add("url", event.absolute_url)
    component.add("status", STATUS[event.event_status])
    component.add("sequence", event.sequence)
    if event.last_modified_at is not None:
        component.add("last-modified", utc(event.last_modified_at))
    return component


def build_calendar(events, name, description, page_url, settings):
    """A VCALENDAR holding ``events`` (in start order); returns the bytes (CRLF, folded)."""
    # (icalendar is imported when the first calendar is made, while the other
    # core is busy: at import it was 0.05 s of a build's start, on one core.)
    from icalendar import Calendar, vDuration, vText  # noqa: PLC0415

    calendar = Calendar()
    calendar.add("prodid", settings["EVENTS_PRODID"])
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        # vText so that commas and semicolons are escaped (icalendar keeps other
        # X- values verbatim) and a newline cannot break the line.
        calendar.add("x-wr-caldesc", vText(single_line(description)))
    calendar.add("x-wr-timezone", settings["EVENTS_TIMEZONE"] or settings["TIMEZONE"])
    refresh = settings["EVENTS_CALENDAR_REFRESH"]
    calendar.add(
        "refresh-interval", vDuration.from_ical(refresh), parameters={"VALUE": "DURATION"}
    )
    # A string: icalendar writes a timedelta here as "12:00:00", which Outlook rejects.
    calendar.add("x-published-ttl", refresh)
    calendar.add("url", page_url)
    for event in events:
        calendar.add_component(
            build_vevent(event, settings["EVENTS_DEFAULT_DURATION_MINUTES"])
        )
    add_timezones(calendar)
    return calendar.to_ical()


@functools.cache
def timezone_component(tzid):
    """The VTIMEZONE of ``tzid`` (1970–2038, as icalendar makes it), built once per build
    process: making it is most of the cost of a small calendar file."""
    from icalendar import Timezone  # noqa: PLC0415 - see build_calendar

    return Timezone.from_tzid(tzid)


def add_timezones(calendar):
    """Calendar.add_missing_timezones(), with each VTIMEZONE built only once."""
    position = len(calendar.timezones)
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.subcomponents.insert(position, copy.deepcopy(timezone_component(tzid)))
        position += 1
