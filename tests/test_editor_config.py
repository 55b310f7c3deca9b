"""The editor's configuration follows the kind registry; its local backend stays in content/.

The editor itself, in a browser, is tested in tests/browser/test_editor.py.
"""

import base64
import json

import pytest

import tasks

tasks._use_plugins()

from bilingual.site import site_kinds, site_languages  # noqa: E402
from editor.backend import LocalBackend, Refused, request_refusal  # noqa: E402
from editor.config import WIDGETS, editor_config, editor_data, format_schema  # noqa: E402
from editor.editor import write_editor  # noqa: E402


@pytest.fixture(scope="module")
def settings():
    return tasks._site_settings()


def by_name(items):
    return {item["name"]: item for item in items}


def test_every_kind_is_a_collection_with_every_field_of_the_registry(settings):
    config = editor_config(settings)
    collections = by_name(config["collections"])
    kinds = site_kinds(settings)
    assert list(collections) == [kind.name for kind in kinds]
    for kind in kinds:
        collection = collections[kind.name]
        assert collection["folder"] == f"content/{kind.folder}"
        fields = by_name(collection["fields"])
        # Every registry field in its order, then the body; nothing else.
        assert list(fields) == [*kind.field_names, "body"]
        for field in kind.fields:
            entry = fields[field.name]
            assert entry["widget"] == WIDGETS[field.type]["widget"], field.name
            assert entry["required"] is field.required, field.name
            # Shared values are entered once (and copied to the other language).
            assert (entry["i18n"] == "duplicate") is (not field.translated
                                                     and field.type != "lang"), field.name
            if field.reference:
                assert field.reference in collections


def test_the_choices_are_the_settings_keys_shown_by_their_japanese_names(settings):
    news = by_name(by_name(editor_config(settings)["collections"])["news"]["fields"])
    assert news["Category"]["options"] == [
        {"label": names["ja"], "value": key} for key, names in settings["NEWS_CATEGORIES"].items()
    ]
    assert news["Tags"]["multiple"] is True
    assert {o["value"] for o in news["Tags"]["options"]} == set(settings["NEWS_TAGS"])
    assert news["Projects"]["multiple"] is True
    chosen = [{"label": "母子健康手帳アプリ…", "value": "boshimo"}]
    with_items = by_name(by_name(editor_config(settings, choices={"projects": chosen})
                                 ["collections"])["news"]["fields"])
    assert with_items["Projects"]["options"] == chosen
    assert news["Title"]["label"] == "タイトル（Title）"
    # What the editor says while staff type a slug: Japanese first, the English after.
    assert news["Slug"]["pattern"] == [
        "^[a-z0-9]+(?:-[a-z0-9]+)*$",
        "半角の英小文字・数字・ハイフンで書きます（例：fy2023-open-call）。 / Use lower-case "
        "letters, digits and hyphens, e.g. fy2023-open-call."]
    assert news["Status"]["default"] is True  # a new item starts as a draft
    events = by_name(by_name(editor_config(settings)["collections"])["events"]["fields"])
    assert {o["value"]: o["label"] for o in events["Event-Status"]["options"]}["cancelled"] \
        == "中止"


def test_both_languages_are_one_entry_in_files_named_like_ours(settings):
    config = editor_config(settings)
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["ja", "en"],
                              "default_locale": "ja"}
    assert config["locale"] == "ja"
    assert config["backend"] == {"name": "proxy", "proxy_url": "/admin/api/v1"}
    assert config["media_folder"] == "content/images"
    assert config["public_folder"] == "{static}/images"


def test_a_kind_and_a_language_the_site_adds_are_in_the_editor():
    settings = tasks._site_settings({
        "BILINGUAL_LANGUAGES": ["ja", "en", "ko"],
        "BILINGUAL_KINDS": {"interviews": {"like": "news", "list_title": "Interviews",
                                           "fields": [{"name": "Title", "required": True},
                                                      {"name": "Slug", "type": "slug"},
                                                      {"name": "Lang", "type": "lang"},
                                                      {"name": "Date", "type": "date"},
                                                      {"name": "Interviewee", "type": "names",
                                                       "label": "Interviewee"}]}},
    })
    config = editor_config(settings)
    assert config["i18n"]["locales"] == [language.code for language in site_languages(settings)]
    interviews = by_name(config["collections"])["interviews"]
    assert interviews["folder"] == "content/interviews"
    assert by_name(interviews["fields"])["Interviewee"]["widget"] == "list"
    assert "Interviewee" in format_schema(settings)["lists"]


def test_a_field_name_with_two_meanings_is_refused():
    settings = tasks._site_settings({"BILINGUAL_KINDS": {"interviews": {
        "like": "news", "fields": [{"name": "Title"}, {"name": "Tags", "type": "text"}]}}})
    with pytest.raises(ValueError, match="Tags"):
        format_schema(settings)


def test_git_host_backends_use_the_editorial_workflow(settings):
    github = {"name": "github", "repo": "tokyo/wellness-site", "branch": "main"}
    config = editor_config(settings, github)
    assert config["backend"] == github
    assert config["publish_mode"] == "editorial_workflow"
    assert "publish_mode" not in editor_config(settings)


def test_the_page_is_ours_and_loads_nothing_from_elsewhere(settings, tmp_path):
    folder = write_editor(tmp_path, settings)
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "http" not in page.replace('http-equiv', '')
    assert (folder / "decap-cms.js").is_file()
    data = json.loads((folder / "editor.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(editor_data(settings)))


@pytest.fixture
def backend(tmp_path):
    (tmp_path / "content" / "news").mkdir(parents=True)
    (tmp_path / "content" / "news" / "a.ja.md").write_text("Title: a\n", encoding="utf-8")
    (tmp_path / "tasks.py").write_text("secret\n")
    return LocalBackend(tmp_path, ["content"])


def test_the_backend_reads_and_writes_inside_the_content_folder_only(backend, tmp_path):
    entries = backend.handle({"action": "entriesByFolder",
                              "params": {"folder": "content/news", "extension": "md",
                                         "depth": 1}})
    assert [entry["file"]["path"] for entry in entries] == ["content/news/a.ja.md"]
    assert entries[0]["data"] == "Title: a\n"
    for path in ("content/../tasks.py", "/etc/passwd", "tasks.py", "content/../../x"):
        with pytest.raises(Refused):
            backend.handle({"action": "getEntry", "params": {"path": path}})
        with pytest.raises(Refused):
            backend.handle({"action": "persistEntry", "params": {
                "dataFiles": [{"path": path, "raw": "x"}], "assets": []}})
    assert (tmp_path / "tasks.py").read_text() == "secret\n"
    (tmp_path / "content" / "link").symlink_to(tmp_path)
    with pytest.raises(Refused):
        backend.handle({"action": "getEntry", "params": {"path": "content/link/tasks.py"}})


def test_a_language_left_empty_is_not_written(backend, tmp_path):
    backend.handle({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "content/news/b.ja.md", "raw": "Title: b\n"},
        {"path": "content/news/b.en.md", "raw": "\n"}], "assets": []}})
    assert (tmp_path / "content/news/b.ja.md").read_bytes() == b"Title: b\n"
    assert not (tmp_path / "content/news/b.en.md").exists()


def test_photos_are_written_where_the_site_takes_them(backend, tmp_path):
    photo = base64.b64encode(b"\xff\xd8\xff\xe0 not really a jpeg").decode()
    answer = backend.handle({"action": "persistMedia", "params": {"asset": {
        "path": "content/images/seminar.jpg", "content": photo, "encoding": "base64"}}})
    assert answer["path"] == "content/images/seminar.jpg"
    assert (tmp_path / "content/images/seminar.jpg").read_bytes().startswith(b"\xff\xd8")
    listed = backend.handle({"action": "getMedia", "params": {"mediaFolder": "content/images"}})
    assert [item["name"] for item in listed] == ["seminar.jpg"]


def test_only_the_previews_own_pages_may_call_the_backend():
    own = {"http://127.0.0.1:8000", "http://localhost:8000"}
    json_type = "application/json"
    assert request_refusal("127.0.0.1:8000", "http://127.0.0.1:8000", json_type, own) is None
    assert request_refusal("localhost:8000", "http://localhost:8000", json_type, own) is None
    assert request_refusal("127.0.0.1:8000", "http://evil.example", json_type, own)
    assert request_refusal("127.0.0.1:8000", None, json_type, own)
    assert request_refusal("127.0.0.1:8000", "null", json_type, own)
    assert request_refusal("evil.example:8000", "http://127.0.0.1:8000", json_type, own)
    assert request_refusal("127.0.0.1:8000", "http://127.0.0.1:8000", "text/plain", own)
    assert request_refusal("127.0.0.1:8000", "http://127.0.0.1:8001", json_type, own)
