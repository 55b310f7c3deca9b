"""The metadata fields of each content type: one table for checks and scaffolding.

``required`` fields must be present and non-empty; ``optional`` ones may be
left out. Anything else is reported as an unknown field (a typo such as
``Catgory:`` would otherwise be ignored silently). Names are as staff write
them; matching is case-insensitive.
"""

COMMON = ("Title", "Slug", "Lang")
PUBLISHING = ("Status", "Modified", "Summary")

FIELDS = {
    "news": {
        "required": COMMON + ("Date", "Category"),
        "optional": PUBLISHING + ("Tags", "Projects", "Author", "Authors"),
    },
    "reports": {
        "required": COMMON + ("Date", "Event"),
        "optional": PUBLISHING + ("Tags", "Projects", "Author", "Authors"),
    },
    "projects": {
        "required": COMMON + ("Lead", "Track", "Fiscal-Year"),
        "optional": PUBLISHING + ("Date", "Service", "Participants", "Website"),
    },
    "pages": {
        "required": COMMON,
        "optional": PUBLISHING + ("Date",),
    },
    "events": {
        "required": COMMON + ("Starts",),
        "optional": PUBLISHING
        + (
            "Date", "Ends", "Timezone", "Venue", "Address", "Online", "Registration",
            "Registration-Deadline", "Capacity", "Fee", "Organizer", "Event-Status",
            "Projects", "Title-Kana", "Sequence",
        ),
    },
}

# Fields holding a date and time (checked strictly: 2023-04-01 10:00).
DATE_FIELDS = ("Date", "Modified")
STATUSES = ("published", "draft", "hidden")
# What `invoke new` names each type; the folder is the content type.
SCAFFOLD_TYPES = {
    "article": "news",
    "report": "reports",
    "project": "projects",
    "event": "events",
    "page": "pages",
}


def known_fields(content_type):
    spec = FIELDS[content_type]
    return spec["required"] + spec["optional"]
