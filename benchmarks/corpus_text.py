"""Deterministic text for the generated corpus: word lists and sentence templates, both languages.

``article_body`` writes a news article's body; the word lists also fill the
generated projects and events (``corpus.py``). Every choice comes from a
seeded ``random.Random``, so every run writes the same bytes.
"""

import datetime
import random

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
    ("スケジュール", "Schedule"), ("留意事項", "Points to note"),
    ("参加の対象", "Who can take part"),
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
    "予防接種の記録を", "歩数などの日々のデータを", "PHRアプリの同意画面を",
    "デジタル化した予診票を",
    "乳幼児健診のお知らせを", "子育て世帯向けのオンライン相談を", "駅の混雑に関する匿名化データを",
    "医療機関とデータを共有するルールを", "区の担当者向けのダッシュボードを", "実証1年目の結果を",
    "応募を検討する事業者向けの案内を", "申込フォームのアクセシビリティを",
    "健診結果のデータ形式を",
]
JA_VERBS = [
    "活用する仕組みを検討しています。", "改善する取組を進めています。",
    "共有するための準備を進めています。",
    "見直しました。", "公開する予定です。", "試行的に導入しました。", "比較・検証しています。",
    "整理し、報告書にまとめました。", "より使いやすくする工夫を重ねています。",
    "段階的に広げていく方針です。",
]
JA_BENEFITS = [
    "保護者が窓口に出向く手間が減ります", "医師が患者の状態を把握しやすくなります",
    "医療機関の事務作業が軽くなります", "住民が自分の健康を振り返りやすくなります",
    "健診の予定を立てやすくなります", "支援が必要な地域を把握しやすくなります",
]
JA_OPENERS = [
    "実際に、", "また、", "第1回のアンケートによると、", "これまでに、", "次の段階として、",
    "さらに、",
]

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
     "Tomin Hall (Tokyo Metropolitan Assembly Building, 1F)",
     "2-8-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo"),
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
        rows.append(f"| {phase} | from {month} {year} | "
                    f"{rng.randint(3, 60)} {rng.choice(TABLE_WHO)[1]} |")
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

