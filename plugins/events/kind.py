"""The events kind: its Content class, its record in the kind registry, its own rules.

Importing this module registers the kind (``register_kind``), so that tools
reading the registry without building (``invoke new``, ``invoke check``) see
it as soon as the plugin is loaded.
"""

import datetime

from bilingual.i18n import N_
from bilingual.site import (
    COMMON,
    LEAD_IMAGE,
    MODIFIED,
    Field,
    Kind,
    SiteContent,
    item_urls,
    join_url,
    register_kind,
)
from markupsafe import Markup
from pelican import contents

from . import schedule
from .structured import json_ld

# Statuses under which nobody can register for the event.
CLOSED_STATUSES = ("cancelled", "postponed")
SEQUENCE_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


class Event(SiteContent, contents.Page):
    """An event (``content/events``); URLs from EVENT_URL / EVENT_LANG_URL.

    Values that read the body (summary, feed text, structured data, calendar
    text) are computed when first used, at output time: the body's links
    resolve only after every generator has read its content.
    """

    content_type = "events"
    default_template = "event"

    @property
    def images(self):
        """The event's images for structured data: its lead photo (the 1200×630 crop and
        the photo at its widest), else the events' default image."""
        share = getattr(self, "share_image", None)
        if share and self.image_domain:
            return [join_url(self.image_domain, share["path"]),
                    join_url(self.image_domain, share["widest"])]
        return self.default_images

    @property
    def json_ld(self):
        return json_ld(self) if self.absolute_url_known else None

    @property
    def feed_html(self):
        when_where = self.when_display + (f" — {self.venue}" if self.venue else "")
        return Markup("<p>{}</p>").format(when_where) + Markup(self.content)

    @property
    def status_title(self):
        """The title as feeds and calendars show it: 【中止】… when cancelled or postponed."""
        return self.calendar_summary

    @property
    def calendar_description(self):
        # The calendar invites registration exactly while the page shows its
        # button: not for a cancelled or postponed event, nor once the
        # deadline or the event itself has passed. (So the text changes once,
        # when registration closes, and otherwise never with the build time:
        # a rebuild must not change the event for calendar apps.)
        lines = [self.summary_text, "", self.absolute_url]
        if self.registration_open:
            lines += ["", self.registration_line]
        return "\n".join(lines)


def validate(metadata, settings):
    """The event rules beyond field types: [(field, message, fix)] (the checks report them)."""
    timezone = settings.get("EVENTS_TIMEZONE") or settings.get("TIMEZONE") or "UTC"
    _schedule, found = schedule.check_event(metadata, timezone)
    return [(problem.field, problem.message, problem.fix) for problem in found]


EVENT_KIND = register_kind(Kind(
    name="events", content_class=Event, page_kind=N_("event"), variable="event",
    template="event", folder="events", urls=item_urls("events"),
    fields=COMMON + (
        Field("Date", "date"),
        Field("Status", "status", default="draft"),
        Field("Starts", "moment", required=True),
        MODIFIED, Field("Summary"),
        Field("Ends", "moment"), Field("Timezone", "timezone"),
        Field("Venue"), Field("Address"), Field("Online", "url"),
        Field("Registration", "url"), Field("Registration-Deadline", "moment"),
        Field("Capacity", "integer"), Field("Fee"), Field("Organizer"),
        Field("Event-Status", "choice", vocabulary=schedule.STATUSES,
                    default="scheduled"),
        Field("Projects", "references", reference="projects"),
        Field("Title-Kana"), Field("Sequence", "integer"),
    ) + LEAD_IMAGE,
    scaffold_name="event",
    guide=N_("- Starts/Ends as 2026-12-10 14:00, or 2026-12-10 for all-day events.\n"
             "- Event-Status is scheduled, cancelled, postponed, rescheduled or moved-online."),
    list_kind="events", list_name=N_("event calendar"), list_title=N_("Event calendar"),
    section="events",
    fallback=("events",), in_feeds=("events",), search_type="event", type_name=N_("Events"),
    json_ld_type="Event",
    read_by="events", validate=validate,
), plugin="events")


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
