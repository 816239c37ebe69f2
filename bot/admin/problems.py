"""What is wrong with a change, said per field: the admin page shows each beside its field."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bot.errors import Invalid


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class InvalidChange(Invalid):
    """A change refused before anything was written, with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0].message if problems else "the change is not valid"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"Nothing was saved: {first}{more}")


def refuse(field: str, message: str) -> InvalidChange:
    return InvalidChange([Problem(field, message)])
