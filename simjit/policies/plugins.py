"""Users' policy classes: ``python: module:Class`` in a scenario, or an installed entry point in
the group ``simjit.policies``. Code runs only with ``--allow-plugins`` or when the class was
installed as an entry point — a scenario file alone never runs code.

A plug-in class may declare ``Params``, a pydantic model; the scenario's ``params`` are validated
against it and passed to the class as keyword arguments.
"""

from __future__ import annotations

import importlib
import sys
from importlib.metadata import entry_points
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from simjit.errors import PluginError
from simjit.policies.base import Policy
from simjit.policies.facts import PolicyFacts
from simjit.scenario.policy_specs import PluginRef, PythonPolicy

__all__ = ["ENTRY_POINT_GROUP", "PluginKind", "load_plugin", "plugin_class"]

ENTRY_POINT_GROUP = "simjit.policies"


def _installed(ref: str) -> Any | None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ref in (ep.value, ep.name):
            return ep
    return None


def plugin_class(ref: PluginRef, allow: bool) -> type:
    """The class ``ref`` names, imported from an entry point or (when allowed) beside the scenario."""
    ep = _installed(ref.class_)
    if ep is not None:
        return ep.load()  # type: ignore[no-any-return]
    if not allow:
        raise PluginError(
            f"the scenario asks for the plug-in policy {ref.class_!r}, which would run its code; "
            f"run with --allow-plugins to allow it, or install it as a {ENTRY_POINT_GROUP!r} entry point"
        )
    module_name, _, class_name = ref.class_.partition(":")
    sys.path.insert(0, ref.search_dir)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise PluginError(
            f"cannot import the plug-in module {module_name!r} (looked beside the scenario in {ref.search_dir}): {exc}"
        ) from None
    finally:
        sys.path.remove(ref.search_dir)
    cls = getattr(module, class_name, None)
    if not isinstance(cls, type):
        raise PluginError(f"module {module_name!r} has no class {class_name!r}")
    return cls


def load_plugin(ref: PluginRef, allow: bool) -> Policy:
    """An instance of the plug-in, its parameters validated by the class's ``Params`` model if any."""
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
    return policy  # type: ignore[no-any-return]


class PluginKind:
    """The ``python`` kind: the user's class, found as :func:`plugin_class` says."""

    spec_class: ClassVar[type[PythonPolicy]] = PythonPolicy

    @classmethod
    def from_spec(cls, spec: PythonPolicy, facts: PolicyFacts) -> Policy:
        """An instance of the plug-in the spec names, if plug-ins may run."""
        return load_plugin(spec.python, facts.allow_plugins)
