"""Digests of the values a page is made from: stable across builds and processes.

:class:`Digester` turns any value a template may read (content items, lists,
dicts, dates, functions, objects with fields) into a short hex digest that is
the same in every build for the same data: content items by their fields
(their text, metadata, URL, the items they link to, those by their own fields
without their text), sets sorted, cycles cut, build state left out. Page and
file fingerprints (``incremental``) are made of such digests.
"""

import datetime
import enum
import hashlib
import json
import os
import types

from pelican.contents import Content
from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper

from .build import BuildState

# Attributes of content items that hold the whole site (settings, context).
SKIPPED_ATTRIBUTES = frozenset({"_context", "settings", "_cache"})
# Fields of linked items (not the page's own) that templates never show.
LINKED_ITEM_SKIPPED = frozenset({"_content"})
FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                  types.BuiltinMethodType, type)

class Digester:
    """Stable digests of template variables, the same in every build of the same site.

    Values are encoded as JSON (fast, in C); whatever JSON has no form for
    (content items, dates, other objects) is encoded by :meth:`token`. The
    page's own variables are level 0; an object's fields are one level
    down. Content items at level 0 count in full; below (a translation, a
    project an article links to, the items of a tag) by their own data
    without their text and without the objects they link to: templates show
    only the page's own items' text.

    Objects shared by many pages (an archive's items, the tags of a
    language) are encoded once: tokens are memoized by identity for the
    build (the memo keeps the objects alive, so identities stay unique),
    except where a reference cycle was cut, whose token depends on where
    the walk started.
    """

    def __init__(self):
        self.memo = {}
        self.level = 0
        self.active = set()
        self.cut = False

    def item_tokens(self):
        """[[id, level, token]] of the content items this digester encoded (for
        ``adopt_item_tokens`` in the process this one was forked from)."""
        return [[key[0], key[1], token] for key, (token, value) in self.memo.items()
                if isinstance(value, Content)]

    def adopt_item_tokens(self, tokens, items):
        """Take the tokens a forked process found for ``items`` (``item_tokens``).

        The items are the same objects there (a fork copies the memory as it
        is, addresses included), so the processes forked next digest none of
        them again: the list pages show the items whose pages other processes
        fingerprinted, and digesting an item is most of a list page's
        fingerprint. Tokens this digester has already are kept.
        """
        by_id = {id(item): item for item in items}
        for identity, level, token in tokens:
            item = by_id.get(identity)
            if item is not None:
                self.memo.setdefault((identity, level), (token, item))

    def digest(self, value):
        return hashlib.blake2b(self.encode(value).encode("utf-8", "surrogatepass"),
                               digest_size=16).hexdigest()

    def encode(self, value):
        try:
            return json.dumps(value, sort_keys=True, ensure_ascii=False, default=self.token)
        except (TypeError, ValueError):  # keys that are not strings, or a cycle of lists
            return json.dumps(self.with_string_keys(value), sort_keys=True,
                              ensure_ascii=False, default=self.token)

    def with_string_keys(self, value, seen=None):
        seen = set() if seen is None else seen
        if isinstance(value, (dict, list, tuple)):
            if id(value) in seen:
                return "cycle"
            seen = seen | {id(value)}
        if isinstance(value, dict):
            return {repr(key): self.with_string_keys(element, seen)
                    for key, element in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.with_string_keys(element, seen) for element in value]
        return value

    def token(self, value):
        """The encoding of a value JSON cannot encode."""
        key = (id(value), 1 if self.level else 0)
        found = self.memo.get(key)
        if found is not None:  # (most calls: the items of every list page, ...)
            return found[0]
        simple = simple_token(value)
        if simple is not None:
            return simple
        if key in self.active:
            self.cut = True
            return "cycle"
        outer_cut, self.cut = self.cut, False
        self.active.add(key)
        self.level += 1
        try:
            encoded = type(value).__qualname__ + self.encode(self.fields(value))
        finally:
            self.level -= 1
            self.active.discard(key)
        cyclic, self.cut = self.cut, outer_cut or self.cut
        token = hashlib.blake2b(encoded.encode("utf-8", "surrogatepass"),
                                digest_size=16).hexdigest()
        if not cyclic:
            self.memo[key] = (token, value)
        return token

    def fields(self, value):
        if isinstance(value, BuildState):
            return "state of the run"  # (its clock reaches pages through their items)
        if isinstance(value, Content):
            fields = {name: field for name, field in vars(value).items()
                      if name not in SKIPPED_ATTRIBUTES}
            if self.level > 1:  # a linked item (we are inside its fields already)
                # (Most fields are strings, numbers or None: known by their
                # type without a call; a linked item's fields were a third of
                # the calls of a preview edit's fingerprints.)
                fields = {name: field for name, field in fields.items()
                          if name not in LINKED_ITEM_SKIPPED
                          and (type(field) in PLAIN_EXACT_TYPES or is_plain(field))}
            elif isinstance(fields.get("_content"), str):
                # The page's own text, hashed as it is: escaping it into JSON
                # first was a quarter of fingerprinting an article's page.
                fields["_content"] = "h" + hashlib.blake2b(
                    fields["_content"].encode("utf-8", "surrogatepass"), digest_size=16
                ).hexdigest()
            return fields
        if isinstance(value, (set, frozenset)):
            return sorted(self.encode(element) for element in value)
        if isinstance(value, FUNCTION_TYPES):
            # The code is in the site digest; a bound method's object is data.
            owner = getattr(value, "__self__", None)
            if isinstance(owner, types.ModuleType):
                owner = None
            return [getattr(value, "__module__", ""), getattr(value, "__qualname__", ""), owner]
        fields = object_fields(value)
        if fields is None:
            return stable_repr(value)
        return fields


# The encodings of values without fields, by type, tried in order.
SIMPLE_TOKENS = (
    ((datetime.date, datetime.time), lambda value: (
        f"t{value.isoformat()}{getattr(value, 'tzinfo', None)}")),
    (enum.Enum, lambda value: f"e{value!r}"),
    (types.ModuleType, lambda value: f"m{value.__name__}"),  # code: in the site digest
    (type, lambda value: f"y{value.__module__}.{value.__qualname__}"),
    # The site: its outputs are digested.
    (Generator, lambda value: f"g{type(value).__qualname__}"),
    (bytes, lambda value: "b" + hashlib.blake2b(value, digest_size=16).hexdigest()),
    # A tag, category or author: its name and slug (its URLs come from the
    # settings, digested once). Every item has its own, so this shortcut
    # saves walking thousands of them.
    (URLWrapper, lambda value: f"u{type(value).__name__}\0{value.name}\0{value.slug}"),
)


def simple_token(value):
    """The encoding of a value without fields, or None."""
    for kinds, token in SIMPLE_TOKENS:
        if isinstance(value, kinds):
            return token(value)
    return None


def object_fields(value):
    """An object's fields (``__dict__`` and ``__slots__``), or None when it has none."""
    fields = {}
    if hasattr(value, "__dict__"):
        fields.update((name, field) for name, field in vars(value).items()
                      if name not in SKIPPED_ATTRIBUTES)
    for cls in type(value).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if hasattr(value, name):
                fields[name] = getattr(value, name)
    if not fields and not hasattr(value, "__dict__"):
        return None
    return fields


def stable_repr(value):
    """``repr``, unless it shows a memory address (then the page is always rendered)."""
    text = repr(value)
    if " at 0x" in text:
        return f"unstable {id(value)} {os.getpid()} {text}"
    return text


PLAIN_TYPES = (str, bytes, int, float, bool, type(None), datetime.date, datetime.time)
PLAIN_EXACT_TYPES = frozenset(PLAIN_TYPES)


# Types found plain (subclasses of the plain types, such as Pelican's
# SafeDatetime or Markup) and types found to be objects, as they are met:
# for a value that is no container the answer depends on its type alone.
# (A linked item's fields are tested one by one: 80,000 tests a preview edit.)
_PLAIN_TYPES_MET = set(PLAIN_TYPES)
_OBJECT_TYPES_MET = set()


def is_plain(value, depth=0):
    """Whether ``value`` is data only (no objects), a few containers deep at most."""
    kind = type(value)
    if kind in _PLAIN_TYPES_MET:
        return True
    if kind in _OBJECT_TYPES_MET:
        return False
    if isinstance(value, PLAIN_TYPES):
        _PLAIN_TYPES_MET.add(kind)
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return depth < 3 and all(is_plain(element, depth + 1) for element in value)
    if isinstance(value, dict):
        return depth < 3 and all(is_plain(key, depth + 1) and is_plain(element, depth + 1)
                                 for key, element in value.items())
    _OBJECT_TYPES_MET.add(kind)
    return False
