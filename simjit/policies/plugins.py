"""Users' policy classes: ``python: module:Class`` in a scenario, or an installed entry point in
the group ``simjit.policies``. Code runs only with ``--allow-plugins`` or when the class was
installed as an entry point — a scenario file alone never runs code — and a module is imported
only from the scenario's folder, never from what happens to be installed.

A plug-in class may declare ``Params``, a pydantic model; the scenario's ``params`` are validated
against it and passed to the class as keyword arguments.
"""

from __future__ import annotations

import importlib
import math
import sys
from importlib.machinery import PathFinder
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from simjit.errors import PluginError
from simjit.policies.base import Policy
from simjit.policies.facts import PolicyFacts
from simjit.scenario.policy_specs import PluginRef, PythonPolicy

__all__ = ["ENTRY_POINT_GROUP", "PluginKind", "load_plugin", "plugin_class"]

ENTRY_POINT_GROUP = "simjit.policies"
_BESIDE_SCENARIOS: set[str] = set()
"""Top-level modules this process imported from beside a scenario (another scenario may have its own)."""


def _installed(ref: str) -> Any | None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ref in (ep.value, ep.name):
            return ep
    return None


def plugin_class(ref: PluginRef, allow: bool) -> type:
    """The class ``ref`` names, from an installed entry point or (when allowed) a module beside the
    scenario, checked to be a class with a ``decide`` method before anything of it is called."""
    ep = _installed(ref.class_)
    if ep is not None:
        cls = ep.load()
    elif not allow:
        raise PluginError(
            f"the scenario asks for the plug-in policy {ref.class_!r}, which would run its code; "
            f"run with --allow-plugins to allow it, or install it as a {ENTRY_POINT_GROUP!r} entry point"
        )
    else:
        module_name, _, class_name = ref.class_.partition(":")
        cls = getattr(_module_beside(module_name, Path(ref.search_dir)), class_name, None)
    if not isinstance(cls, type):
        raise PluginError(f"plug-in policy {ref.class_}: {ref.class_.partition(':')[2]!r} is not a class there")
    if not callable(getattr(cls, "decide", None)):
        raise PluginError(
            f"plug-in policy {ref.class_} is not a policy: the class has no decide(view) method (see docs/plugins.md)"
        )
    return cls


def _module_beside(name: str, folder: Path) -> ModuleType:
    """Import module ``name`` from the scenario's folder only: an installed module of the same name
    (``subprocess``, ``os``) is refused, so a scenario can name no code but its author's."""
    top = name.partition(".")[0]
    spec = PathFinder.find_spec(top, [str(folder)])
    if spec is None or spec.origin is None:
        raise PluginError(f"cannot import the plug-in module {name!r}: no {top}.py beside the scenario in {folder}")
    loaded = sys.modules.get(top)
    if loaded is not None and getattr(loaded, "__file__", None) != spec.origin and top in _BESIDE_SCENARIOS:
        for key in [k for k in sys.modules if k == top or k.startswith(top + ".")]:
            del sys.modules[key]  # the module of the same name beside another scenario
        loaded = None
    if loaded is not None and getattr(loaded, "__file__", None) != spec.origin:
        raise PluginError(
            f"the plug-in module {name!r} beside the scenario has the name of a module already loaded from "
            f"{getattr(loaded, '__file__', None) or 'Python itself'}; rename {top}.py"
        )
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise PluginError(
            f"cannot import the plug-in module {name!r} (looked beside the scenario in {folder}): {exc}"
        ) from None
    except Exception as exc:  # its own code failed as it was imported: a syntax error, a failing import-time call
        raise PluginError(f"the plug-in module {name!r} fails as it is imported: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.remove(str(folder))
    _BESIDE_SCENARIOS.add(top)
    return module


def load_plugin(ref: PluginRef, allow: bool) -> Policy:
    """An instance of the plug-in, its parameters validated by the class's ``Params`` model if any,
    checked to answer the policy protocol (``review_period`` None or a positive number of days,
    ``history`` a whole number of days >= 0) so a broken class fails before any replication."""
    cls = plugin_class(ref, allow)
    params = dict(ref.params)
    schema = getattr(cls, "Params", None)
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        try:
            params = dict(schema.model_validate(params))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'params'}: {e['msg']}" for e in exc.errors())
            raise PluginError(f"plug-in policy {ref.class_}: invalid params: {problems}") from None
    try:
        policy = cls(**params)
    except TypeError as exc:
        raise PluginError(f"plug-in policy {ref.class_} does not accept these params: {exc}") from None
    missing = [name for name in ("decide", "review_period", "history") if not hasattr(policy, name)]
    if missing:
        raise PluginError(f"plug-in policy {ref.class_} lacks {', '.join(missing)} (see the Policy protocol)")
    period, history = policy.review_period, policy.history
    if period is not None and not (_number(period) and 0 < period < math.inf):
        raise PluginError(
            f"plug-in policy {ref.class_}: review_period must be None (review after every change) or a number "
            f"of days > 0, got {period!r}"
        )
    if not (isinstance(history, int) and not isinstance(history, bool) and history >= 0):
        raise PluginError(f"plug-in policy {ref.class_}: history must be a whole number of days >= 0, got {history!r}")
    return policy  # type: ignore[no-any-return]


def _number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


class PluginKind:
    """The ``python`` kind: the user's class, found as :func:`plugin_class` says."""

    spec_class: ClassVar[type[PythonPolicy]] = PythonPolicy

    @classmethod
    def from_spec(cls, spec: PythonPolicy, facts: PolicyFacts) -> Policy:
        """An instance of the plug-in the spec names, if plug-ins may run."""
        return load_plugin(spec.python, facts.allow_plugins)
