"""What an import brought (or would bring): counts by the statistical fields.

Counted from the parsed records as they stream past, so a dry run and a real
run print the same report, and the file is read once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from brik.exchange import mapping

MISSING = "(missing)"


@dataclass
class ImportReport:
    rows: int = 0
    year: Counter = field(default_factory=Counter)
    gender: Counter = field(default_factory=Counter)
    age_band: Counter = field(default_factory=Counter)
    citizenship: Counter = field(default_factory=Counter)
    country_of_exploitation: Counter = field(default_factory=Counter)
    # Per CTDC flag: how many rows say 1 (yes), 0 (no), or nothing.
    exploitation: dict[str, Counter] = field(default_factory=dict)

    def add(self, record: dict) -> None:
        self.rows += 1
        self.year[record["year"] or MISSING] += 1
        self.gender[record["gender"] or MISSING] += 1
        self.age_band[record["age_band"] or MISSING] += 1
        for code in record["citizenships"] or [MISSING]:
            self.citizenship[code] += 1
        for code in record["countries_of_exploitation"] or [MISSING]:
            self.country_of_exploitation[code] += 1
        for flag in mapping.CTDC_EXPLOITATION_FLAGS:
            value = record["exploitation"].get(flag)
            answer = MISSING if value is None else ("yes" if value else "no")
            self.exploitation.setdefault(flag, Counter())[answer] += 1

    def sections(self) -> list[tuple[str, Counter]]:
        sections = [
            ("year", self.year),
            ("gender", self.gender),
            ("age band", self.age_band),
            ("citizenship", self.citizenship),
            ("country of exploitation", self.country_of_exploitation),
        ]
        sections += [
            (flag, self.exploitation.get(flag, Counter())) for flag in sorted(self.exploitation)
        ]
        return sections

    def as_text(self) -> str:
        lines = [f"rows: {self.rows}"]
        for title, counts in self.sections():
            values = ", ".join(
                f"{k}: {n}" for k, n in sorted(counts.items(), key=lambda i: str(i[0]))
            )
            lines.append(f"{title}: {values}")
        return "\n".join(lines)
