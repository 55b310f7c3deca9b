"""The two configurations compared, ours and plain Pelican: what each build runs.

``COMMANDS[config]`` gives the command line of one build in a fresh
subprocess; ``PLAIN_SETTINGS`` is plain Pelican's settings file, which the
generated site also carries as ``plainconf.py``.
"""

from pathlib import Path

# In this order in odd runs, reversed in even ones.
CONFIGS = ("ours", "plain")

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
