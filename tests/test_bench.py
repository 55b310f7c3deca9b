"""The benchmark runs end to end on a snapshot of the project (its numbers go to the
README; no test asserts a time).

The smoke run does not install Hugo and Eleventy (``--no-peers``): the
report must then say that their targets were not measured, never "met".
Their sites are checked here without them: the converted documents carry
the metadata, language and address of the Pelican files they come from.
"""

import json
import subprocess
import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import generate_site, snapshot_project  # noqa: E402
from peer_sites import read_pelican_markdown, write_peer_sites  # noqa: E402

SCENARIOS = ("cold/ours", "cold/ours-noindex", "cold/pelican", "warm/ours", "warm/pelican",
             "edit/ours", "edit/pelican", "edit-ja/ours", "edit-preview/ours",
             "edit-ja-preview/ours", "edit-title-preview/ours")


def test_the_benchmark_builds_ours_and_plain_pelican_and_writes_its_report(tmp_path):
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/bench.py"), "--quick", "--no-peers",
         "--no-diagnostics", "--output", str(tmp_path / "results.md"),
         "--json", str(tmp_path / "results.json"), "--workdir", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    (size,) = data["results"].values()
    assert size["info"]["files"]["news"] == 2 * size["info"]["pairs"]
    for scenario in SCENARIOS:
        samples = size["samples"][scenario]
        assert samples and all(s["seconds"] > 0 and s["rss"] > 0 for s in samples), scenario
    # Plain Pelican's builds are Pelican, then Pagefind over its output.
    for sample in size["samples"]["cold/pelican"]:
        assert list(sample["phases"]) == ["pelican", "pagefind"]
        assert sample["seconds"] >= sum(p["seconds"] for p in sample["phases"].values())
    assert not any(key.endswith(("/hugo", "/eleventy")) for key in size["samples"])
    assert data["peers"]["missing"]["hugo"] == "not run (--no-peers)"
    report = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| plain Pelican + Pagefind |" in report
    assert "ours, without the index / plain Pelican alone" in report
    targets = report.split("## Targets")[1].split("## Every build")[0]
    hugo = [line for line in targets.splitlines() if "Hugo + Pagefind" in line]
    eleventy = [line for line in targets.splitlines() if "Eleventy alone" in line]
    assert len(hugo) == 2 and len(eleventy) == 1
    for line in hugo + eleventy:
        assert "not measured" in line and "— met" not in line, line
    assert "× plain" not in targets  # the old target is gone


def test_the_peers_get_the_same_documents_with_front_matter(tmp_path):
    project = tmp_path / "project"
    snapshot_project(project)
    site = tmp_path / "site"
    info = generate_site(site, 3, project)
    folders, count = write_peer_sites(site, tmp_path / "peers", ("hugo", "eleventy"))
    assert count == info["documents"]
    for peer, folder in folders.items():
        converted = sorted(folder.rglob("content/**/*.md") if peer == "hugo"
                           else (folder / "src").glob("[!_]*/*.md"))
        assert len(converted) == count, peer
    article = info["articles"][1]
    for lang, url in (("ja", f"/news/{article['slug']}/"), ("en", f"/en/news/{article['slug']}/")):
        metadata, body = read_pelican_markdown(
            site / "content" / "news" / f"{article['slug']}.{lang}.md")
        for peer, path in (("hugo", "content/news"), ("eleventy", "src/news")):
            text = (folders[peer] / path / f"{article['slug']}.{lang}.md").read_text(
                encoding="utf-8")
            _start, head, converted_body = text.split("---\n", 2)
            fields = {key: json.loads(value) for key, value in
                      (line.split(": ", 1) for line in head.splitlines())}
            assert fields["title"] == metadata["title"]
            assert fields["tags"] == [t.strip() for t in metadata["tags"].split(",")]
            assert fields["date"].startswith(metadata["date"].replace(" ", "T"))
            assert fields["date"].endswith("+09:00")
            assert converted_body.strip() == body.strip()
            if peer == "hugo":
                assert fields["slug"] == article["slug"]
            else:
                assert fields["permalink"] == url and fields["lang"] == lang
