"""Knowledge-base problems as values a writer can act on: which file, which item, which field, what was expected."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    id: str
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.file
        if self.id:
            where += f" [{self.id}]"
        if self.field:
            where += f" {self.field}"
        return f"{where}: {self.message}"


class KnowledgeBaseInvalid(Exception):
    """Raised instead of returning a half-loaded knowledge base."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"the knowledge base has {len(self.problems)} problem(s); first: {self.problems[0]}")

    def report(self) -> str:
        """Every problem, one per line, under a count: what a writer reads to fix the whole file set in one go."""
        return "\n".join(
            [f"The knowledge base has {len(self.problems)} problem(s):"] + [f"  {p}" for p in self.problems]
        )
