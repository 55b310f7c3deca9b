"""The events as open data: the municipal standard dataset format for events.

イベント一覧 of the 自治体標準オープンデータセット (the former 推奨データセット),
field list as in shared/reference/research/peers.md, section B.7. One row per
event, the Japanese text in the main columns and the English title in
イベント名_英語; CRLF rows (as the csv module writes them).

UTF-8 with a byte order mark: most readers open the file by double-clicking
it into Excel on Japanese Windows, which reads a CSV without the mark as
Shift_JIS (mojibake); with it, Excel, LibreOffice, Google Sheets, pandas and
Python's csv module (encoding "utf-8-sig") all read it right.
"""

import csv
import io

HEADER = (
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
)

FREE = {"無料", "free", "0", "0円"}
STATUS_NOTES = {
    "cancelled": "中止",
    "postponed": "延期",
    "rescheduled": "日程変更",
    "moved-online": "オンライン開催に変更",
}


def event_row(number, versions, columns, languages, settings):
    """The dataset row of one event from its language versions ({code: event}).

    ``columns`` says which language fills the Japanese columns ("main") and
    which the English title ("english"); ``languages`` orders the others.
    """
    ja, en = versions.get(columns["main"]), versions.get(columns["english"])
    main = ja or next(versions[code] for code in languages if code in versions)
    schedule = main.schedule
    if schedule.all_day:
        start_date, end_date = schedule.start, schedule.last_day
        start_time = end_time = ""
        note = "終日"
    else:
        start = schedule.start.astimezone(schedule.tz)
        end = (schedule.end or schedule.start).astimezone(schedule.tz)
        start_date, end_date = start.date(), end.date()
        start_time = start.strftime("%H:%M")
        end_time = end.strftime("%H:%M") if schedule.end else ""
        note = ""
    fee = str(getattr(main, "fee", "") or "")
    deadline = main.deadline.astimezone(schedule.tz) if main.deadline else None
    online = getattr(main, "online", "")
    return {
        "都道府県コード又は市区町村コード": settings["EVENTS_OPENDATA_AUTHORITY_CODE"],
        "NO": str(number),
        "都道府県名": settings["EVENTS_OPENDATA_PREFECTURE"],
        "市区町村名": "",
        "イベント名": ja.title if ja else "",
        "イベント名_カナ": getattr(ja, "title_kana", "") if ja else "",
        "イベント名_英語": en.title if en else "",
        "開始日": start_date.isoformat(),
        "終了日": end_date.isoformat(),
        "開始時間": start_time,
        "終了時間": end_time,
        "開始日時特記事項": note,
        "説明": main.summary_text,
        "料金(基本)": "0" if fee.strip().lower() in FREE else "",
        "料金(詳細)": fee,
        "連絡先名称": "",
        "連絡先電話番号": "",
        "連絡先内線番号": "",
        "主催者": str(getattr(main, "organizer", "") or ""),
        "場所名称": str(getattr(main, "venue", "") or ("オンライン" if online else "")),
        "住所": str(getattr(main, "address", "") or ""),
        "方書": "",
        "緯度": "",
        "経度": "",
        "アクセス方法": "",
        "駐車場情報": "",
        "定員": str(getattr(main, "capacity", "") or ""),
        "参加申込終了日": deadline.date().isoformat() if deadline else "",
        "参加申込終了時間": deadline.strftime("%H:%M") if deadline else "",
        "参加申込方法": str(getattr(main, "registration", "") or ""),
        "URL": main.absolute_url,
        "備考": STATUS_NOTES.get(main.event_status, ""),
    }


def events_csv(events, columns, languages, settings):
    """CSV bytes for ``events`` ([{code: event}], in start order)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    for number, versions in enumerate(events, start=1):
        writer.writerow(event_row(number, versions, columns, languages, settings))
    return buffer.getvalue().encode("utf-8-sig")  # (the BOM: see the module's docstring)
