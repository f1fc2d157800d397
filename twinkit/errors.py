"""The twinkit exception tree.

```
TwinkitError
 └── ValidationError (also ValueError)   bad input: every Problem, each with its field path
```

Later layers add their branches under `TwinkitError` (service errors mapped from botocore's
`ClientError`, transport errors, waiter time-outs); catching `TwinkitError` catches them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["Problem", "TwinkitError", "ValidationError"]


class TwinkitError(Exception):
    """Base class of every error twinkit raises."""


class Problem(NamedTuple):
    """One thing wrong with a value, and where.

    Attributes:
        path: Where, in Python names, rooted at the model class:
            `CreateEntityRequest.components['pump'].properties['rpm'].value`.
        wire_path: The same place in the API's own (camelCase) names, without the root:
            `components['pump'].properties['rpm'].value`. The emulator reports this one,
            because its clients are not all written in Python.
        message: What was expected and what was found: `expected exactly one member, got 2`.
    """

    path: str
    wire_path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ValidationError(TwinkitError, ValueError):
    """A value breaks the service model's rules: every problem found, each with its path.

    Raised when a request model is constructed with values the service would reject, when a
    union is given other than exactly one member, and when wire data cannot be converted
    to a model. All problems are collected before raising, so one error names every bad field.

    Attributes:
        problems: What is wrong, in the order found.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def paths(self) -> tuple[str, ...]:
        """The Python paths of every problem, in order."""
        return tuple(p.path for p in self.problems)

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))
