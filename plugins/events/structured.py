"""Structured data of an event page: schema.org ``Event`` (Google's required and
recommended fields), and the attendance mode it and the calendar share."""

import json

from markupsafe import Markup

from . import opendata

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
        offer = {"@type": "Offer", "url": event.registration,
                 "validThrough": event.deadline.isoformat()}
        if str(getattr(event, "fee", "")).strip().lower() in opendata.FREE:
            offer.update(price=0, priceCurrency="JPY")
        data["offers"] = offer
    # Inside <script>, "</" would end the element: escape "<" in the JSON text.
    return Markup(json.dumps(data, ensure_ascii=False, indent=2).replace("<", "\\u003c"))
