"""The permission matrix's vocabulary: which world roles may use a URL, and how to build its args.

Each app lists its URLs in tests/<app>/access_cases.py as `CASES`; tests/test_access.py runs every
case for every role and fails when a URL name of the app is in no case.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The people of the `world` fixture (tests/conftest.py), plus anonymous.
ROLES = ["admin", "mentor", "mentee", "other_mentor", "other_mentee", "outsider", "outsider_admin"]


@dataclass(frozen=True)
class Case:
    name: str  # URL name, e.g. "programs:dyad"
    args: Callable[[Any], list] = lambda world: []
    ok: frozenset[str] = frozenset()  # roles that may use it: 200, or 302 after a POST
    method: str = "get"
    data: Callable[[Any], dict] = field(default=lambda world: {})
    public: bool = False  # no login needed (anonymous gets what `ok` roles get)
    label: str = ""  # tells apart two cases of the same URL

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}-{self.method}"


def roles(*names: str) -> frozenset[str]:
    unknown = set(names) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return frozenset(names)


EVERYONE = roles(*ROLES)
