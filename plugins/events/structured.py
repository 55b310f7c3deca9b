"""Structured data of an event page: schema.org ``Event`` (Google's required and
recommended fields), and the attendance mode it and the calendar share."""


from bilingual.site import script_json

from . import opendata
from .address import postal_address

SCHEMA_STATUS = {
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
    "rescheduled": "EventRescheduled",
    "moved-online": "EventMovedOnline",
}


def attendance_mode(event):
    in_person = bool(getattr(event, "venue", "")) and event.event_status != "moved-online"
    online = bool(getattr(event, "online", "")) or event.event_status == "moved-online"
    if in_person and online:
        return "mixed"
    return "online" if online else "offline"


def offer(event):
    """The registration Offer, or None when there is nothing to register for.

    Only while the event is still to come and neither cancelled nor
    postponed (as its page, which shows the deadline only then): InStock
    while registration is open (from the announcement, ``Date:``, until the
    deadline), SoldOut once the deadline has passed — places can no longer
    be had, which an absent Offer would not say.
    """
    if not (getattr(event, "registration", "") and event.deadline_shown):
        return None
    availability = "InStock" if event.registration_open else "SoldOut"
    data = {"@type": "Offer", "url": event.registration,
            "availability": f"https://schema.org/{availability}",
            "validThrough": event.deadline.isoformat()}
    published = getattr(event, "date", None)
    if published is not None:
        data["validFrom"] = published.isoformat()
    if str(getattr(event, "fee", "")).strip().lower() in opendata.FREE:
        data.update(price=0, priceCurrency="JPY")
    return data


def organizer(event):
    data = {"@type": "Organization", "name": event.organizer_name}
    if event.organizer_url:
        data["url"] = event.organizer_url
    return data


def json_ld(event):
    """schema.org Event for the event page (Google's required and recommended fields)."""
    schedule_ = event.schedule
    mode = event.attendance_mode
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary_text,
        "url": event.absolute_url,
        "inLanguage": event.language.hreflang,
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
        "organizer": organizer(event),
    }
    if event.images:
        data["image"] = list(event.images)
    locations = []
    if mode in ("offline", "mixed"):
        locations.append({
            "@type": "Place",
            "name": event.venue,
            "address": postal_address(event.address or event.venue),
        })
    if mode in ("online", "mixed"):
        locations.append({"@type": "VirtualLocation", "url": event.online or event.absolute_url})
    data["location"] = locations[0] if len(locations) == 1 else locations
    registration = offer(event)
    if registration is not None:
        data["offers"] = registration
    return script_json(data)
