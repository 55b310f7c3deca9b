"""Items kept between the builds of one process (the preview), as they were read.

The preview builds the site again after every save, and every build made each
of the site's items again from the content cache: Pelican's ``Article`` and
its metadata, most of a 1,000-pair preview edit's reading. A process that
builds again (``BILINGUAL_KEEP_ITEMS``) keeps each item as ``read_file``
returned it, pickled, and the next build unpickles it (in about half the
time) when nothing it was made from has changed: the file (its content
cache stamp, the md5 in the preview), the settings and the code.
Unpickling makes new objects, so a build that changes an item (planning
sets dozens of fields) never reaches the next build's copy.

What every item shares with the build is not pickled but named: the build's
settings and context are this build's, and a settings dict that the content
cache gave an item's categories and tags is the same object again.
"""

import io
import pickle

from .incremental import code_digest, settings_digest

# (content class, absolute path) -> (what the item was made with, the pickle,
# the ids of the settings copies it names).
_KEPT = {}
# Copies of the settings that items' categories, tags and authors hold, by
# id (Pelican's content cache pickles them with its entries); kept alive
# here while a kept item names them.
_SETTINGS_COPIES = {}


def build_key(site):
    """What every kept item of this build must have been made with: the code and
    the settings (the same digests as the pages' fingerprints)."""
    memo = site.build.memo
    if "kept items key" not in memo:  # (once a build: every kind is read with it)
        _forget_unnamed_copies()
        memo["kept items key"] = (code_digest(site.settings),
                                  settings_digest(site.settings, site.digester))
    return memo["kept items key"]


def restore(generator, content_class, path, made_with):
    """The item ``read_file`` made of ``path`` in an earlier build, as a new object,
    when it was made with ``made_with`` (the build's key and the file's stamp);
    else None."""
    found = _KEPT.get((content_class, path))
    if found is None or found[0] != made_with:
        return None
    return _Unpickler(io.BytesIO(found[1]), generator).load()


def keep(generator, content_class, path, made_with, item):
    """Keep ``item`` as ``read_file`` returned it, for the next build."""
    data = io.BytesIO()
    pickler = _Pickler(data, generator)
    pickler.dump(item)
    _KEPT[(content_class, path)] = (made_with, data.getvalue(), frozenset(pickler.copies))


def _forget_unnamed_copies():
    # (Each load of the content cache makes new copies: after the settings
    # changed, every item is made again from the cache and names the new one.)
    if len(_SETTINGS_COPIES) > 1:
        named = set().union(*(found[2] for found in _KEPT.values()))
        for unnamed in set(_SETTINGS_COPIES) - named:
            del _SETTINGS_COPIES[unnamed]


class _Pickler(pickle.Pickler):
    def __init__(self, file, generator):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.settings = generator.settings
        self.context = generator.context
        self.copies = set()

    def persistent_id(self, obj):
        if obj is self.settings:
            return "settings"
        if obj is self.context:
            return "context"
        if type(obj) is dict and "THEME" in obj and "PATH" in obj:
            _SETTINGS_COPIES[id(obj)] = obj
            self.copies.add(id(obj))
            return id(obj)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, generator):
        super().__init__(file)
        self.settings = generator.settings
        self.context = generator.context

    def persistent_load(self, pid):
        if pid == "settings":
            return self.settings
        if pid == "context":
            return self.context
        return _SETTINGS_COPIES[pid]
