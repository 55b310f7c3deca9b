"""The generated sites: a snapshot of the project and N generated bilingual news pairs.

``snapshot_project`` copies what a build needs once, at the start;
``generate_site`` writes one temporary site from it: the real pages,
projects, reports and events, the generated ja/en news, projects and events
(their text comes from ``corpus_text.py``), plain Pelican's settings and a
script that builds the site with ours (for profiling).
"""

import compileall
import datetime
import hashlib
import random
import runpy
import shutil
import statistics
import textwrap
from pathlib import Path

from common import BUILD_EPOCH, ROOT
from corpus_text import (
    EN_OBJECTS,
    EN_QUALIFIERS,
    EVENT_KINDS,
    EVENT_THEMES,
    JA_OBJECTS,
    JA_QUALIFIERS,
    JA_VERBS,
    PLACES,
    PROJECT_SERVICES,
    TITLE_PATTERNS,
    TOPICS,
    UNIVERSITIES,
    VENUES,
    article_body,
    en_sentence,
    ja_sentence,
)
from peers import PLAIN_SETTINGS

NOW = datetime.datetime.fromtimestamp(int(BUILD_EPOCH), tz=datetime.UTC)
JST = datetime.timezone(datetime.timedelta(hours=9))
SEED = 20221017
REAL_FOLDERS = ("pages", "projects", "reports", "events")
# The sample's photos, which its projects and report show.
REAL_MEDIA = ("images",)
REAL_PROJECTS = ("boshimo", "mysos", "kids-public")
PROJECTS_PER_PAIRS = 100  # one generated project pair per 100 article pairs
EVENTS_PER_PAIRS = 50  # one generated event pair per 50 article pairs
PROJECT_FILES = ("pelicanconf.py", "tasks.py")
PROJECT_FOLDERS = ("theme", "plugins", "deploy")  # (tasks.py imports deploy/)


def metadata_block(fields):
    return "\n".join(f"{name}: {value}" for name, value in fields if value not in (None, ""))


def fmt_moment(moment):
    return moment.strftime("%Y-%m-%d %H:%M")


def news_tags(site):
    settings = runpy.run_path(str(Path(site) / "pelicanconf.py"))
    return list(settings["NEWS_TAGS"]), list(settings["NEWS_CATEGORIES"])


def plan_articles(pairs, project_slugs, site):
    """Metadata of every pair, decided once for both languages."""
    tags, categories = news_tags(site)
    rng = random.Random(SEED)
    first = datetime.datetime(2015, 4, 1, 9, 0, tzinfo=JST)
    last = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=JST)
    step = (last - first) / max(pairs, 1)
    articles = []
    for index in range(pairs):
        topic = rng.randrange(len(TOPICS))
        pattern = rng.randrange(len(TITLE_PATTERNS))
        place = rng.choice(PLACES)
        date = first + step * index + datetime.timedelta(hours=rng.randint(0, 9))
        date = date.replace(minute=0, second=0, microsecond=0)
        modified = None
        if rng.random() < 0.1:
            modified = date + datetime.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8))
            modified = min(modified, NOW.astimezone(JST) - datetime.timedelta(hours=1))
        projects = rng.sample(project_slugs, rng.randint(1, 2)) if rng.random() < 0.3 else []
        articles.append({
            "index": index,
            "slug": f"{TOPICS[topic][2]}-{TITLE_PATTERNS[pattern][2]}-{index + 1:05d}",
            "topic": topic,
            "pattern": pattern,
            "place": place,
            "date": date,
            "modified": modified,
            "category": rng.choice(categories),
            "tags": rng.sample(tags, rng.randint(1, 3)),
            "projects": projects,
            "seed": rng.getrandbits(32),
        })
    for article in articles:
        others = [i for i in (article["index"] - 7, article["index"] + 13, 3) if 0 <= i < pairs
                  and i != article["index"]]
        article["link"] = random.Random(article["seed"]).choice(others) if others else None
    return articles


def article_title(article, lang):
    topic = TOPICS[article["topic"]]
    ja_pattern, en_pattern, _slug = TITLE_PATTERNS[article["pattern"]]
    if lang == "ja":
        return ja_pattern.format(t=topic[0]) + f"（{article['place'][0]}）"
    text = en_pattern.format(t=topic[1], T=topic[1][0].upper() + topic[1][1:])
    return f"{text} ({article['place'][1]})"


def article_summary(article, lang):
    rng = random.Random(f"{article['seed']}-summary-{lang}")
    if lang == "ja":
        return f"{article['place'][0]}における{TOPICS[article['topic']][0]}の取組について、" + (
            f"{rng.choice(JA_QUALIFIERS)}進めている内容をご紹介します。")
    return (f"How {TOPICS[article['topic']][1]} is progressing in {article['place'][1]}: "
            f"{rng.choice(EN_OBJECTS)} {rng.choice(EN_QUALIFIERS)}.")


def write_articles(folder, articles):
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        target = articles[article["link"]] if article["link"] is not None else article
        for lang in ("ja", "en"):
            root = "" if lang == "ja" else "en/"
            fields = [
                ("Title", article_title(article, lang)),
                ("Slug", article["slug"]),
                ("Lang", lang),
                ("Date", fmt_moment(article["date"])),
                ("Modified", fmt_moment(article["modified"]) if article["modified"] else None),
                ("Category", article["category"]),
                ("Tags", ", ".join(article["tags"])),
                ("Projects", ", ".join(article["projects"])),
                ("Summary", article_summary(article, lang)),
            ]
            body = article_body(article["seed"], lang, article_title(target, lang),
                                f"/{root}news/{target['slug']}/")
            text = metadata_block(fields) + "\n\n" + body
            (folder / f"{article['slug']}.{lang}.md").write_text(text, encoding="utf-8")


def write_projects(folder, count):
    """Generated project profiles, in the format of content/projects/*.md."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED + 1)
    slugs = []
    for index in range(count):
        service = PROJECT_SERVICES[index % len(PROJECT_SERVICES)]
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        slug = f"pj-{index + 1:03d}-{topic[2]}"
        slugs.append(slug)
        university = rng.choice(UNIVERSITIES)
        year = rng.randint(2019, 2026)
        date = datetime.datetime(year, rng.randint(5, 11), rng.randint(1, 28), 10, 0, tzinfo=JST)
        track = rng.choice(("business-promotion", "collaboration"))
        participants = rng.random() < 0.6
        website = f"https://example.jp/projects/{slug}" if rng.random() < 0.5 else None
        seed = rng.getrandbits(32)
        for lang in ("ja", "en"):
            body_rng = random.Random(f"{seed}-{lang}")
            if lang == "ja":
                fields = [
                    ("Title", f"{place[0]}における{topic[0]}プロジェクト（{service[0]}）"),
                    ("Service", f"アプリ「{service[0]}」"),
                    ("Lead", f"{service[0]}株式会社"),
                    ("Participants", f"{place[0]} ; {university[0]}" if participants else None),
                ]
                summary = (f"アプリ「{service[0]}」を活用し、"
                           f"{place[0]}で{topic[0]}に取り組むプロジェクトです。")
                sections = [("課題", 3), ("取り組み", 2), ("期待される効果", 3)]
                bullets = [f"{body_rng.choice(JA_QUALIFIERS)}、{body_rng.choice(JA_OBJECTS)}"
                           f"{body_rng.choice(JA_VERBS)}" for _ in range(3)]
                sentence, joiner = ja_sentence, ""
            else:
                fields = [
                    ("Title", f"{topic[1][0].upper() + topic[1][1:]} project in {place[1]} "
                              f"({service[1]})"),
                    ("Service", f"{service[1]} app"),
                    ("Lead", f"{service[1]} Inc."),
                    ("Participants", f"City of {place[1]} ; {university[1]}" if participants
                     else None),
                ]
                summary = (f"This project uses the {service[1]} app to work on {topic[1]} "
                           f"in {place[1]}.")
                sections = [("The challenge", 3), ("What the project does", 2),
                            ("Expected benefits", 3)]
                bullets = [f"{body_rng.choice(EN_OBJECTS).capitalize()} "
                           f"{body_rng.choice(EN_QUALIFIERS)}." for _ in range(3)]
                sentence, joiner = en_sentence, " "
            fields = [fields[0], ("Slug", slug), ("Lang", lang), ("Date", fmt_moment(date)),
                      *fields[1:], ("Track", track), ("Fiscal-Year", str(year)),
                      ("Website", website), ("Summary", summary)]
            parts = []
            for position, (heading, sentences) in enumerate(sections):
                parts.append(f"## {heading}")
                parts.append(joiner.join(sentence(body_rng) for _ in range(sentences)))
                if position == 1:
                    parts.append("\n".join(f"- {bullet}" for bullet in bullets))
            text = metadata_block(fields) + "\n\n" + "\n\n".join(parts) + "\n"
            (folder / f"{slug}.{lang}.md").write_text(text, encoding="utf-8")
    return slugs


def write_events(folder, count):
    """Generated events, in the format of content/events/*.md, past and upcoming."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED + 2)
    first = datetime.datetime(2019, 1, 15, tzinfo=JST)
    last = datetime.datetime(2027, 6, 30, tzinfo=JST)
    step = (last - first) / max(count, 1)
    announce_limit = NOW.astimezone(JST) - datetime.timedelta(days=1)
    for index in range(count):
        kind = rng.choice(EVENT_KINDS)
        theme = rng.choice(EVENT_THEMES)
        number = index + 1
        slug = f"ev-{number:03d}-{kind[3]}"
        day = (first + step * index).date() + datetime.timedelta(days=rng.randint(0, 5))
        all_day = rng.random() < 0.2
        if all_day:
            starts = day.isoformat()
            ends = (day + datetime.timedelta(days=rng.randint(0, 1))).isoformat()
            start_moment = datetime.datetime.combine(day, datetime.time(9), JST)
        else:
            hour = rng.choice((10, 14, 18))
            start_moment = datetime.datetime.combine(day, datetime.time(hour), JST)
            starts = fmt_moment(start_moment)
            ends = fmt_moment(start_moment + datetime.timedelta(minutes=rng.choice((60, 90, 150))))
        announced = min(start_moment - datetime.timedelta(days=rng.randint(30, 60)), announce_limit)
        announced = announced.replace(hour=10, minute=0)
        deadline = start_moment - datetime.timedelta(days=3)
        deadline = fmt_moment(deadline.replace(hour=17, minute=0))
        roll = rng.random()
        status = ("scheduled" if roll < 0.85 else "cancelled" if roll < 0.9
                  else "postponed" if roll < 0.95 else "moved-online")
        mode = rng.random()
        venue = rng.choice(VENUES) if mode < 0.75 or status == "moved-online" else None
        online = (f"https://example.jp/online/{slug}"
                  if mode >= 0.6 or status == "moved-online" else None)
        modified = None
        if status != "scheduled":
            modified = min(announced + datetime.timedelta(days=10), announce_limit)
        projects = rng.sample(REAL_PROJECTS, rng.randint(0, 2))
        capacity = str(rng.choice((30, 60, 100, 200, 300)))
        seed = rng.getrandbits(32)
        for lang in ("ja", "en"):
            body_rng = random.Random(f"{seed}-{lang}")
            ja = lang == "ja"
            title = (f"{theme[0]}{kind[0]}（第{number}回）" if ja
                     else f"{theme[2]} {kind[2]} No. {number}")
            fields = [
                ("Title", title),
                ("Slug", slug),
                ("Lang", lang),
                ("Title-Kana", f"{theme[1]}{kind[1]}（ダイ{number}カイ）" if ja else None),
                ("Date", fmt_moment(announced)),
                ("Modified", fmt_moment(modified) if modified else None),
                ("Starts", starts),
                ("Ends", ends),
                ("Venue", (venue[0] if ja else venue[2]) if venue else None),
                ("Address", (venue[1] if ja else venue[3]) if venue else None),
                ("Online", online),
                ("Registration", f"https://example.jp/events/{slug}/register"),
                ("Registration-Deadline", deadline),
                ("Capacity", capacity),
                ("Fee", "無料" if ja else "Free"),
                ("Organizer", "東京都 デジタルサービス局" if ja
                 else "Tokyo Metropolitan Government, Bureau of Digital Services"),
                ("Event-Status", status),
                ("Projects", ", ".join(projects)),
                ("Summary", f"{theme[0]}をテーマに、"
                 f"自治体・事業者・研究者が情報を交換する{kind[0]}です。"
                 if ja else f"A {kind[2].lower()} where local governments, companies and "
                 f"researchers exchange ideas on {theme[2].lower()}."),
            ]
            sentence, joiner = (ja_sentence, "") if ja else (en_sentence, " ")
            agenda = ["プログラム（予定）", "こんな方におすすめです"] if ja else [
                "Agenda (provisional)", "Who should attend"]
            steps = ([f"{body_rng.choice(JA_OBJECTS).removesuffix('を')}の紹介"
                      for _ in range(3)] if ja
                     else [f"Introduction to {body_rng.choice(EN_OBJECTS)}" for _ in range(3)])
            parts = [
                joiner.join(sentence(body_rng) for _ in range(2)),
                f"## {agenda[0]}",
                "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1)),
                f"## {agenda[1]}",
                joiner.join(sentence(body_rng) for _ in range(2)),
            ]
            text = metadata_block(fields) + "\n\n" + "\n\n".join(parts) + "\n"
            (folder / f"{slug}.{lang}.md").write_text(text, encoding="utf-8")


def snapshot_project(dest):
    """Copy what a build needs (settings, tasks.py, theme, plugins, deploy) once, at the start.

    Every size is then built from the same copy, even if the project changes
    while the benchmark runs. Returns {"plugins": [...], "digest": "..."}.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, dest / name)
    for folder in PROJECT_FOLDERS:
        shutil.copytree(ROOT / folder, dest / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    digest = hashlib.sha256()
    for path in sorted(p for p in dest.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(dest)).encode() + b"\0" + path.read_bytes())
    settings = runpy.run_path(str(dest / "pelicanconf.py"))
    return {"plugins": list(settings.get("PLUGINS") or []), "digest": digest.hexdigest()[:12]}


def generate_site(site, pairs, project):
    """A temporary site: the project snapshot plus ``pairs`` generated article pairs.

    Returns a dict describing what was generated.
    """
    site, project = Path(site), Path(project)
    site.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(project / name, site / name)
    for folder in PROJECT_FOLDERS:
        shutil.copytree(project / folder, site / folder)
    content = site / "content"
    for folder in REAL_FOLDERS + REAL_MEDIA:
        shutil.copytree(ROOT / "content" / folder, content / folder)
    project_count = max(1, pairs // PROJECTS_PER_PAIRS)
    event_count = max(1, pairs // EVENTS_PER_PAIRS)
    project_slugs = write_projects(content / "projects", project_count)
    write_events(content / "events", event_count)
    articles = plan_articles(pairs, list(REAL_PROJECTS) + project_slugs, site)
    write_articles(content / "news", articles)
    (site / "plainconf.py").write_text(PLAIN_SETTINGS, encoding="utf-8")
    # Byte-compile the copied plugins once, so that no measured build pays for it.
    compileall.compile_dir(str(site / "plugins"), quiet=1)
    compileall.compile_file(str(site / "tasks.py"), quiet=1)
    (site / "build_ours.py").write_text(textwrap.dedent(f'''\
        """Build the generated site with our configuration (for profiling)."""
        import sys
        sys.path.insert(0, {str(site)!r})
        import tasks
        tasks._setup_logging()
        tasks.build_site("pelicanconf.py", sys.argv[1] if len(sys.argv) > 1 else "out", {{}})
        '''), encoding="utf-8")
    files = {folder: len(list((content / folder).glob("*.md"))) for folder in
             ("news", *REAL_FOLDERS)}
    sample = articles[:50]
    words = [len(body_of(content / "news" / f"{a['slug']}.en.md").split()) for a in sample]
    chars = [len("".join(body_of(content / "news" / f"{a['slug']}.ja.md").split()))
             for a in sample]
    return {
        "pairs": pairs,
        "files": files,
        "documents": sum(files.values()),
        "generated_projects": project_count,
        "generated_events": event_count,
        "en_words": statistics.mean(words) if words else 0,
        "ja_chars": statistics.mean(chars) if chars else 0,
        "articles": articles,
    }


def body_of(path):
    return path.read_text(encoding="utf-8").split("\n\n", 1)[1]

