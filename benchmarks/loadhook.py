"""For benchmark drivers run in a fresh interpreter: change a module of ours as it is first imported.

Used by bench_readahead.py and bench_build_timeline.py, whose commands import the build path late (inside
``drafting build``), so functions are replaced or timed as their modules load, without importing them ahead.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any


def on_import(callbacks: dict[str, Callable[[ModuleType], None]]) -> None:
    """Call ``callbacks[name](module)`` right after module ``name`` has run, the first time it is imported."""

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            callback = callbacks.get(name)
            if callback is None:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path, target)
            run = spec.loader.exec_module  # type: ignore[union-attr]

            def exec_module(module: ModuleType) -> None:
                run(module)
                callback(module)

            spec.loader.exec_module = exec_module  # type: ignore[union-attr, method-assign]
            return spec

    sys.meta_path.insert(0, Hook())


def wrap(owner: Any, name: str, before: Callable[..., None] | None = None, after: Callable[..., None] | None = None) -> None:
    """Replace ``owner.name`` by a function that calls ``before`` with the call's arguments, the original,
    then ``after`` with the same arguments (also when the original raises)."""
    function = getattr(owner, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if before is not None:
            before(*args, **kwargs)
        try:
            return function(*args, **kwargs)
        finally:
            if after is not None:
                after(*args, **kwargs)

    setattr(owner, name, wrapped)
