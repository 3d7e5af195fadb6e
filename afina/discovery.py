"""How a registry finds its members: every module of a package that defines a given attribute, so that
adding a method or an objective is adding a module."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules_defining(package: str, path: list[str], attribute: str) -> dict[str, ModuleType]:
    """The modules of `package` (its `__path__` is `path`) that define `attribute`, by module name, sorted."""
    found = {}
    for info in pkgutil.iter_modules(path):
        module = importlib.import_module(f"{package}.{info.name}")
        if hasattr(module, attribute):
            found[info.name] = module
    return dict(sorted(found.items()))
