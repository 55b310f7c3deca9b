"""A venue's address as schema.org ``PostalAddress`` fields, read from how it is written.

Staff write an address as one line, the way it is printed: in Japanese
``〒163-8001 東京都新宿区西新宿二丁目8番1号`` (postal code, prefecture,
municipality, the rest), in English ``2-8-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo
163-8001`` (the same parts in reverse, separated by commas). Search engines
read the split fields more reliably than one line.

The split is made only when every part is recognised — the prefecture by the
list of the 47, the municipality by its suffix (市, 区, 町, 村, with its 郡
before a town or village, with its ward after one of the 20 designated
cities) — and a street part remains. Anything else stays whole in
``streetAddress``: a wrong split would tell search engines a wrong place.
"""

import re
import unicodedata

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)
PREFECTURES_EN = (
    "Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki",
    "Tochigi", "Gunma", "Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama", "Ishikawa",
    "Fukui", "Yamanashi", "Nagano", "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka",
    "Hyogo", "Nara", "Wakayama", "Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi",
    "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga", "Nagasaki", "Kumamoto", "Oita",
    "Miyazaki", "Kagoshima", "Okinawa",
)
# The cities whose addresses name a ward after the city (横浜市中区).
DESIGNATED_CITIES = (
    "札幌市", "仙台市", "さいたま市", "千葉市", "横浜市", "川崎市", "相模原市", "新潟市",
    "静岡市", "浜松市", "名古屋市", "京都市", "大阪市", "堺市", "神戸市", "岡山市", "広島市",
    "北九州市", "福岡市", "熊本市",
)
# Names that end in 市 before their own 市: 四日市市, 廿日市市, 野々市市.
CITY_NAMES_ENDING_IN_SHI = ("四日市市", "廿日市市", "野々市市")

POSTAL_CODE = re.compile(r"〒?\s*(\d{3})-?(\d{4})")
WARD = re.compile(r"\s?[^\s\d市区郡]{1,4}区")
COUNTY_TOWN = re.compile(r"[^\s市区]+?郡\s?[^\s市区]+?[町村]")
EN_PREFECTURE = re.compile(
    r"^(?P<name>[A-Za-z]+?)(?:-(?:to|fu|ken)| Prefecture| Metropolis)?"
    r"(?:\s+(?P<postal>\d{3}-\d{4}))?$"
)
EN_LOCALITY = re.compile(r"^[A-Z][A-Za-z-]*(?:-(?:ku|shi|cho|machi|mura|son|gun)| City| Ward)$")


def postal_address(text):
    """schema.org PostalAddress fields of an address line (addressCountry JP)."""
    line = " ".join(str(text).split())
    fields = split_japanese(line) or split_english(line) or {"streetAddress": line}
    return {"@type": "PostalAddress", **fields, "addressCountry": "JP"}


def split_postal_code(line):
    """(postal code as 163-8001 or None, the rest of the line)."""
    normal = unicodedata.normalize("NFKC", line)  # full-width digits and hyphens
    found = POSTAL_CODE.match(normal)
    if not found:
        return None, line
    return f"{found[1]}-{found[2]}", normal[found.end():].strip()


def split_japanese(line):
    """The fields of an address in Japanese order, or None if a part is not recognised."""
    postal_code, rest = split_postal_code(line)
    region = next((name for name in PREFECTURES if rest.startswith(name)), None)
    if region is None:
        return None
    rest = rest[len(region):].lstrip()
    locality = japanese_locality(rest)
    street = rest[len(locality):].strip() if locality else ""
    if not locality or not street:
        return None
    fields = {"streetAddress": street, "addressLocality": locality.replace(" ", ""),
              "addressRegion": region}
    if postal_code:
        fields["postalCode"] = postal_code
    return fields


def japanese_locality(rest):
    """The municipality that ``rest`` starts with (as written), or None."""
    def first(characters):
        # From the second character: a name's first character is never its suffix (市川市).
        positions = [p for p in (rest.find(c, 1) for c in characters) if p > 0]
        return min(positions) if positions else None

    city_or_ward, county = first("市区"), first("郡")
    if county is not None and (city_or_ward is None or county < city_or_ward):
        town = COUNTY_TOWN.match(rest)
        return town[0] if town else None
    if city_or_ward is not None:
        city = next((name for name in CITY_NAMES_ENDING_IN_SHI if rest.startswith(name)),
                    rest[: city_or_ward + 1])
        if city not in DESIGNATED_CITIES:
            return city
        ward = WARD.match(rest, len(city))
        return rest[: ward.end()] if ward else None  # a designated city's address names its ward
    town = first("町村")
    return rest[: town + 1] if town is not None else None


def split_english(line):
    """The fields of an address in English order ("street, municipality, Tokyo 163-8001")."""
    parts = [part.strip() for part in line.split(",")]
    if len(parts) < 3:
        return None
    region = EN_PREFECTURE.match(parts[-1])
    if region is None or region["name"] not in PREFECTURES_EN:
        return None
    localities = []
    for part in reversed(parts[:-1]):
        if not EN_LOCALITY.match(part) or len(localities) == 2:
            break
        localities.insert(0, part)
    street = parts[: len(parts) - 1 - len(localities)]
    if not localities or not street:
        return None
    fields = {"streetAddress": ", ".join(street), "addressLocality": ", ".join(localities),
              "addressRegion": region["name"]}
    if region["postal"]:
        fields["postalCode"] = region["postal"]
    return fields
