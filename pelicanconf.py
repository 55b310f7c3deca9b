"""Settings for building the site locally (``make html``, ``invoke build``).

Every setting the project uses is listed in the README with its default;
the bilingual plugin's own defaults live in plugins/bilingual/settings.py.
"""

from markdown.extensions.toc import slugify_unicode

SITENAME = "東京都 次世代ウェルネスソリューション構築支援事業"
SITEURL = ""  # root-relative links while previewing; publishconf.py sets the real one
AUTHOR = "東京都 デジタルサービス局"

PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Tokyo"
DEFAULT_LANG = "ja"

# Our plugins, listed explicitly: with PLUGINS unset Pelican would load every
# installed namespace plugin.
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "bilingual", "events", "photos", "feeds", "seo", "search", "assets", "phrases", "checks",
    "editor",
]

# The bilingual plugin reads and writes all content; Pelican's own article and
# page generators are left with nothing to do.
ARTICLE_PATHS = []
PAGE_PATHS = []
DIRECT_TEMPLATES = []
STATIC_PATHS = ["images"]
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "announcements"
# Embargoes are handled by the plugin against the build time
# (SOURCE_DATE_EPOCH), not by Pelican's clock.
WITH_FUTURE_DATES = True
# Metadata is text: a Summary is never rendered as Markdown or HTML.
FORMATTED_FIELDS = []
# One URL scheme for both languages; English lives under /en/.
ARTICLE_URL = "news/{slug}/"
ARTICLE_SAVE_AS = "news/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/news/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/news/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
# Pelican's per-author, per-category, per-tag pages and its feeds are off:
# the bilingual plugin writes the list pages of each language.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
INDEX_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
FEED_ATOM = None
FEED_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        # Heading anchors keep Japanese ("#課題"), not "_1", "_2".
        "markdown.extensions.toc": {"slugify": slugify_unicode},
    },
    "output_format": "html5",
}
# auto_reload off: a build makes its own environment, and templates do not
# change while it renders (on, every include and import asked the disk for
# the template's time again, thousands of times a build).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True,
                     "auto_reload": False}
RELATIVE_URLS = False
SLUGIFY_SOURCE = "basename"

BILINGUAL_SITENAMES = {
    "ja": "東京都 次世代ウェルネスソリューション構築支援事業",
    "en": "Tokyo Next-Generation Wellness Solution Program",
}
BILINGUAL_SITE_DESCRIPTIONS = {
    "ja": (
        "データを活用したウェルネス事業の社会実装を目指すプロジェクトと"
        "交流イベントをお伝えします。"
    ),
    "en": (
        "Projects and networking events of a Tokyo program that helps data-driven "
        "wellness services reach residents."
    ),
}
NEWS_CATEGORIES = {
    "announcements": {"ja": "お知らせ", "en": "Announcements"},
    "column": {"ja": "連載コラム", "en": "Column"},
}
NEWS_TAGS = {
    "wellness": {"ja": "ウェルネス", "en": "Wellness"},
    "data-utilization": {"ja": "データ活用", "en": "Data utilisation"},
    "phr": {"ja": "PHR", "en": "PHR"},
    "childcare": {"ja": "子育て", "en": "Childcare"},
    "vaccination": {"ja": "予防接種", "en": "Vaccination"},
    "infection-control": {"ja": "感染症対策", "en": "Infection control"},
    "networking": {"ja": "ネットワーキング", "en": "Networking"},
    "open-call": {"ja": "公募", "en": "Open call"},
    "online-consultation": {"ja": "オンライン相談", "en": "Online consultation"},
    "public-transport": {"ja": "公共交通", "en": "Public transport"},
    "smart-city": {"ja": "スマートシティ", "en": "Smart city"},
}
PROJECT_TRACKS = {
    "business-promotion": {"ja": "事業化促進プロジェクト", "en": "Business promotion projects"},
    "collaboration": {"ja": "連携プロジェクト", "en": "Collaboration projects"},
}

# Feeds (plugins/feeds): Atom and RSS per language, category and project.
# While previewing (SITEURL is empty), feeds and calendars link to the local
# preview server.
BILINGUAL_PREVIEW_SITEURL = "http://127.0.0.1:8000"
FEED_MAX_ITEMS = 20
FEEDS_AUTHORS = {
    "ja": "東京都 デジタルサービス局",
    "en": "Tokyo Metropolitan Government, Bureau of Digital Services",
}

# Link previews and structured data (plugins/seo).
SEO_DEFAULT_IMAGE_ALT = {
    "ja": (
        "東京都 次世代ウェルネスソリューション構築支援事業"
        "（Tokyo Next-Generation Wellness Solution Program）"
    ),
    "en": (
        "Tokyo Next-Generation Wellness Solution Program "
        "(東京都 次世代ウェルネスソリューション構築支援事業)"
    ),
}
SEO_PUBLISHER = {
    "ja": "東京都 デジタルサービス局",
    "en": "Tokyo Metropolitan Government, Bureau of Digital Services",
}
# The Bureau organises the program's events; this site is its address for
# them ("": the home page of the event's language).
EVENTS_ORGANIZER_URLS = {
    "東京都 デジタルサービス局": "",
    "Tokyo Metropolitan Government, Bureau of Digital Services": "",
}

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# When the content cache is on, keep it uncompressed: compressing it cost a
# large archive's rebuild more time than reading the bigger file.
GZIP_CACHE = False
