"""Releases of a built site in a target folder, switched atomically.

A release folder per publish and an atomic switch of a symlink::

    <target>/releases/20261125T000000Z/   one complete copy of output/ per publish
    <target>/current -> releases/<name>   what the web server serves (its root)

A release is copied under a hidden name and renamed when complete; then a new
symlink is made under a temporary name and renamed over ``current``
(os.replace: atomic), so a reader sees the old site or the new one, never a
mix. Anything that fails before the switch leaves ``current`` as it was.

- :func:`deploy_release`: copy a built site into a new release, make it current
  and prune the old ones.
- :func:`rollback_release`: point ``current`` back to the release before it.
- :func:`list_releases`, :func:`current_release`: what a target holds.
- :func:`prune_releases`: remove releases beyond the newest few.
- :class:`PublishFailed`: raised when ``current`` was left as it was.

``invoke publish`` and ``invoke rollback`` (tasks.py) are the commands.
"""

import os
import re
import shutil
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path

DEPLOY_KEEP_RELEASES = 5
RELEASES = "releases"
CURRENT = "current"
_RELEASE_NAME = re.compile(r"^(\d{8}T\d{6}Z)(?:-(\d+))?$")


class PublishFailed(Exception):
    """Publishing or rolling back stopped; ``current`` still serves what it served."""


def _copy_file(source, destination):
    """Copy one file into a release (tests replace it to simulate a failing copy)."""
    return shutil.copy2(source, destination)


def _release_key(name):
    match = _RELEASE_NAME.match(name)
    return (match[1], int(match[2] or 1))


def list_releases(target):
    """Names of the complete releases in ``target``, oldest first."""
    folder = Path(target) / RELEASES
    if not folder.is_dir():
        return []
    names = [p.name for p in folder.iterdir() if p.is_dir() and _RELEASE_NAME.match(p.name)]
    return sorted(names, key=_release_key)


def current_release(target):
    """Name of the release ``target/current`` points to, or None before the first publish."""
    link = Path(target) / CURRENT
    if not link.is_symlink():
        if link.exists():
            raise PublishFailed(
                f"{link} is a real folder, not a symlink to a release: move it away first"
            )
        return None
    return Path(os.readlink(link)).name


def _new_release_name(target, now=None):
    """The UTC time of the publish; -2, -3, … when that second is taken.

    Always after every existing release (even if the clock went back), since
    the order of the names is the order of the releases.
    """
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    key = (stamp, 1)
    existing = [_release_key(name) for name in list_releases(target)]
    if existing and max(existing) >= key:
        newest = max(existing)
        key = (newest[0], newest[1] + 1)
    return key[0] if key[1] == 1 else f"{key[0]}-{key[1]}"


def _switch_current(target, name):
    """Point ``target/current`` at ``releases/<name>`` with one atomic rename."""
    target = Path(target)
    temporary = target / f".{CURRENT}.{os.getpid()}.new"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(f"{RELEASES}/{name}", temporary)  # relative: the target folder may move
    try:
        os.replace(temporary, target / CURRENT)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def _deploy_lock(target):
    """One publish or rollback at a time on a target."""
    import fcntl  # noqa: PLC0415 - Unix only, and tasks.py (which imports us) loads anywhere

    with open(Path(target) / ".deploy.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishFailed(f"another publish or rollback is running on {target}") from None
        yield


def prune_releases(target, keep=DEPLOY_KEEP_RELEASES):
    """Remove releases beyond the newest ``keep`` (never the current one); return their names."""
    folder = Path(target) / RELEASES
    current = current_release(target)
    names = list_releases(target)
    old = [name for name in names[: max(len(names) - keep, 0)] if name != current]
    for name in old:
        shutil.rmtree(folder / name)
    # Leftovers of a publish that was killed while copying.
    for partial in folder.glob(".*.partial"):
        shutil.rmtree(partial, ignore_errors=True)
    return old


def deploy_release(site, target, keep=DEPLOY_KEEP_RELEASES):
    """Copy the built ``site`` into a new release of ``target`` and make it current.

    Returns the new release folder. On any error before the switch the partial
    copy is removed and ``current`` is untouched (:class:`PublishFailed`).
    """
    site = Path(site).resolve()
    target = Path(target).resolve()
    if int(keep) < 1:
        raise PublishFailed(f"keep must be at least 1 release, not {keep}")
    if not (site / "index.html").is_file():
        raise PublishFailed(f"{site} holds no built site (no index.html)")
    (target / RELEASES).mkdir(parents=True, exist_ok=True)
    with _deploy_lock(target):
        current_release(target)  # a real folder at current: refuse before copying
        name = _new_release_name(target)
        release = target / RELEASES / name
        partial = target / RELEASES / f".{name}.partial"
        try:
            # A lambda, not _copy_file itself: looked up at each call (tests replace it).
            # The build manifest (fingerprints for the next build) is not served.
            shutil.copytree(site, partial, symlinks=True,
                            ignore=shutil.ignore_patterns(".build-manifest*"),
                            copy_function=lambda src, dst: _copy_file(src, dst))  # noqa: PLW0108
            partial.chmod(0o755)
            partial.rename(release)
            _switch_current(target, name)
        except BaseException as error:
            shutil.rmtree(partial, ignore_errors=True)
            if current_release(target) != name:
                shutil.rmtree(release, ignore_errors=True)
            if not isinstance(error, Exception):
                raise  # Ctrl+C: current is untouched
            raise PublishFailed(f"copying the site into {release} failed: {error}") from error
        prune_releases(target, int(keep))
    return release


def rollback_release(target):
    """Point ``target/current`` back to the release before it; delete the one it leaves.

    Deleting the abandoned release makes a second rollback go one further
    back, and keeps a later publish's rollback from landing on it.
    Returns (the release now current, the release removed).
    """
    target = Path(target).resolve()
    with _deploy_lock(target) if target.is_dir() else nullcontext():
        current = current_release(target)
        if current is None:
            raise PublishFailed(f"nothing is published in {target}: no {CURRENT} to roll back")
        older = [n for n in list_releases(target) if _release_key(n) < _release_key(current)]
        if not older:
            raise PublishFailed(f"{current} is the oldest release kept in {target}: "
                                "there is nothing to roll back to")
        previous = older[-1]
        _switch_current(target, previous)
        shutil.rmtree(target / RELEASES / current, ignore_errors=True)
    return previous, current
