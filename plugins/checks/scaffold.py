"""``invoke new``: the ja and en files of a new item, with every field of its type.

Optional fields are left empty (an empty field means "not set"); the body
holds a short guide in the file's language. The new item is a draft.
"""

import datetime
import os
import re
from zoneinfo import ZoneInfo

from .schema import FIELDS, SCAFFOLD_TYPES

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

GUIDE = {
    "ja": """（ここに本文を書きます。この案内は消してください。）

## 書き方の案内

- 見出しは「##」から始めます。タイトルがページの見出しになります。
- 空欄の項目は使われません。当てはまる項目だけ書き入れてください。
- 日付は 2023-04-01 10:00 のように書きます（日本時間）。
- 英語版（{other}）も同じ Slug で用意します。
- 確認：`invoke serve --drafts` で下書きを含めてプレビューし、`invoke check` で誤りを確かめます。
- 公開するときは「Status: draft」の行を消します。
{extra}""",
    "en": """(Write the body here and delete this guide.)

## How to fill in this file

- Start headings with "##"; the title is the page's heading.
- Empty fields are not used: fill in only those that apply.
- Write dates as 2023-04-01 10:00 (Japan time).
- The Japanese version ({other}) has the same Slug.
- Check: `invoke serve --drafts` previews drafts; `invoke check` lists mistakes.
- To publish, delete the line "Status: draft".
{extra}""",
}

EXTRA = {
    "news": {"ja": "- Category は announcements か column です。Tags と Projects はカンマ区切りです。\n",
             "en": "- Category is announcements or column. Tags and Projects are comma-separated.\n"},
    "reports": {"ja": "- Event には報告するイベントの Slug を書きます。\n",
                "en": "- Event is the Slug of the event this reports on.\n"},
    "projects": {"ja": "- 団体が複数あるときは「 ; 」で区切ります（例：A株式会社 ; B市）。\n",
                 "en": "- Separate several organisations with \" ; \" (e.g. A Inc. ; B City).\n"},
    "events": {"ja": "- Starts/Ends は 2026-12-10 14:00 の形、終日なら 2026-12-10 の形です。\n"
                     "- Event-Status は scheduled, cancelled, postponed, rescheduled, moved-online のいずれかです。\n",
               "en": "- Starts/Ends as 2026-12-10 14:00, or 2026-12-10 for all-day events.\n"
                     "- Event-Status is scheduled, cancelled, postponed, rescheduled or moved-online.\n"},
    "pages": {"ja": "", "en": ""},
}


def fiscal_year(day):
    """Japanese fiscal years start in April."""
    return day.year if day.month >= 4 else day.year - 1


def defaults(content_type, lang, title, slug, now):
    values = {
        "Title": title,
        "Slug": slug,
        "Lang": lang,
        "Date": now.strftime("%Y-%m-%d %H:%M"),
        "Status": "draft",
    }
    if content_type == "news":
        values["Category"] = "announcements"
    if content_type == "projects":
        values["Track"] = "business-promotion"
        values["Fiscal-Year"] = str(fiscal_year(now.date()))
    if content_type == "events":
        values["Event-Status"] = "scheduled"
    return values


def render(content_type, lang, title, slug, now, other_file):
    spec = FIELDS[content_type]
    values = defaults(content_type, lang, title, slug, now)
    names = list(spec["required"]) + [n for n in spec["optional"] if n not in spec["required"]]
    # Title, Slug, Lang, Date and Status first, as in every sample file.
    first = [n for n in ("Title", "Slug", "Lang", "Date", "Status") if n in names]
    ordered = first + [n for n in names if n not in first and n not in ("Author", "Authors")]
    lines = [f"{name}: {values.get(name, '')}".rstrip() for name in ordered]
    guide = GUIDE[lang].format(other=other_file, extra=EXTRA[content_type][lang])
    return "\n".join(lines) + "\n\n" + guide


def existing_slugs(folder):
    slugs = set()
    if not os.path.isdir(folder):
        return slugs
    for name in os.listdir(folder):
        if not name.endswith(".md"):
            continue
        slugs.add(name.split(".")[0])
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    break
                if line.lower().startswith("slug:"):
                    slugs.add(line.split(":", 1)[1].strip())
    return slugs


def scaffold(content_root, kind, slug, title, title_en=None, now=None, timezone="Asia/Tokyo",
             folders=None):
    """Write ``<slug>.ja.md`` and ``<slug>.en.md``; returns their paths.

    Raises ValueError with a message for staff when the type or slug is wrong
    or the slug is taken.
    """
    if kind not in SCAFFOLD_TYPES:
        raise ValueError(f"unknown type '{kind}': use one of {', '.join(SCAFFOLD_TYPES)}")
    if not SLUG_RE.fullmatch(slug or ""):
        raise ValueError(
            f"'{slug}' is not a valid slug: use lowercase ASCII letters, digits and hyphens"
        )
    content_type = SCAFFOLD_TYPES[kind]
    folder = os.path.join(content_root, (folders or {}).get(content_type, content_type))
    if slug in existing_slugs(folder):
        raise ValueError(f"the slug '{slug}' is already used in {folder}: choose another")
    now = (now or datetime.datetime.now(datetime.UTC)).astimezone(ZoneInfo(timezone))
    os.makedirs(folder, exist_ok=True)
    paths = {lang: os.path.join(folder, f"{slug}.{lang}.md") for lang in ("ja", "en")}
    titles = {"ja": title, "en": title_en or title}
    for lang, path in paths.items():
        other = os.path.basename(paths["en" if lang == "ja" else "ja"])
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(render(content_type, lang, titles[lang], slug, now, other))
    return list(paths.values())
