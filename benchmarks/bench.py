"""Build-speed benchmark: our configuration against plain Pelican, as the archive grows.

Usage (from the project root, with the project's venv)::

    .venv/bin/python benchmarks/bench.py                      # N = 1000 and 4000 pairs, 3 runs
    .venv/bin/python benchmarks/bench.py --pairs 1000 --runs 5
    .venv/bin/python benchmarks/bench.py --quick              # N = 50, 1 run (smoke test)
    .venv/bin/python benchmarks/bench.py --generate-only /tmp/site --pairs 1000

For each N it writes a temporary copy of the site (pelicanconf.py, tasks.py,
theme/, plugins/ and a generated content/ with N bilingual news pairs plus
projects and events in proportion), then builds it, each build in a fresh
subprocess, with

- ``ours``: the project's own build path, ``tasks.build_site("pelicanconf.py", ...)``
  imported from the copy of tasks.py in the temporary site (all plugins, our theme);
- ``plain``: ``python -m pelican`` with no plugins, Pelican's default theme and
  default settings except PATH, OUTPUT_PATH, ARTICLE_PATHS=["news"],
  PAGE_PATHS=["pages"], TIMEZONE and DEFAULT_LANG.

Scenarios: a cold full build (fresh output, no cache); a warm rebuild with
Pelican's content cache (after a priming build); a rebuild after editing one
article's body (cache warm). ``ours`` and ``plain`` alternate within each run.
Wall time is ``time.perf_counter`` around the subprocess; peak memory is the
child's maximum resident set size from ``os.wait4`` (the same number GNU
``/usr/bin/time -v`` reports). See benchmarks/README.md.

Nothing is ever written into the project's own content/ or output/.
``main(argv=None)`` runs the benchmark (for a task) and returns 0.
"""

import argparse
import compileall
import datetime
import hashlib
import json
import os
import platform
import random
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_EPOCH = "1795564800"  # 2026-11-25 00:00 UTC, as in the test suite
NOW = datetime.datetime.fromtimestamp(int(BUILD_EPOCH), tz=datetime.UTC)
JST = datetime.timezone(datetime.timedelta(hours=9))
SEED = 20221017
DEFAULT_PAIRS = (1000, 4000)
QUICK_PAIRS = (50,)
CONFIGS = ("ours", "plain")
SCENARIOS = (
    ("cold", "cold full build"),
    ("warm", "warm rebuild (content cache)"),
    ("edit", "edit one article (cache warm)"),
)
# Diagnostic rows (ours only), when the configuration has them.
EXTRA_SCENARIOS = (
    ("cold-nosearch", "cold, without the Pagefind index (SEARCH_INDEX=False)"),
    # The scenario "edit" changes an English article; Japanese costs more to
    # index again (Pagefind loads its Japanese dictionary, ~0.9 s).
    ("edit-ja", "edit one Japanese article (cache warm)"),
)
REAL_FOLDERS = ("pages", "projects", "reports", "events")
REAL_PROJECTS = ("boshimo", "mysos", "kids-public")
PROJECTS_PER_PAIRS = 100  # one generated project pair per 100 article pairs
EVENTS_PER_PAIRS = 50  # one generated event pair per 50 article pairs
MIB = 1024 * 1024

# -- targets (issue "Build speed that stays fast as the archive grows") -------
TARGET_COLD_RATIO = 1.0  # ours cold <= 1.0 x plain cold
TARGET_EDIT_SHARE = 0.25  # edit-one rebuild <= 25 % of a cold build
TARGET_SCALING_SLACK = 1.1  # 4x the pairs may cost at most 4 x 1.1 = 4.4x the time
TARGET_PEAK_MIB = 1024  # peak RSS <= 1 GiB ...
TARGET_PEAK_DOCUMENTS = 8000  # ... at 8000 news documents (4000 pairs)


# =============================================================================
# Deterministic text: word lists and sentence templates, both languages
# =============================================================================

# Each entry is (Japanese, English) so that both versions of a pair say the
# same thing; the random choices are made once per pair and used for both.
TOPICS = [
    ("予防接種の記録", "vaccination records", "vaccination-records"),
    ("PHRの実証", "the PHR pilot", "phr-pilot"),
    ("保護者向けオンライン相談", "online consultations for parents", "online-consultation"),
    ("医療機関とのデータ共有", "data sharing with clinics", "clinic-data-sharing"),
    ("駅での健康サービス", "health services at stations", "station-health"),
    ("公募", "the open call", "open-call"),
    ("乳幼児健診", "infant health check-ups", "infant-checkups"),
    ("ウェルネスデータ基盤", "the wellness data platform", "data-platform"),
    ("歩数チャレンジ", "the step-count challenge", "step-challenge"),
    ("ネットワーキング事業", "the networking programme", "networking"),
    ("同意管理", "consent management", "consent"),
    ("健診データ", "health check-up data", "checkup-data"),
    ("子育てアプリ", "the childcare app", "childcare-app"),
    ("スマートシティの健康施策", "health in the smart city", "smart-city-health"),
]
TITLE_PATTERNS = [
    ("{t}の最新状況について", "Update on {t}", "update"),
    ("{t}：第1期の結果", "{T}: results of the first phase", "first-phase"),
    ("{t}に新たなパートナーが参加しました", "New partners join the work on {t}", "new-partners"),
    ("{t}から見えてきたこと", "What we learned from {t}", "lessons"),
    ("自治体向け「{t}」説明会のご案内", "Briefing on {t} for local governments", "briefing"),
    ("コラム：{t}を考える", "Column: rethinking {t}", "column"),
    ("{t}：来年度のスケジュール", "{T}: schedule for the coming year", "schedule"),
    ("{t}に関するアンケート結果", "Survey results on {t}", "survey"),
]
PLACES = [
    ("府中市", "Fuchu"), ("新宿区", "Shinjuku"), ("八王子市", "Hachioji"),
    ("世田谷区", "Setagaya"), ("練馬区", "Nerima"), ("町田市", "Machida"),
    ("立川市", "Tachikawa"), ("江戸川区", "Edogawa"), ("多摩市", "Tama"),
    ("足立区", "Adachi"),
]
HEADINGS = [
    ("背景", "Background"), ("取組の内容", "What we did"), ("わかったこと", "What we learned"),
    ("今後の予定", "Next steps"), ("これまでの成果", "Results so far"),
    ("データの活用方法", "How the data are used"), ("住民の皆様の声", "Feedback from residents"),
    ("スケジュール", "Schedule"), ("留意事項", "Points to note"), ("参加の対象", "Who can take part"),
    ("自治体との連携", "Working with local governments"),
    ("プライバシーと安全管理", "Privacy and security"),
]

EN_SUBJECTS = [
    "The project team", "The participating wards", "Local clinics",
    "The Bureau of Digital Services", "Our partner companies", "Researchers at the university",
    "The secretariat", "Parents who use the app", "Staff at the city office",
    "The selection panel", "Residents taking part in the pilot", "Pharmacies in the area",
    "The working group", "Public health nurses", "The railway operator",
    "The evaluation committee",
]
EN_VERBS = [
    "are testing", "have started to use", "will review", "are developing", "plan to extend",
    "have published", "are comparing", "will share", "have improved",
    "are collecting feedback on", "continue to refine", "have agreed on", "are preparing",
    "will report on",
]
EN_OBJECTS = [
    "a simpler way to keep vaccination records", "step-count data shared with consent",
    "the consent screens of the personal health record app",
    "digital pre-vaccination questionnaires", "reminders for infant health check-ups",
    "an online consultation service for new parents",
    "anonymised data on congestion at stations",
    "the rules for sharing data with medical institutions",
    "a dashboard for ward health officials", "the results of the first year of the pilot",
    "guidance for companies applying to the program",
    "accessible versions of the registration forms",
    "a plan for connecting the app to national systems",
    "common data formats for health check-up results",
]
EN_QUALIFIERS = [
    "in three wards of Tokyo", "over the next fiscal year", "with the consent of each participant",
    "so that residents can see their own data", "in cooperation with local clinics",
    "before the end of March", "while keeping personal information secure",
    "based on feedback from the first survey", "together with the city of Fuchu",
    "for families with young children", "at stations along the Seibu lines",
    "as part of the program's second phase", "in both Japanese and English",
    "without adding work for clinic staff",
]
EN_BENEFITS = [
    "saves parents a trip to the ward office", "gives doctors a clearer picture of each patient",
    "reduces the paperwork for clinic staff", "helps residents keep track of their own health",
    "makes it easier to plan check-ups", "lets the city see where support is needed",
]
EN_OPENERS = [
    "In practice,", "At the same time,", "According to the first survey,", "So far,",
    "As a next step,", "In addition,", "For this reason,", "During the pilot,",
]

JA_SUBJECTS = [
    "本プロジェクトでは", "参加する区では", "地域の医療機関では", "デジタルサービス局では",
    "連携する事業者は", "大学の研究チームは", "事務局では", "アプリを利用する保護者の皆様からは",
    "市の担当者は", "審査委員会では", "実証に参加する住民の皆様は", "地域の薬局では",
    "ワーキンググループでは", "保健師の皆様は",
]
JA_QUALIFIERS = [
    "住民の同意に基づいて", "来年度に向けて", "個人情報を適切に守りながら", "府中市と連携して",
    "地域の医療機関の協力を得て", "年度末までに", "第1回アンケートの結果を踏まえて",
    "子育て世帯を対象に", "駅などの公共交通の拠点で", "事業の第2期として",
    "日本語と英語の両方で", "医療機関の事務負担を増やさずに",
]
JA_OBJECTS = [
    "予防接種の記録を", "歩数などの日々のデータを", "PHRアプリの同意画面を", "デジタル化した予診票を",
    "乳幼児健診のお知らせを", "子育て世帯向けのオンライン相談を", "駅の混雑に関する匿名化データを",
    "医療機関とデータを共有するルールを", "区の担当者向けのダッシュボードを", "実証1年目の結果を",
    "応募を検討する事業者向けの案内を", "申込フォームのアクセシビリティを", "健診結果のデータ形式を",
]
JA_VERBS = [
    "活用する仕組みを検討しています。", "改善する取組を進めています。", "共有するための準備を進めています。",
    "見直しました。", "公開する予定です。", "試行的に導入しました。", "比較・検証しています。",
    "整理し、報告書にまとめました。", "より使いやすくする工夫を重ねています。",
    "段階的に広げていく方針です。",
]
JA_BENEFITS = [
    "保護者が窓口に出向く手間が減ります", "医師が患者の状態を把握しやすくなります",
    "医療機関の事務作業が軽くなります", "住民が自分の健康を振り返りやすくなります",
    "健診の予定を立てやすくなります", "支援が必要な地域を把握しやすくなります",
]
JA_OPENERS = ["実際に、", "また、", "第1回のアンケートによると、", "これまでに、", "次の段階として、", "さらに、"]

TABLE_PHASES = [
    ("準備", "Preparation"), ("試行", "Trial"), ("評価", "Evaluation"),
    ("拡大", "Expansion"), ("報告", "Reporting"),
]
TABLE_WHO = [
    ("医療機関", "clinics"), ("保護者", "parents"), ("区の職員", "ward staff"),
    ("事業者", "companies"), ("住民", "residents"),
]

PROJECT_SERVICES = [
    ("からだノート", "Karada Note"), ("すこやかリンク", "Sukoyaka Link"),
    ("ほけんナビ", "Hoken Navi"), ("まちの保健室", "Machi Health Room"),
    ("こそだてコンパス", "Kosodate Compass"), ("あるくまち", "Aruku Machi"),
    ("けんしんポケット", "Kenshin Pocket"), ("みまもりステーション", "Mimamori Station"),
]
UNIVERSITIES = [
    ("東京医科歯科大学", "Tokyo Medical and Dental University"),
    ("東京都立大学", "Tokyo Metropolitan University"),
    ("多摩健康科学大学", "Tama University of Health Sciences"),
]
EVENT_KINDS = [
    ("セミナー", "セミナー", "Seminar", "seminar"),
    ("説明会", "セツメイカイ", "Briefing", "briefing"),
    ("ミートアップ", "ミートアップ", "Meetup", "meetup"),
    ("ネットワーキング", "ネットワーキング", "Networking", "networking"),
    ("ワークショップ", "ワークショップ", "Workshop", "workshop"),
]
EVENT_THEMES = [
    ("ウェルネスデータ活用", "ウェルネスデータカツヨウ", "Wellness data"),
    ("PHR", "ピーエイチアール", "PHR"),
    ("子育て支援DX", "コソダテシエンディーエックス", "Childcare DX"),
    ("予防接種デジタル化", "ヨボウセッシュデジタルカ", "Digital vaccination records"),
    ("スマートシティと健康", "スマートシティトケンコウ", "Smart city and health"),
]
VENUES = [
    ("都民ホール（東京都議会議事堂1階）", "東京都新宿区西新宿二丁目8番1号",
     "Tomin Hall (Tokyo Metropolitan Assembly Building, 1F)", "2-8-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo"),
    ("東京都庁第一本庁舎5階 大会議場", "東京都新宿区西新宿二丁目8番1号",
     "Main Conference Room, 5F, Tokyo Metropolitan Government Building No. 1",
     "2-8-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo"),
    ("東京都立産業貿易センター浜松町館", "東京都港区海岸一丁目7番1号",
     "Tokyo Metropolitan Industrial Trade Center, Hamamatsucho Building",
     "1-7-1 Kaigan, Minato-ku, Tokyo"),
]


def en_sentence(rng):
    pattern = rng.random()
    if pattern < 0.55:
        return (f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} "
                f"{rng.choice(EN_OBJECTS)} {rng.choice(EN_QUALIFIERS)}.")
    if pattern < 0.8:
        obj = rng.choice(EN_OBJECTS)
        return (f"{rng.choice(EN_OPENERS)} {obj} {rng.choice(EN_BENEFITS)}, "
                f"and it does so {rng.choice(EN_QUALIFIERS)}.")
    subject = rng.choice(EN_SUBJECTS)
    return (f"{subject} told us that {rng.choice(EN_OBJECTS)} "
            f"{rng.choice(EN_BENEFITS)} {rng.choice(EN_QUALIFIERS)}.")


def ja_sentence(rng):
    if rng.random() < 0.7:
        return (f"{rng.choice(JA_SUBJECTS)}、{rng.choice(JA_QUALIFIERS)}、"
                f"{rng.choice(JA_OBJECTS)}{rng.choice(JA_VERBS)}")
    return (f"{rng.choice(JA_OPENERS)}{rng.choice(JA_OBJECTS).removesuffix('を')}によって"
            f"{rng.choice(JA_BENEFITS)}。")


def paragraph(rng, sentence, count):
    return (" " if sentence is en_sentence else "").join(sentence(rng) for _ in range(count))


def en_table(rng):
    rows = ["| Phase | Period | Taking part |", "| --- | --- | --- |"]
    year = rng.randint(2019, 2026)
    for start in sorted(rng.sample(range(1, 12), 3)):
        phase = rng.choice(TABLE_PHASES)[1]
        month = datetime.date(year, start, 1).strftime("%B")
        rows.append(f"| {phase} | from {month} {year} | {rng.randint(3, 60)} {rng.choice(TABLE_WHO)[1]} |")
    return "\n".join(rows)


def ja_table(rng):
    rows = ["| 段階 | 期間 | 参加 |", "| --- | --- | --- |"]
    year = rng.randint(2019, 2026)
    for start in sorted(rng.sample(range(1, 12), 3)):
        rows.append(f"| {rng.choice(TABLE_PHASES)[0]} | {year}年{start}月から | "
                    f"{rng.choice(TABLE_WHO)[0]} {rng.randint(3, 60)}人・施設 |")
    return "\n".join(rows)


def article_body(seed, lang, link_title, link_url):
    """~600 words (en) / ~1500 characters (ja): headings, paragraphs, list, link, table.

    ``seed`` is the pair's: both languages get the same headings and shape.
    """
    shape = random.Random(seed)
    headings = shape.sample(HEADINGS, 4)
    rng = random.Random(f"{seed}-{lang}")
    en = lang == "en"
    sentence = en_sentence if en else ja_sentence
    heading = (lambda h: h[1]) if en else (lambda h: h[0])
    # Sentence counts tuned for ~600 English words and ~1500 Japanese characters.
    counts = (3, 4, 4, 3, 4, 3) if en else (3, 5, 4, 3, 5, 4)
    if en:
        link = f"For the background, see [{link_title}]({link_url})."
        items = [f"{rng.choice(EN_OBJECTS).capitalize()} {rng.choice(EN_QUALIFIERS)}."
                 for _ in range(4)]
        table_intro = "The table shows the main phases of the work."
        closing = "We will keep you informed as the work progresses."
    else:
        link = f"これまでの経過は「[{link_title}]({link_url})」をご覧ください。"
        items = [f"{rng.choice(JA_QUALIFIERS)}、{rng.choice(JA_OBJECTS)}{rng.choice(JA_VERBS)}"
                 for _ in range(4)]
        table_intro = "主な段階は次の表のとおりです。"
        closing = "今後も取組の進み具合をお知らせしてまいります。"
    parts = [
        paragraph(rng, sentence, counts[0]),
        f"## {heading(headings[0])}",
        paragraph(rng, sentence, counts[1]),
        paragraph(rng, sentence, counts[2]) + (" " if en else "") + link,
        f"## {heading(headings[1])}",
        "\n".join(f"- {item}" for item in items),
        paragraph(rng, sentence, counts[3]),
        f"## {heading(headings[2])}",
        table_intro,
        en_table(rng) if en else ja_table(rng),
        paragraph(rng, sentence, counts[4]),
        f"## {heading(headings[3])}",
        paragraph(rng, sentence, counts[5]) + (" " if en else "") + closing,
    ]
    return "\n\n".join(parts) + "\n"


def metadata_block(fields):
    return "\n".join(f"{name}: {value}" for name, value in fields if value not in (None, ""))


def fmt_moment(moment):
    return moment.strftime("%Y-%m-%d %H:%M")


# =============================================================================
# The generated site
# =============================================================================


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
                summary = f"アプリ「{service[0]}」を活用し、{place[0]}で{topic[0]}に取り組むプロジェクトです。"
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
            starts, ends = day.isoformat(), (day + datetime.timedelta(days=rng.randint(0, 1))).isoformat()
            start_moment = datetime.datetime.combine(day, datetime.time(9), JST)
        else:
            start_moment = datetime.datetime.combine(day, datetime.time(rng.choice((10, 14, 18))), JST)
            starts = fmt_moment(start_moment)
            ends = fmt_moment(start_moment + datetime.timedelta(minutes=rng.choice((60, 90, 150))))
        announced = min(start_moment - datetime.timedelta(days=rng.randint(30, 60)), announce_limit)
        announced = announced.replace(hour=10, minute=0)
        deadline = fmt_moment((start_moment - datetime.timedelta(days=3)).replace(hour=17, minute=0))
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
                ("Summary", f"{theme[0]}をテーマに、自治体・事業者・研究者が情報を交換する{kind[0]}です。"
                 if ja else f"A {kind[2].lower()} where local governments, companies and "
                 f"researchers exchange ideas on {theme[2].lower()}."),
            ]
            sentence, joiner = (ja_sentence, "") if ja else (en_sentence, " ")
            agenda = ["プログラム（予定）", "こんな方におすすめです"] if ja else [
                "Agenda (provisional)", "Who should attend"]
            steps = ([f"{body_rng.choice(JA_OBJECTS).removesuffix('を')}の紹介" for _ in range(3)]
                     if ja else [f"Introduction to {body_rng.choice(EN_OBJECTS)}" for _ in range(3)])
            parts = [
                joiner.join(sentence(body_rng) for _ in range(2)),
                f"## {agenda[0]}",
                "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1)),
                f"## {agenda[1]}",
                joiner.join(sentence(body_rng) for _ in range(2)),
            ]
            text = metadata_block(fields) + "\n\n" + "\n\n".join(parts) + "\n"
            (folder / f"{slug}.{lang}.md").write_text(text, encoding="utf-8")


PLAIN_SETTINGS = '''\
# Plain Pelican for the benchmark: no plugins, the built-in theme (THEME not
# set), Pelican's defaults except the paths, time zone and default language.
PATH = "content"
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "ja"
PLUGINS = []
'''
PROJECT_FILES = ("pelicanconf.py", "tasks.py")
PROJECT_FOLDERS = ("theme", "plugins")


def snapshot_project(dest):
    """Copy what a build needs (settings, tasks.py, theme, plugins) once, at the start.

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
    for folder in REAL_FOLDERS:
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


# =============================================================================
# Building and measuring
# =============================================================================


class BuildFailed(RuntimeError):
    pass


def child_env():
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    env.pop("PYTHONPATH", None)
    return env


# The build runs in ``python -c``; the ``finally`` records the build process's
# own peak RSS (helpers it starts, such as Pagefind, are measured separately).
OURS_CODE = """\
import resource, sys
sys.path.insert(0, {site!r})
try:
    import tasks
    tasks._setup_logging()
    tasks.build_site("pelicanconf.py", {output!r}, {overrides!r})
finally:
    with open({rss_file!r}, "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""
PLAIN_CODE = """\
import resource, runpy, sys
sys.argv = ["pelican", "-s", {settings!r}, "-o", {output!r}]
try:
    runpy.run_module("pelican", run_name="__main__", alter_sys=True)
finally:
    with open({rss_file!r}, "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def ours_command(python, site, output, rss_file, cache=None, extra=None):
    overrides = dict(extra or {})
    if cache is not None:
        overrides.update(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(cache))
    code = OURS_CODE.format(site=str(site), output=str(output), overrides=overrides,
                            rss_file=str(rss_file))
    return [python, "-c", code]


def plain_command(python, site, output, rss_file, cache=None, extra=None):
    settings = site / "plainconf.py"
    if cache is not None:
        settings = site / f"plainconf-{Path(cache).name}.py"
        settings.write_text(
            PLAIN_SETTINGS
            + f"CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\nCACHE_PATH = {str(cache)!r}\n",
            encoding="utf-8",
        )
    code = PLAIN_CODE.format(settings=str(settings), output=str(output), rss_file=str(rss_file))
    return [python, "-c", code]


COMMANDS = {"ours": ours_command, "plain": plain_command}
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss(root_pid):
    """Memory (bytes) of ``root_pid`` and all its descendants, from /proc.

    The sum of their RSS; when the tree holds forked copies of the build
    process (parallel workers share its pages copy-on-write, which RSS would
    count once per process), the sum of their PSS instead.
    """
    children, names = {}, {}
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return 0
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        close = stat.rindex(b")")
        ppid = int(stat[close + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
        names[int(name)] = stat[stat.index(b"(") + 1:close]
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    forked = sum(names.get(pid) == names.get(root_pid) for pid in tree) > 1
    total = 0
    for pid in tree:
        try:
            if forked:
                with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                    for line in handle:
                        if line.startswith(b"Pss:"):
                            total += int(line.split()[1]) * 1024
                            break
            else:
                with open(f"/proc/{pid}/statm", "rb") as handle:
                    total += int(handle.read().split()[1]) * PAGE_SIZE
        except OSError:
            continue
    return total


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree (the build and its helpers) every 0.1 s."""

    def __init__(self, pid, interval=0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def run(self):
        if not os.path.isdir("/proc"):
            return
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.done.wait(self.interval)

    def stop(self):
        self.done.set()
        self.join()
        return self.peak


def run_build(python, config, site, output, log, cache=None, extra=None):
    """Run one build in a fresh subprocess; returns a sample dict.

    ``seconds``: wall time around the subprocess; ``cpu``: user + sys of the
    build and every helper it waited for; ``rss``: peak memory of the whole
    build, the larger of the process tree's summed RSS sampled every 0.1 s
    (PSS when the build forks workers) and the largest single process (wait4);
    ``rss_self``: the Pelican process alone; ``rss_largest``: the largest
    single process.
    """
    rss_file = Path(log).with_suffix(".rss")
    command = COMMANDS[config](python, Path(site), Path(output), rss_file, cache, extra)
    with open(log, "ab") as log_file:
        log_file.write(f"\n$ {config} {output} cache={cache} extra={extra}\n".encode())
        log_file.flush()
        # Flush the previous build's (and deletions') dirty pages first, so
        # that their write-back is not charged to this build.
        if hasattr(os, "sync"):
            os.sync()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=site, env=child_env(),
                                   stdout=log_file, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        # wait4 gives this child's own rusage, including the helpers it waited
        # for (RUSAGE_CHILDREN would only keep the largest child so far).
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        tree_peak = sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = Path(log).read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BuildFailed(f"{config} build failed (exit {process.returncode}); log {log}:\n{tail}")
    unit = 1 if sys.platform == "darwin" else 1024
    largest = usage.ru_maxrss * unit
    try:
        own = int(rss_file.read_text()) * unit
    except (OSError, ValueError):
        own = largest
    return {"seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": max(tree_peak, largest), "rss_self": own, "rss_largest": largest}


def edit_article(path, run):
    """Change one article's body text; returns the original text (to restore)."""
    original = path.read_text(encoding="utf-8")
    head, body = original.split("\n\n", 1)
    edited = body.replace(
        "\n\n", f"\n\nThis paragraph was corrected in benchmark run {run + 1}.\n\n", 1
    )
    path.write_text(head + "\n\n" + edited, encoding="utf-8")
    bump_mtime(path)
    return original


def bump_mtime(path):
    # Pelican's cache compares mtimes: make sure the change is seen even on
    # file systems with a coarse clock.
    stamp = max(time.time(), path.stat().st_mtime + 2)
    os.utime(path, (stamp, stamp))


def remove(path):
    shutil.rmtree(path, ignore_errors=True)


def set_aside(path, trash):
    """Move ``path`` into ``trash`` (deleted when the benchmark ends), not delete it now.

    Deleting thousands of files slows down the builds that follow: ext4
    without a journal (as on the machine of the published table) does not
    reuse an inode deleted less than a minute or five ago, and scans past
    each of them when creating a file, which added up to 5 s of system time
    to a 5-second build. Builds then measured how many files the previous
    scenario had deleted. (Our builds' own deletion of their previous output
    is part of what they cost, and stays measured.)
    """
    if os.path.lexists(path):
        trash.mkdir(exist_ok=True)
        os.rename(path, trash / f"{len(list(trash.iterdir()))}-{Path(path).name}")


def say(message):
    print(message, file=sys.stderr, flush=True)


def bench_size(python, work, project, pairs, runs, no_search):
    """All scenarios at one size; returns {(scenario, config): [samples]} and info."""
    site = work / f"site-{pairs}"
    say(f"[bench] generating {pairs} pairs in {site}")
    started = time.perf_counter()
    info = generate_site(site, pairs, project)
    say(f"[bench] generated {info['documents']} documents in "
        f"{time.perf_counter() - started:.1f} s ({info['files']}); "
        f"en body ~{info['en_words']:.0f} words, ja body ~{info['ja_chars']:.0f} characters")
    builds, logs = work / f"builds-{pairs}", work / "logs"
    builds.mkdir(exist_ok=True)
    logs.mkdir(exist_ok=True)
    samples = {}
    trash = work / "trash"

    def discard(path):
        set_aside(path, trash)

    edited = site / "content" / "news" / f"{info['articles'][pairs // 2]['slug']}.en.md"
    edited_ja = edited.with_name(edited.name.replace(".en.md", ".ja.md"))

    def measure(scenario, config, label, output, cache=None, extra=None):
        sample = run_build(python, config, site, output, logs / f"{pairs}-{config}.log",
                           cache, extra)
        say(f"[bench] N={pairs} {label:9} {config:5} {scenario:17} {sample['seconds']:7.2f} s "
            f"cpu {sample['cpu']:6.2f} s  peak {sample['rss'] / MIB:6.0f} MiB "
            f"(pelican {sample['rss_self'] / MIB:.0f} MiB)")
        samples.setdefault((scenario, config), []).append(sample)

    # One unmeasured build of each configuration first, so that the first
    # measured build does not also pay for a cold OS file cache.
    for config in CONFIGS:
        output = builds / f"{config}-warmup"
        measure("warm-up", config, "warm-up", output)
        discard(output)

    for run in range(runs):
        label = f"run {run + 1}/{runs}"
        order = CONFIGS if run % 2 == 0 else tuple(reversed(CONFIGS))
        # Cold: fresh output, no cache.
        for config in order:
            output = builds / f"{config}-cold-{run}"
            discard(output)
            measure("cold", config, label, output)
            discard(output)
        if no_search:
            # Diagnostic: our cold build without the Pagefind index.
            output = builds / f"ours-nosearch-{run}"
            measure("cold-nosearch", "ours", label, output, extra={"SEARCH_INDEX": False})
            discard(output)
        # Warm: a priming build fills a fresh cache, the next one uses it.
        outputs, caches = {}, {}
        for config in order:
            outputs[config] = builds / f"{config}-warm-{run}"
            caches[config] = work / f"cache-{pairs}-{config}-{run}"
            discard(outputs[config])
            discard(caches[config])
            measure("priming", config, label, outputs[config], caches[config])
            measure("warm", config, label, outputs[config], caches[config])
        # Edit one article's body, rebuild with the warm cache.
        original = edit_article(edited, run)
        try:
            for config in order:
                measure("edit", config, label, outputs[config], caches[config])
        finally:
            edited.write_text(original, encoding="utf-8")
            bump_mtime(edited)
        # Diagnostic: the same with the Japanese version (ours only).
        # (a build of the restored site first, not measured: only the Japanese edit is new)
        run_build(python, "ours", site, outputs["ours"], logs / f"{pairs}-ours.log",
                  caches["ours"])
        original = edit_article(edited_ja, run)
        try:
            measure("edit-ja", "ours", label, outputs["ours"], caches["ours"])
        finally:
            edited_ja.write_text(original, encoding="utf-8")
            bump_mtime(edited_ja)
        for config in order:
            discard(outputs[config])
            discard(caches[config])
    info.pop("articles")
    return samples, info


# =============================================================================
# Reporting
# =============================================================================


def machine_info(python):
    info = {"nproc": os.cpu_count()}
    try:
        info["nproc"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info.setdefault("cpu", platform.processor() or platform.machine())
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = int(line.split()[1]) / MIB
                break
    except OSError:
        pass
    names = ("pelican", "markdown", "jinja2", "feedgen", "icalendar", "lxml", "babel", "pagefind")
    probe = (
        "import sys, importlib.metadata as m\n"
        "print(sys.version.split()[0])\n"
        f"for name in {names!r}:\n"
        "    try:\n"
        "        print(m.version(name))\n"
        "    except m.PackageNotFoundError:\n"
        "        print('-')\n"
    )
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    lines = out.stdout.split()
    info["python"] = lines[0]
    labels = ("Pelican", "Markdown", "Jinja2", "feedgen", "icalendar", "lxml", "Babel", "Pagefind")
    info["packages"] = {label: version for label, version in zip(labels, lines[1:], strict=False)
                        if version != "-"}
    info["os"] = platform.platform()
    return info


def median_of(samples, key):
    return statistics.median(sample[key] for sample in samples) if samples else None


def peak_of(samples, key="rss"):
    return max(sample[key] for sample in samples) if samples else None


def mib(value):
    return "–" if value is None else f"{value / MIB:.0f}"


def secs(value):
    return "–" if value is None else f"{value:.2f}"


def verdict(ok):
    return "met" if ok else "**NOT met**"


def measured_rows(results, sizes):
    """(pairs, scenario label, ours samples, plain samples) of every scenario measured."""
    for pairs in sizes:
        samples = results[pairs]["samples"]
        for scenario, label in SCENARIOS + EXTRA_SCENARIOS:
            ours = samples.get((scenario, "ours"), [])
            plain = samples.get((scenario, "plain"), [])
            if ours or plain:
                yield pairs, label, ours, plain


def report(results, machine, project, runs, python, command):
    """The Markdown report: machine, configuration, table, targets, every sample."""
    sizes = sorted(results)
    lines = ["# Build benchmark: ours vs plain Pelican", ""]
    lines.append(
        f"Run on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`{command}`; SOURCE_DATE_EPOCH={BUILD_EPOCH}."
    )
    lines += ["", "## Machine", ""]
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    lines += [
        f"- CPU: {machine['cpu']} — nproc {machine['nproc']}",
        f"- RAM: {machine.get('ram_gib', 0):.1f} GiB",
        f"- OS: {machine['os']}",
        f"- Python {machine['python']} ({python}); {packages}",
        f"- Our configuration: pelicanconf.py with PLUGINS = {project['plugins']} "
        f"(snapshot of pelicanconf.py, tasks.py, theme/, plugins/: sha256 {project['digest']})",
    ]
    lines += ["", "## Documents", ""]
    for pairs in sizes:
        info = results[pairs]["info"]
        files = info["files"]
        lines.append(
            f"- N = {pairs}: {files['news']} news files ({pairs} pairs), "
            f"{files['projects']} project, {files['events']} event, {files['reports']} report, "
            f"{files['pages']} page files = {info['documents']} documents "
            f"({info['generated_projects']} generated project pairs, "
            f"{info['generated_events']} generated event pairs); "
            f"bodies ~{info['en_words']:.0f} words (en), ~{info['ja_chars']:.0f} characters (ja)"
        )
    lines += [
        "",
        "## Results",
        "",
        f"Wall time: medians of {runs} run(s). Peak RSS: the highest of the runs, of the whole "
        "build (the build process plus any helper it runs, e.g. Pagefind, summed while they "
        "run together), MiB.",
        "",
        "| N pairs (news docs) | scenario | ours (s) | plain (s) | ours/plain | ours peak RSS (MB) "
        "| plain peak RSS (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for pairs, label, ours, plain in measured_rows(results, sizes):
        o, p = median_of(ours, "seconds"), median_of(plain, "seconds")
        ratio = f"{o / p:.2f}×" if o and p else "–"
        lines.append(
            f"| {pairs} ({2 * pairs}) | {label} | {secs(o)} | {secs(p)} | {ratio} | "
            f"{mib(peak_of(ours))} | {mib(peak_of(plain))} |"
        )
    lines += [
        "",
        "CPU time (user + sys of the build and its helpers, medians; less sensitive than wall "
        "time to other load on the machine; Pagefind is multi-threaded, so CPU can exceed wall "
        "time) and the peak RSS of the Pelican process alone:",
        "",
        "| N pairs | scenario | ours CPU (s) | plain CPU (s) | ours/plain | ours Pelican process "
        "peak (MB) | plain Pelican process peak (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for pairs, label, ours, plain in measured_rows(results, sizes):
        o, p = median_of(ours, "cpu"), median_of(plain, "cpu")
        ratio = f"{o / p:.2f}×" if o and p else "–"
        lines.append(f"| {pairs} | {label} | {secs(o)} | {secs(p)} | {ratio} | "
                     f"{mib(peak_of(ours, 'rss_self'))} | {mib(peak_of(plain, 'rss_self'))} |")
    lines += ["", "## Targets", ""]
    lines += targets(results)
    lines += ["", "## Every build", "",
              "wall s / CPU s / whole-build peak MiB / Pelican-process peak MiB, in run order.", "",
              "| N | scenario | config | builds |", "| --- | --- | --- | --- |"]
    order = [name for name, _label in SCENARIOS + EXTRA_SCENARIOS] + ["warm-up", "priming"]
    for pairs in sizes:
        samples = results[pairs]["samples"]
        for (scenario, config), found in sorted(
            samples.items(), key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order
                                             else len(order), kv[0][1])
        ):
            text = ", ".join(f"{s['seconds']:.2f} / {s['cpu']:.2f} / {s['rss'] / MIB:.0f} / "
                             f"{s['rss_self'] / MIB:.0f}" for s in found)
            lines.append(f"| {pairs} | {scenario} | {config} | {text} |")
    return "\n".join(lines) + "\n"


def targets(results):
    sizes = sorted(results)
    lines = []

    def med(pairs, scenario, config, key="seconds"):
        return median_of(results[pairs]["samples"].get((scenario, config), []), key)

    for pairs in sizes:
        ours, plain = med(pairs, "cold", "ours"), med(pairs, "cold", "plain")
        ratio = ours / plain
        cpu = med(pairs, "cold", "ours", "cpu") / med(pairs, "cold", "plain", "cpu")
        lines.append(
            f"- Cold build, ours ≤ {TARGET_COLD_RATIO:.1f}× plain (N = {pairs}): "
            f"{ratio:.2f}× ({ours:.2f} s vs {plain:.2f} s; CPU {cpu:.2f}×) — "
            f"{verdict(ratio <= TARGET_COLD_RATIO)}"
        )
        nosearch = med(pairs, "cold-nosearch", "ours")
        if nosearch:
            lines.append(
                f"  - for information, without the Pagefind index: {nosearch / plain:.2f}× "
                f"({nosearch:.2f} s); Pagefind ≈ {ours - nosearch:.2f} s of the cold build"
            )
    for pairs in sizes:
        cold, edit = med(pairs, "cold", "ours"), med(pairs, "edit", "ours")
        share = edit / cold
        lines.append(
            f"- Edit-one rebuild ≤ {TARGET_EDIT_SHARE:.0%} of cold, ours (N = {pairs}): "
            f"{share:.0%} ({edit:.2f} s vs {cold:.2f} s) — {verdict(share <= TARGET_EDIT_SHARE)}"
        )
        edit_ja = med(pairs, "edit-ja", "ours")
        if edit_ja:
            share = edit_ja / cold
            lines.append(
                f"  - editing a Japanese article instead: {share:.0%} ({edit_ja:.2f} s) — "
                f"{verdict(share <= TARGET_EDIT_SHARE)}"
            )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        limit = large / small * TARGET_SCALING_SLACK
        ours = med(large, "cold", "ours") / med(small, "cold", "ours")
        plain = med(large, "cold", "plain") / med(small, "cold", "plain")
        cpu = med(large, "cold", "ours", "cpu") / med(small, "cold", "ours", "cpu")
        lines.append(
            f"- {large}-pair cold ≤ {limit:.1f}× {small}-pair cold, ours: {ours:.2f}× "
            f"(CPU {cpu:.2f}×; plain: {plain:.2f}×) — {verdict(ours <= limit)}"
        )
    else:
        lines.append("- Scaling (4000-pair cold ≤ 4.4× 1000-pair cold): n/a (one size only)")

    def ours_peak(samples, key):
        return max(s[key] for (_scenario, config), found in samples.items()
                   if config == "ours" for s in found)

    pairs_at_target = TARGET_PEAK_DOCUMENTS // 2
    if pairs_at_target in results:
        samples = results[pairs_at_target]["samples"]
        peak, own = ours_peak(samples, "rss"), ours_peak(samples, "rss_self")
        lines.append(
            f"- Peak RSS ≤ {TARGET_PEAK_MIB} MiB at {TARGET_PEAK_DOCUMENTS} documents, ours "
            f"(whole build, highest of all its builds): {peak / MIB:.0f} MiB "
            f"(Pelican process alone: {own / MIB:.0f} MiB) — "
            f"{verdict(peak <= TARGET_PEAK_MIB * MIB)}"
        )
    else:
        size = sizes[-1]
        peak = ours_peak(results[size]["samples"], "rss")
        lines.append(
            f"- Peak RSS ≤ {TARGET_PEAK_MIB} MiB at {TARGET_PEAK_DOCUMENTS} documents: n/a "
            f"(not run at {pairs_at_target} pairs; ours peaked at {peak / MIB:.0f} MiB "
            f"at {size} pairs)"
        )
    return lines


# =============================================================================
# Command line
# =============================================================================


def default_python():
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=None,
                        help="article pairs per size (default: 1000 4000)")
    parser.add_argument("--runs", type=int, default=None, help="runs per size (default: 3)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results.md"),
                        help="where to write the Markdown report (default: benchmarks/results.md)")
    parser.add_argument("--quick", action="store_true", help="smoke test: N = 50, 1 run")
    parser.add_argument("--python", default=default_python(),
                        help="interpreter for the builds (default: the project's .venv)")
    parser.add_argument("--workdir", default=None,
                        help="where to put the temporary sites (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary sites")
    parser.add_argument("--json", default=None, help="also write every sample as JSON here")
    parser.add_argument("--no-diagnostics", action="store_true",
                        help="skip the extra 'cold without the search index' builds")
    parser.add_argument("--generate-only", metavar="DIR", default=None,
                        help="only write the generated site (first --pairs value) into DIR, "
                             "e.g. for profiling with DIR/build_ours.py")
    args = parser.parse_args(argv)
    if args.quick:
        args.pairs = args.pairs or list(QUICK_PAIRS)
        args.runs = args.runs or 1
    args.pairs = sorted(set(args.pairs or DEFAULT_PAIRS))
    args.runs = args.runs or 3
    if min(args.pairs) < 1 or args.runs < 1:
        parser.error("--pairs and --runs must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    command = "benchmarks/bench.py " + " ".join(
        sys.argv[1:] if argv is None else [str(arg) for arg in argv])
    if args.generate_only:
        target = Path(args.generate_only).resolve()
        if target.exists() and any(target.iterdir()):
            raise SystemExit(f"{target} is not empty")
        with tempfile.TemporaryDirectory(prefix="pelican-bench-project-") as project:
            snapshot_project(project)
            info = generate_site(target, args.pairs[0], project)
        info.pop("articles")
        print(json.dumps(info, indent=2, ensure_ascii=False))
        print(f"cd {target} && SOURCE_DATE_EPOCH={BUILD_EPOCH} {args.python} build_ours.py out")
        print(f"cd {target} && SOURCE_DATE_EPOCH={BUILD_EPOCH} {args.python} -m pelican "
              "-s plainconf.py -o out-plain")
        return 0
    work = Path(args.workdir).resolve() if args.workdir else Path(
        tempfile.mkdtemp(prefix="pelican-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    say(f"[bench] work folder {work}; python {args.python}")
    machine = machine_info(args.python)
    results = {}
    try:
        project = snapshot_project(work / "project")
        say(f"[bench] our configuration: PLUGINS = {project['plugins']} "
            f"(snapshot {project['digest']})")
        no_search = "search" in project["plugins"] and not args.no_diagnostics
        for pairs in args.pairs:
            samples, info = bench_size(args.python, work, work / "project", pairs, args.runs,
                                       no_search)
            results[pairs] = {"samples": samples, "info": info}
    finally:
        if not args.keep:
            remove(work)
        else:
            say(f"[bench] kept {work}")
    text = report(results, machine, project, args.runs, args.python, command.strip())
    print(text)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    say(f"[bench] wrote {output}")
    if args.json:
        raw = {str(pairs): {"info": data["info"],
                            "samples": {f"{s}/{c}": v for (s, c), v in data["samples"].items()}}
               for pairs, data in results.items()}
        Path(args.json).write_text(
            json.dumps({"machine": machine, "project": project, "results": raw}, indent=2),
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
