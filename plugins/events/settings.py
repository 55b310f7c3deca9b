"""Settings of the events plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # Time zone of Starts/Ends/Registration-Deadline written without an offset
    # (an event may override it with "Timezone:"); None means TIMEZONE.
    "EVENTS_TIMEZONE": None,
    # Relative to the language root ("" or "en/").
    "EVENTS_INDEX_URL": "events/",
    "EVENTS_MONTH_URL": "events/{year:04d}/{month:02d}/",
    "EVENTS_CALENDAR_URL": "events/calendar.ics",
    "EVENT_ICS_URL": "events/{slug}/event.ics",
    # The open-data CSV (one file, both languages), relative to the site root.
    "EVENTS_CSV_URL": "events/events.csv",
    # How many months after they end past events stay in the calendar
    # subscription; None: for good. A calendar app deletes from subscribers'
    # calendars every event the subscription no longer holds, and a
    # program's own events are part of its record.
    "EVENTS_CALENDAR_PAST_MONTHS": None,
    # Refresh hint for calendar apps (RFC 7986 REFRESH-INTERVAL and Outlook's
    # X-PUBLISHED-TTL), as an iCalendar duration.
    "EVENTS_CALENDAR_REFRESH": "PT12H",
    # The domain in every event UID (event-<slug>-<lang>@<domain>). Never
    # change it after publishing: calendars would duplicate every event.
    "EVENTS_UID_DOMAIN": "wellness-sol-pj.metro.tokyo.lg.jp",
    # PRODID of the calendars.
    "EVENTS_PRODID": "-//Tokyo Metropolitan Government//Wellness Program Site//EN",
    # Calendar names per language (X-WR-CALNAME / NAME); None means
    # "<site name>: events" in the language.
    "EVENTS_CALENDAR_NAMES": {},
    # How many upcoming events the home page shows.
    "EVENTS_HOME_COUNT": 3,
    # Length given to a timed event without Ends, in calendar files only
    # (pages show the start time alone).
    "EVENTS_DEFAULT_DURATION_MINUTES": 60,
    # Web addresses of organizers, by the name written in Organizer: (or
    # AUTHOR for events without one), for the Event structured data: an
    # absolute URL, or a path relative to the event's language root ("" is
    # its home page). An organizer not listed gets no address.
    "EVENTS_ORGANIZER_URLS": {},
    # The image of events in structured data, relative to the site root;
    # None: the site's link-preview image (SEO_DEFAULT_IMAGE).
    "EVENTS_IMAGE": None,
    # Open data: the publisher's local government code and prefecture name.
    "EVENTS_OPENDATA_AUTHORITY_CODE": "130001",
    "EVENTS_OPENDATA_PREFECTURE": "東京都",
    # Which language fills the dataset's Japanese columns (イベント名, 説明, ...)
    # and which its English title (イベント名_英語). An event missing in the
    # first takes its text from the site's other languages, in order.
    "EVENTS_OPENDATA_LANGUAGES": {"main": "ja", "english": "en"},
}


def apply_defaults(settings):
    """Add every missing events setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
