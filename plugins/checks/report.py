"""Problems found in content, as staff read them: ``path:line: Field: what — fix``.

Messages and fixes are :class:`~bilingual.i18n.Message` objects: English as
strings, said in the staff's language (Japanese by default) when a report is
shown, through the theme's catalogs.
"""

from dataclasses import dataclass, field

from bilingual.i18n import N_, Listing, Message, said

ERROR = "error"
WARNING = "warning"
LEVELS = {ERROR: N_("error: %(problem)s"), WARNING: N_("warning: %(problem)s")}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    fix: str
    level: str = ERROR

    def __str__(self):
        return self.said()

    def said(self, gettext=None):
        """The problem in the language of ``gettext`` (English without)."""
        return (f"{self.path}:{self.line}: {self.field}: {said(self.message, gettext)} — "
                f"{said(self.fix, gettext)}")


@dataclass
class Report:
    """Everything the checks found, plus the list of untranslated items."""

    problems: list = field(default_factory=list)
    untranslated: list = field(default_factory=list)
    # Translations whose original changed since: "news/slug: en (from ja)".
    stale: list = field(default_factory=list)

    @property
    def errors(self):
        return sorted(p for p in self.problems if p.level == ERROR)

    @property
    def warnings(self):
        return sorted(p for p in self.problems if p.level == WARNING)

    def summary(self, gettext=None):
        parts = [Message(N_("%(count)d error(s)"), count=len(self.errors)),
                 Message(N_("%(count)d warning(s)"), count=len(self.warnings))]
        if self.untranslated:
            parts.append(Message(N_("%(count)d untranslated item(s)"),
                                 count=len(self.untranslated)))
        if self.stale:
            parts.append(Message(N_("%(count)d translation(s) to update"),
                                 count=len(self.stale)))
        return said(Listing(parts), gettext)

    def lines(self, with_untranslated=False, gettext=None):
        """The whole report as text lines (errors, warnings, untranslated, summary), in
        the language of ``gettext`` (English without)."""
        lines = [said(Message(LEVELS[p.level], problem=p.said(gettext)), gettext)
                 for p in self.errors + self.warnings]
        if with_untranslated and self.untranslated:
            lines.append(said(Message(N_("Untranslated items (one language only):")), gettext))
            lines += [f"  {said(item, gettext)}" for item in self.untranslated]
        if with_untranslated and self.stale:
            lines.append(said(Message(N_("Translations that may be out of date (the original "
                                         "changed since):")), gettext))
            lines += [f"  {said(item, gettext)}" for item in self.stale]
        lines.append(self.summary(gettext))
        return lines
