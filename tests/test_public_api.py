"""The public surface: what `import twinkit` promises, documented and importable."""

from __future__ import annotations

import inspect
import pickle

import twinkit
from twinkit import errors


def test_every_exported_name_exists_and_is_documented() -> None:
    for name in twinkit.__all__:
        obj = getattr(twinkit, name)
        if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj):
            assert inspect.getdoc(obj), f"twinkit.{name} has no docstring"


def test_private_modules_do_not_leak_into_names() -> None:
    assert twinkit.TwinMaker.__module__ == "twinkit"
    assert repr(twinkit.TwinMaker).startswith("<class 'twinkit.TwinMaker'")
    assert twinkit.ValidationError.__module__ == "twinkit.errors"


def test_public_classes_pickle_by_their_public_names() -> None:
    error = errors.ResourceNotFoundError("gone", code="ResourceNotFoundException")
    assert type(pickle.loads(pickle.dumps(error))) is errors.ResourceNotFoundError
    assert pickle.loads(pickle.dumps(twinkit.TwinMaker)) is twinkit.TwinMaker


def test_every_public_method_of_the_resources_is_documented() -> None:
    for name in twinkit.resources.__all__:
        obj = getattr(twinkit.resources, name)
        if not inspect.isclass(obj):
            continue
        for attr, member in vars(obj).items():
            if attr.startswith("_") or (not callable(member) and not isinstance(member, property)):
                continue
            assert inspect.getdoc(member), f"{name}.{attr} has no docstring"
