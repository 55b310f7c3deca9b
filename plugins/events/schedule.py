"""When an event happens: parsing, checking and showing its dates and times.

Pure functions, so that every rule (all-day ends, time zones, "upcoming")
is tested without building a site.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_time
from bilingual.i18n import N_, Message, formatted_day
from bilingual.rules import half_width

STATUSES = ("scheduled", "cancelled", "postponed", "rescheduled", "moved-online")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{2}:\d{2}(?::\d{2})?)"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?"
)
EXAMPLE = Message(N_("write it as 2026-12-10 14:00 (or 2026-12-10 for an all-day event)"))
URL_FIX = Message(N_("write the full address, starting with https://"))


class Problem(ValueError):
    """A field with a value that cannot be used, what is wrong and the fix (messages
    for staff); ``str()`` is "Field: message — fix"."""

    def __init__(self, field, message, fix):
        self.field, self.message, self.fix = field, message, fix
        super().__init__(f"{field}: {message} — {fix}")


def parse_moment(value, tz):
    """A date (all-day) or an aware datetime from a metadata value.

    Times without an offset are in ``tz``; ``2026-12-10 14:00+01:00`` keeps
    its own offset.
    """
    text = str(value).strip()
    if _DATE_RE.fullmatch(text):
        return datetime.date.fromisoformat(text)
    match = _DATETIME_RE.fullmatch(text)
    if not match:
        raise ValueError(text)
    offset = match["offset"] or ""
    if offset and offset != "Z" and ":" not in offset:
        offset = offset[:3] + ":" + offset[3:]
    moment = datetime.datetime.fromisoformat(f"{match['date']}T{match['time']}{offset}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def is_url(value):
    parts = urlsplit(str(value).strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@dataclass(frozen=True)
class Schedule:
    """Start and end of an event; all-day events have dates, others aware datetimes."""

    start: object
    end: object  # None, or the last day (all-day, inclusive) / end time
    tz: datetime.tzinfo

    @property
    def all_day(self):
        return not isinstance(self.start, datetime.datetime)

    @property
    def last_day(self):
        """The last day of an all-day event (inclusive)."""
        return self.end or self.start

    @property
    def end_exclusive_date(self):
        """DTEND of an all-day event: the day after the last day (RFC 5545)."""
        return self.last_day + datetime.timedelta(days=1)

    def starts_at(self):
        """The start as an aware datetime (midnight of the first day if all-day)."""
        if self.all_day:
            return datetime.datetime.combine(self.start, datetime.time(), self.tz)
        return self.start

    def over_at(self):
        """The moment the event is over: its end, or midnight after its last day."""
        if self.all_day:
            return datetime.datetime.combine(self.end_exclusive_date, datetime.time(), self.tz)
        return self.end or self.start

    def days(self):
        """Every calendar day the event covers, in its own time zone."""
        if self.all_day:
            first, last = self.start, self.last_day
        else:
            first = self.start.astimezone(self.tz).date()
            last = (self.end or self.start).astimezone(self.tz).date()
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def event_timezone(metadata, default):
    """The zone of an event: its ``Timezone:`` or the site default."""
    name = metadata.get("timezone")
    if not name:
        return ZoneInfo(default)
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Problem(
            "Timezone", Message(N_("'%(value)s' is not a time zone"), value=name),
            Message(N_("write a name such as Asia/Tokyo")),
        ) from error


def check_event(metadata, default_timezone):
    """Check an event's metadata; returns ``(schedule or None, [Problem])``.

    Every problem is reported, not only the first.
    """
    problems = []
    try:
        tz = event_timezone(metadata, default_timezone)
    except Problem as problem:
        problems.append(problem)
        tz = ZoneInfo(default_timezone)
    schedule = check_span(metadata, tz, problems)
    problems += check_details(metadata, tz)
    return schedule, problems


def not_a_moment(field, value, tz, example=EXAMPLE):
    """The problem of a Starts/Ends/deadline that is no date and time, with the value
    meant when it was typed in full-width characters."""
    meant = half_width(value)
    if meant != value:
        try:
            parse_moment(meant, tz)
            example = Message(N_("it is typed in full-width characters: write %(value)s"),
                              value=meant)
        except ValueError:
            pass
    return Problem(field, Message(N_("'%(value)s' is not a date and time"), value=value),
                   example)


def check_span(metadata, tz, problems):
    """The event's :class:`Schedule` from Starts and Ends (None if Starts is unusable);
    adds what is wrong with them to ``problems``."""
    schedule = None
    starts = metadata.get("starts")
    start = end = None
    if not starts:
        problems.append(Problem("Starts", Message(N_("missing")), EXAMPLE))
    else:
        try:
            start = parse_moment(starts, tz)
        except ValueError:
            problems.append(not_a_moment("Starts", starts, tz))
    ends = metadata.get("ends")
    if ends:
        try:
            end = parse_moment(ends, tz)
        except ValueError:
            problems.append(not_a_moment("Ends", ends, tz))
    if start is not None and end is not None:
        if isinstance(start, datetime.datetime) != isinstance(end, datetime.datetime):
            problems.append(
                Problem(
                    "Ends",
                    Message(N_("'%(ends)s' and Starts '%(starts)s' mix a date and a time"),
                            ends=ends, starts=starts),
                    Message(N_("give both a time, or write both as dates for an all-day "
                               "event")),
                )
            )
            end = None
        elif end < start:
            problems.append(
                Problem("Ends", Message(N_("'%(ends)s' is before Starts '%(starts)s'"),
                                        ends=ends, starts=starts),
                        Message(N_("check both dates")))
            )
    if start is not None:
        schedule = Schedule(start, end, tz)
    return schedule


def check_details(metadata, tz):
    """Problems of the event's other fields: status, addresses, deadline, numbers."""
    problems = []
    status = str(metadata.get("event-status", "scheduled")).strip().lower()
    if status not in STATUSES:
        problems.append(
            Problem(
                "Event-Status",
                Message(N_("'%(value)s' is not a status"), value=metadata.get("event-status")),
                Message(N_("write one of %(choices)s"), choices=", ".join(STATUSES)),
            )
        )
    for field in ("registration", "online"):
        value = metadata.get(field)
        if value and not is_url(value):
            problems.append(
                Problem(field.title(),
                        Message(N_("'%(value)s' is not a web address"), value=value), URL_FIX)
            )
    deadline = metadata.get("registration-deadline")
    if deadline:
        try:
            parse_moment(deadline, tz)
        except ValueError:
            problems.append(not_a_moment("Registration-Deadline", deadline, tz,
                                         Message(N_("write it as 2026-12-03 17:00"))))
    for field in ("capacity", "sequence"):
        value = metadata.get(field)
        if value not in (None, "") and not str(value).strip().isdigit():
            problems.append(
                Problem(field.title(),
                        Message(N_("'%(value)s' is not a whole number"), value=value),
                        Message(N_("write digits only, e.g. 100")))
            )
    return problems


def deadline_of(metadata, schedule):
    """When registration closes: Registration-Deadline, else the start."""
    value = metadata.get("registration-deadline")
    if value:
        moment = parse_moment(value, schedule.tz)
        if not isinstance(moment, datetime.datetime):
            # A date alone: registration is open until the end of that day.
            moment = datetime.datetime.combine(
                moment + datetime.timedelta(days=1), datetime.time(), schedule.tz
            )
        return moment
    return schedule.starts_at()


# -- showing dates and times -------------------------------------------------

def _day(value, language, short=False):
    pattern = language.short_day_format if short else language.day_format
    return formatted_day(value, pattern, language.locale)


def _time(value, language):
    return format_time(value, "HH:mm", locale=language.locale)


def _zone_note(moment, language, home_zone):
    """A zone name where a reader could mistake the time: always, except for
    readers who take the site's own zone for granted (``names_home_zone``)."""
    name = moment.tzname() or ""
    if not language.names_home_zone and moment.utcoffset() == moment.astimezone(
        home_zone
    ).utcoffset():
        return ""
    return f" ({name})" if name else ""


def format_schedule(schedule, language, home_zone):
    """Date and time of an event as readers of ``language`` (a record) write them."""
    if schedule.all_day:
        if schedule.end is None or schedule.end == schedule.start:
            return _day(schedule.start, language)
        same_year = schedule.start.year == schedule.end.year
        return (
            _day(schedule.start, language)
            + language.range_separator
            + _day(schedule.end, language, short=same_year and language.short_end_day)
        )
    start = schedule.start.astimezone(schedule.tz) if schedule.start.tzinfo else schedule.start
    zone = _zone_note(schedule.start, language, home_zone)
    separator = language.date_time_separator
    if schedule.end is None:
        return f"{_day(start, language)}{separator}{_time(start, language)}{zone}"
    end = schedule.end.astimezone(start.tzinfo)
    if end.date() == start.date():
        return (
            f"{_day(start, language)}{separator}{_time(start, language)}"
            f"{language.time_separator}{_time(end, language)}{zone}"
        )
    return (
        f"{_day(start, language)}{separator}{_time(start, language)}{language.range_separator}"
        f"{_day(end, language)}{separator}{_time(end, language)}{zone}"
    )


def format_moment(moment, language, home_zone):
    """A single date and time (e.g. a registration deadline)."""
    return (f"{_day(moment, language)}{language.date_time_separator}"
            f"{_time(moment, language)}{_zone_note(moment, language, home_zone)}")


# -- the month grid ------------------------------------------------------------


@dataclass
class Cell:
    day: datetime.date
    in_month: bool
    today: bool
    events: list


def month_grid(year, month, events_by_day, today):
    """Weeks (Sunday first, as Japanese calendars are) of one month.

    ``events_by_day`` maps a date to the events on it.
    """
    weeks = calendar.Calendar(firstweekday=calendar.SUNDAY).monthdatescalendar(year, month)
    return [
        [
            Cell(day, day.month == month, day == today,
                 events_by_day.get(day, []) if day.month == month else [])
            for day in week
        ]
        for week in weeks
    ]


def month_key(day):
    return (day.year, day.month)
