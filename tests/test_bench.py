"""The benchmark runs end to end on a snapshot of the project (its numbers go to the
README; no test asserts a time)."""

import json
import subprocess
import sys

from support import ROOT

SCENARIOS = ("cold/ours", "cold/plain", "warm/ours", "warm/plain", "edit/ours", "edit/plain",
             "edit-ja/ours")


def test_the_benchmark_builds_ours_and_plain_pelican_and_writes_its_report(tmp_path):
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/bench.py"), "--quick", "--no-diagnostics",
         "--output", str(tmp_path / "results.md"), "--json", str(tmp_path / "results.json"),
         "--workdir", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["results"]
    (size,) = results.values()
    assert size["info"]["files"]["news"] == 2 * size["info"]["pairs"]
    for scenario in SCENARIOS:
        samples = size["samples"][scenario]
        assert samples and all(s["seconds"] > 0 and s["rss"] > 0 for s in samples), scenario
    report = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| cold full build |" in report
