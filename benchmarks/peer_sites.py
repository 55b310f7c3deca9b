"""The generated documents, converted for the peers: a Hugo site and an Eleventy site.

``write_peer_sites`` reads the Markdown the corpus wrote for Pelican (its
``Key: value`` metadata) and writes, outside any timed build, the same
documents with YAML front matter into a Hugo site and an Eleventy site, each
with minimal templates of what a news site needs: an article page (its main
content marked ``data-pagefind-body``, as ours is), a paginated list of the
news per language (10 a page) and a paginated page per tag and language.
Every document keeps its language and its address (``/news/<slug>/``,
``/en/news/<slug>/``, …), so that the links between generated articles
resolve in every build.

Front matter is written as JSON values (a JSON string or list is a valid
YAML flow scalar or sequence), so no YAML library is needed.
"""

import json
import shutil
from pathlib import Path

# The folders of content/ that hold documents (all of them: every build
# reads the same documents), and the images they show.
DOCUMENT_FOLDERS = ("news", "pages", "projects", "events", "reports")
MEDIA_FOLDERS = ("images",)
LANGS = ("ja", "en")
PAGE_SIZE = 10


def read_pelican_markdown(path):
    """(metadata with lower-case keys, body) of a Pelican Markdown file."""
    text = Path(path).read_text(encoding="utf-8")
    head, _sep, body = text.partition("\n\n")
    metadata, last = {}, None
    for line in head.splitlines():
        if line[:1].isspace() and last:
            metadata[last] += " " + line.strip()
            continue
        key, _colon, value = line.partition(":")
        last = key.strip().lower()
        metadata[last] = value.strip()
    # Pelican's {static} and {filename} links become plain root-relative ones.
    body = body.replace("{static}/", "/").replace("{filename}/", "/")
    return metadata, body


def iso_moment(value):
    """Pelican's ``2026-01-31 09:00`` (Asia/Tokyo) as ISO 8601 with its offset."""
    value = value.strip()
    if len(value) == 10:
        value += " 00:00"
    return value.replace(" ", "T") + ":00+09:00"


def split_list(value):
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def address(folder, slug, lang):
    root = "/" if lang == "ja" else f"/{lang}/"
    return f"{root}{slug}/" if folder == "pages" else f"{root}{folder}/{slug}/"


def document(folder, path):
    """One document's fields, from its Pelican file."""
    metadata, body = read_pelican_markdown(path)
    lang = metadata.pop("lang", "ja")
    slug = metadata.pop("slug", path.name.split(".")[0])
    fields = {
        "title": metadata.pop("title", slug),
        "slug": slug,
        "lang": lang,
        "date": iso_moment(metadata.pop("date")) if metadata.get("date") else None,
        "lastmod": iso_moment(metadata.pop("modified")) if metadata.get("modified") else None,
        "summary": metadata.pop("summary", ""),
        "tags": split_list(metadata.pop("tags", "")),
        "categories": split_list(metadata.pop("category", "")),
        "draft": metadata.pop("status", "published") == "draft",
        "url": address(folder, slug, lang),
        "stem": path.name.split(".")[0],
        "params": metadata,
    }
    return fields, body


def front_matter(pairs):
    lines = ["---"]
    for key, value in pairs:
        if value is None or value in ([], {}):
            continue
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def hugo_file(fields, body):
    return front_matter([
        ("title", fields["title"]), ("slug", fields["slug"]), ("date", fields["date"]),
        ("lastmod", fields["lastmod"]), ("summary", fields["summary"]),
        ("tags", fields["tags"]), ("categories", fields["categories"]),
        ("draft", True if fields["draft"] else None), ("params", fields["params"]),
    ]) + "\n" + body


def eleventy_file(fields, body):
    return front_matter([
        ("title", fields["title"]), ("lang", fields["lang"]), ("date", fields["date"]),
        ("lastmod", fields["lastmod"]), ("summary", fields["summary"]),
        ("tags", fields["tags"]), ("categories", fields["categories"]),
        ("section", fields["section"]), ("layout", "article.njk"),
        ("permalink", False if fields["draft"] else fields["url"]),
        ("eleventyExcludeFromCollections", True if fields["draft"] else None),
        ("meta", fields["params"]),
    ]) + "\n" + body


HUGO_CONFIG = """\
# Hugo for the benchmark: the generated documents in two languages, Japanese
# at the root and English under /en/, as in our site; minimal templates.
baseURL = "https://example.jp/"
title = "Benchmark"
defaultContentLanguage = "ja"
defaultContentLanguageInSubdir = false
timeZone = "Asia/Tokyo"

[languages.ja]
weight = 1
languageName = "日本語"
[languages.en]
weight = 2
languageName = "English"

[pagination]
pagerSize = {page_size}

[taxonomies]
tag = "tags"
category = "categories"

[permalinks.page]
news = "/news/:slug/"
projects = "/projects/:slug/"
events = "/events/:slug/"
reports = "/reports/:slug/"
pages = "/:slug/"

[markup.goldmark.renderer]
unsafe = true
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
{{ range .Translations }} <a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">
{{- .Language.LanguageName }}</a>{{ end }}
</header>
{{ block "main" . }}{{ end }}
</body>
</html>
""",
    "single.html": """\
{{ define "main" }}
<main data-pagefind-body>
<h1>{{ .Title }}</h1>
{{ with .Date }}<time datetime="{{ .Format "2006-01-02" }}">
{{- .Format "2006-01-02" }}</time>{{ end }}
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</main>
{{ end }}
""",
    "list.html": """\
{{ define "main" }}
<main>
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = where site.RegularPages "Section" "news" }}{{ end }}
{{ $paginator := .Paginate $pages }}
<ul>
{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ with .Date }}<time>{{ .Format "2006-01-02" }}</time>{{ end }} {{ .Summary }}</li>
{{ end }}
</ul>
<nav>{{ if $paginator.HasPrev }}<a href="{{ $paginator.Prev.URL }}">&larr;</a>{{ end }}
{{ if $paginator.HasNext }}<a href="{{ $paginator.Next.URL }}">&rarr;</a>{{ end }}</nav>
</main>
{{ end }}
""",
}

ELEVENTY_CONFIG = """\
// Eleventy for the benchmark: the generated documents in two languages,
// Japanese at the root and English under /en/, as in our site; minimal
// templates. Markdown is not run through a template language (ours is not).
const PAGE_SIZE = {page_size};
const LANGS = {langs};

function chunks(items, size) {{
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}}

function listPages(items, base) {{
  const pages = chunks(items, PAGE_SIZE);
  return pages.map((chunk, i) => ({{
    items: chunk,
    url: i === 0 ? base : `${{base}}page/${{i + 1}}/`,
    previous: i > 0 ? (i === 1 ? base : `${{base}}page/${{i}}/`) : null,
    next: i + 1 < pages.length ? `${{base}}page/${{i + 2}}/` : null,
  }}));
}}

export default function (eleventyConfig) {{
  const newest = (a, b) => b.date - a.date;
  const news = (api, lang) =>
    api.getAll().filter((p) => p.data.section === "news" && p.data.lang === lang).sort(newest);
  eleventyConfig.addCollection("listPages", (api) => {{
    const out = [];
    for (const lang of LANGS) {{
      const root = lang === "ja" ? "/" : `/${{lang}}/`;
      for (const page of listPages(news(api, lang), root)) {{
        out.push({{ ...page, lang, title: "News" }});
      }}
      const byTag = new Map();
      for (const item of api.getAll()) {{
        if (item.data.lang !== lang) continue;
        for (const tag of item.data.tags || []) {{
          if (!byTag.has(tag)) byTag.set(tag, []);
          byTag.get(tag).push(item);
        }}
      }}
      for (const [tag, items] of byTag) {{
        for (const page of listPages(items.sort(newest), `${{root}}tags/${{tag}}/`)) {{
          out.push({{ ...page, lang, title: tag }});
        }}
      }}
    }}
    return out;
  }});
  eleventyConfig.addFilter("isodate", (date) => (date ? date.toISOString().slice(0, 10) : ""));
  eleventyConfig.addPassthroughCopy("src/images");
  return {{
    dir: {{ input: "src", includes: "_includes" }},
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  }};
}}
"""

ELEVENTY_TEMPLATES = {
    "_includes/base.njk": """\
<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} | Benchmark</title>
</head>
<body>
<header><a href="{{ '/' if lang == 'ja' else '/' + lang + '/' }}">Benchmark</a></header>
{{ content | safe }}
</body>
</html>
""",
    "_includes/article.njk": """\
---
layout: base.njk
---
<main data-pagefind-body>
<h1>{{ title }}</h1>
<time datetime="{{ page.date | isodate }}">{{ page.date | isodate }}</time>
{{ content | safe }}
<ul>{% for tag in tags %}
<li><a href="{{ '/' if lang == 'ja' else '/' + lang + '/' }}tags/{{ tag }}/">{{ tag }}</a></li>
{%- endfor %}</ul>
</main>
""",
    "lists.njk": """\
---
pagination:
  data: collections.listPages
  size: 1
  alias: list
permalink: "{{ list.url }}"
eleventyComputed:
  lang: "{{ list.lang }}"
  title: "{{ list.title }}"
layout: base.njk
eleventyExcludeFromCollections: true
---
<main>
<h1>{{ list.title }}</h1>
<ul>
{% for item in list.items %}<li><a href="{{ item.url }}">{{ item.data.title }}</a>
<time>{{ item.date | isodate }}</time> {{ item.data.summary }}</li>
{% endfor %}
</ul>
<nav>{% if list.previous %}<a href="{{ list.previous }}">&larr;</a>{% endif %}
{% if list.next %}<a href="{{ list.next }}">&rarr;</a>{% endif %}</nav>
</main>
""",
}


def write_hugo_site(target, documents, content):
    target.mkdir(parents=True)
    (target / "hugo.toml").write_text(HUGO_CONFIG.replace("{page_size}", str(PAGE_SIZE)),
                                      encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (target / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (target / "layouts" / name).write_text(text, encoding="utf-8")
    for fields, body in documents:
        path = target / "content" / fields["section"] / f"{fields['stem']}.{fields['lang']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(hugo_file(fields, body), encoding="utf-8")
    for folder in MEDIA_FOLDERS:
        if (content / folder).is_dir():
            shutil.copytree(content / folder, target / "static" / folder)


def write_eleventy_site(target, documents, content):
    source = target / "src"
    source.mkdir(parents=True)
    config = ELEVENTY_CONFIG.format(page_size=PAGE_SIZE, langs=json.dumps(list(LANGS)))
    (target / "eleventy.config.mjs").write_text(config, encoding="utf-8")
    (target / "package.json").write_text('{"private": true, "type": "module"}\n',
                                         encoding="utf-8")
    for name, text in ELEVENTY_TEMPLATES.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    for fields, body in documents:
        path = source / fields["section"] / f"{fields['stem']}.{fields['lang']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(eleventy_file(fields, body), encoding="utf-8")
    for folder in MEDIA_FOLDERS:
        if (content / folder).is_dir():
            shutil.copytree(content / folder, source / folder)


def read_documents(content):
    documents = []
    for folder in DOCUMENT_FOLDERS:
        for path in sorted((content / folder).glob("*.md")):
            fields, body = document(folder, path)
            fields["section"] = folder
            documents.append((fields, body))
    return documents


WRITERS = {"hugo": write_hugo_site, "eleventy": write_eleventy_site}


def write_peer_sites(site, target, peers):
    """Convert ``site``/content into a site per peer in ``peers`` under ``target``.

    Returns {peer: folder} and the number of documents converted.
    """
    content = Path(site) / "content"
    documents = read_documents(content)
    folders = {}
    for peer in peers:
        folder = Path(target) / peer
        if folder.exists():
            shutil.rmtree(folder)
        WRITERS[peer](folder, documents, content)
        folders[peer] = folder
    return folders, len(documents)
