"""Problems found in content, as staff read them: ``path:line: Field: what — fix``."""

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    fix: str
    level: str = ERROR

    def __str__(self):
        return f"{self.path}:{self.line}: {self.field}: {self.message} — {self.fix}"


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

    def summary(self):
        return (
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
            + (f", {len(self.untranslated)} untranslated item(s)" if self.untranslated else "")
            + (f", {len(self.stale)} translation(s) to update" if self.stale else "")
        )

    def lines(self, with_untranslated=False):
        """The whole report as text lines: errors, warnings, untranslated, summary."""
        lines = [f"error: {p}" for p in self.errors] + [f"warning: {p}" for p in self.warnings]
        if with_untranslated and self.untranslated:
            lines.append("Untranslated items (one language only):")
            lines += [f"  {item}" for item in self.untranslated]
        if with_untranslated and self.stale:
            lines.append("Translations that may be out of date (the original changed since):")
            lines += [f"  {item}" for item in self.stale]
        lines.append(self.summary())
        return lines
