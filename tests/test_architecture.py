"""The layer map of ARCHITECTURE.md and STYLE rules 2 and 8, enforced by walking simjit's AST.

Imports point down: cli → report/plots → experiment → model → policies → scenario/random, and
errors imports nothing of simjit. Heavy third-party packages stay in the one layer that needs
them, randomness never comes from a global generator, and each distribution, policy and forecast
kind is declared once (ARCHITECTURE.md, "kinds"). Each failure lists file:line.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from simjit.scenario import DISTRIBUTION_KINDS, FORECAST_KINDS, POLICY_KINDS

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT.parent / "shared" / "tools" / "check_layers.py"
"""The team's reference checker (outside the repository; skipped where absent)."""

_BELOW_MODEL = {"errors", "scenario", "random", "policies", "testing"}
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "scenario": {"errors"},
    "random": {"errors", "scenario"},
    "policies": {"errors", "scenario", "random"},
    "testing": {"errors", "scenario", "random", "policies"},
    "model": _BELOW_MODEL - {"testing"},
    "experiment": _BELOW_MODEL | {"model"},
    "plots": _BELOW_MODEL | {"experiment"},  # plots read result tables, never the model
    "report": _BELOW_MODEL | {"experiment", "plots"},
    "cli": _BELOW_MODEL | {"model", "experiment", "plots", "report"},
}
"""Layer → the simjit layers it may import (besides itself)."""
LAYERS = set(MAY_IMPORT)
PACKAGE_ROOT = {"__init__", "__main__"}
"""simjit/__init__.py re-exports the public API and __main__.py runs the CLI: no layer rule."""

ONLY_IN: dict[str, tuple[str, ...]] = {
    "simpy": ("simjit/model/",),
    "matplotlib": ("simjit/plots/", "simjit/report/"),
    "yaml": ("simjit/scenario/yaml_nodes.py", "simjit/scenario/overrides.py"),  # the YAML readers
    "rich": ("simjit/cli/",),
    "argparse": ("simjit/cli/",),
    "typer": ("simjit/cli/",),  # no longer used (argparse reads the command line); the shared checker still names it
    "dask": ("simjit/experiment/",),
    "distributed": ("simjit/experiment/",),
}
"""Third-party package → the only places (path prefixes under the project root) that import it."""

NUMPY_RANDOM_ALLOWED = {"Generator", "SeedSequence", "PCG64", "BitGenerator"}
"""Types from numpy.random; anything else there (poisson, seed, default_rng…) is global or unseeded."""


@dataclass(frozen=True)
class Import:
    line: int
    module: str


def python_files(root: Path) -> list[Path]:
    return sorted((root / "simjit").rglob("*.py"))


def where(root: Path, path: Path, line: int) -> str:
    return f"{path.relative_to(root).as_posix()}:{line}"


def layer_of(root: Path, path: Path) -> str:
    """The first path component under simjit/: a subpackage or a top-level module."""
    return path.relative_to(root / "simjit").parts[0].removesuffix(".py")


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(root: Path, path: Path, tree: ast.Module) -> Iterator[Import]:
    """Every module a file imports, relative imports resolved, ``from a import b`` as ``a.b``."""
    package = path.relative_to(root).parts[:-1]  # a module's package, or an __init__'s own
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *filter(None, [node.module])])
            else:
                module = node.module or ""
            for alias in node.names:
                yield Import(node.lineno, module if alias.name == "*" else f"{module}.{alias.name}")
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            yield Import(node.lineno, node.args[0].value)  # type: ignore[attr-defined]


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    named = (isinstance(func, ast.Name) and func.id == "__import__") or (
        isinstance(func, ast.Attribute) and func.attr == "import_module"
    )
    return named and bool(node.args) and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)


# --- the checks (each returns "file:line: what" strings) --------------------------------------


def unmapped_modules(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root).as_posix()}: layer {layer_of(root, path)!r} is not in the layer map"
        for path in python_files(root)
        if layer_of(root, path) not in LAYERS | PACKAGE_ROOT
    ]


def layer_problems(root: Path) -> list[str]:
    problems = []
    for path in python_files(root):
        layer = layer_of(root, path)
        allowed = MAY_IMPORT.get(layer, LAYERS) | {layer}
        for imp in imports(root, path, parse(path)):
            parts = imp.module.split(".")
            if parts[0] == "simjit" and len(parts) > 1 and parts[1] in LAYERS and parts[1] not in allowed:
                problems.append(f"{where(root, path, imp.line)}: {layer} imports simjit.{parts[1]}")
    return problems


def third_party_problems(root: Path) -> list[str]:
    problems = []
    for path in python_files(root):
        rel = path.relative_to(root).as_posix()
        for imp in imports(root, path, parse(path)):
            top = imp.module.split(".")[0]
            if top in ONLY_IN and not rel.startswith(ONLY_IN[top]):
                problems.append(f"{where(root, path, imp.line)}: {top} imported outside {', '.join(ONLY_IN[top])}")
    return problems


def global_random_problems(root: Path) -> list[str]:
    problems = []
    for path in python_files(root):
        tree = parse(path)
        problems += [f"{where(root, path, line)}: {what}" for line, what in _global_random_uses(tree)]
    return problems


def _global_random_uses(tree: ast.Module) -> Iterator[tuple[int, str]]:
    aliases: dict[str, str] = {}  # local name → "numpy" or "numpy.random"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "random":
                    yield node.lineno, "imports the stdlib random module (use a named numpy Generator)"
                elif alias.name.split(".")[0] == "numpy":
                    aliases[alias.asname or "numpy"] = alias.name if alias.asname else "numpy"
        elif isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            if module.split(".")[0] == "random":
                yield node.lineno, "imports from the stdlib random module (use a named numpy Generator)"
            for alias in node.names:
                full = f"{module}.{alias.name}"
                if module == "numpy.random" and alias.name not in NUMPY_RANDOM_ALLOWED:
                    yield node.lineno, f"imports {full} (global or unseeded randomness)"
                elif full in {"numpy.random", "numpy"}:
                    aliases[alias.asname or alias.name] = full
    inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            dotted = _dotted(node, aliases)
            if dotted is None or not (dotted + ".").startswith("numpy.random."):
                continue
            parts = dotted.split(".")
            if len(parts) < 3 or parts[2] not in NUMPY_RANDOM_ALLOWED:
                yield node.lineno, f"uses {'.'.join(parts[:3])} (global or unseeded randomness)"


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """``np.random.poisson`` → ``numpy.random.poisson`` when ``np`` names numpy, else None."""
    attrs = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(attrs)])


def star_imports(root: Path) -> list[str]:
    return [
        f"{where(root, path, node.lineno)}: star import from {node.module}"
        for path in python_files(root)
        for node in ast.walk(parse(path))
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
    ]


def tag_literals(root: Path, tags: set[str]) -> list[tuple[str, int, str]]:
    """Every (file, line, tag) where a tag is written as a whole string literal under simjit/.

    A docstring or message that mentions a kind in passing is a longer string, so it never matches.
    """
    return sorted(
        (path.relative_to(root).as_posix(), node.lineno, node.value)
        for path in python_files(root)
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in tags
    )


def report(problems: list[str], rule: str) -> str:
    return f"{rule}:\n  " + "\n  ".join(problems)


# --- simjit obeys the rules -------------------------------------------------------------------


def test_every_module_belongs_to_a_layer() -> None:
    problems = unmapped_modules(ROOT)
    assert not problems, report(problems, "modules outside the layer map of ARCHITECTURE.md")


def test_imports_point_down_the_layers() -> None:
    problems = layer_problems(ROOT)
    assert not problems, report(problems, "imports pointing up the layers (ARCHITECTURE.md)")


def test_heavy_dependencies_stay_in_their_layer() -> None:
    problems = third_party_problems(ROOT)
    assert not problems, report(problems, "third-party imports outside their layer (STYLE rule 2)")


def test_no_global_randomness() -> None:
    problems = global_random_problems(ROOT)
    assert not problems, report(problems, "global randomness (STYLE rule 8)")


def test_no_star_imports() -> None:
    problems = star_imports(ROOT)
    assert not problems, report(problems, "star imports (STYLE rule 3)")


def test_package_is_parsed() -> None:
    # Guards the checks above against passing vacuously on an empty or moved tree.
    files = {p.relative_to(ROOT).as_posix() for p in python_files(ROOT)}
    assert {"simjit/errors.py", "simjit/random.py", "simjit/scenario/yaml_nodes.py", "simjit/cli/__init__.py"} <= files
    assert any(
        i.module.startswith("simjit.scenario")
        for i in imports(ROOT, ROOT / "simjit/random.py", parse(ROOT / "simjit/random.py"))
    )


DISTRIBUTION_PACKAGE = "simjit/scenario/distributions/"
"""The one package that may write a distribution kind's tag: each kind's model declares it, in its module."""
AWAITING_MESSAGES: set[tuple[str, str]] = set()
"""Modules allowed to name a tag for now (none: messages.py reads the hints from the registry)."""
HOMONYMS = {
    ("simjit/cli/__init__.py", "trace"),
    ("simjit/cli/trace.py", "trace"),
    ("simjit/experiment/__init__.py", "trace"),
}
"""Words that are a kind's tag by coincidence: the ``simjit trace`` command and the ``simjit.experiment.trace``
module are not the ``trace:`` distribution."""


def test_every_distribution_kind_is_declared_once() -> None:
    tags = set(DISTRIBUTION_KINDS) - {"constant"}  # a bare number: no model (and also a price's tag)
    uses = tag_literals(ROOT, tags)
    declared = sorted(tag for file, _, tag in uses if file.startswith(DISTRIBUTION_PACKAGE))
    assert declared == sorted(tags), f"each tag is written exactly once in {DISTRIBUTION_PACKAGE}"
    outside = [(file, line, tag) for file, line, tag in uses
               if not file.startswith(DISTRIBUTION_PACKAGE) and (file, tag) not in HOMONYMS]  # fmt: skip
    problems = [f"{file}:{line}: {tag!r}" for file, line, tag in outside if (file, tag) not in AWAITING_MESSAGES]
    assert not problems, report(problems, f"distribution kinds named outside {DISTRIBUTION_PACKAGE}")
    assert {(file, tag) for file, _, tag in outside} == AWAITING_MESSAGES, "a pending exception is gone: drop it"


POLICY_REGISTRY = "simjit/scenario/policy_specs.py"
"""The one module that may write a policy or forecast kind's tag: each kind's model declares it there."""


@pytest.mark.parametrize("family", [POLICY_KINDS, FORECAST_KINDS], ids=["policy", "forecast"])
def test_every_policy_and_forecast_kind_is_declared_once(family: tuple[str, ...]) -> None:
    uses = tag_literals(ROOT, set(family))
    declared = sorted(tag for file, _, tag in uses if file == POLICY_REGISTRY)
    assert declared == sorted(family), f"each tag is written exactly once in {POLICY_REGISTRY}"
    problems = [f"{file}:{line}: {tag!r}" for file, line, tag in uses if file != POLICY_REGISTRY]
    assert not problems, report(problems, f"policy and forecast kinds named outside {POLICY_REGISTRY}")


def test_tag_literals_sees_every_quoted_tag_and_no_prose(tmp_path: Path) -> None:
    files = {
        "simjit/scenario/distributions/parametric.py": 'class Poisson:\n    """poisson: counts."""\n    tag = "poisson"\n',
        "simjit/model/demand.py": 'if key == "poisson":\n    hints = {("normal", "sd"): "normal or poisson"}\n',
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert tag_literals(tmp_path, {"poisson", "normal"}) == [
        ("simjit/model/demand.py", 1, "poisson"),
        ("simjit/model/demand.py", 2, "normal"),
        ("simjit/scenario/distributions/parametric.py", 3, "poisson"),
    ]


# --- agreement with the reference checker -----------------------------------------------------


def _tool_tables() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The checker's FORBIDDEN and ONLY_IN tables, by running its module-level assignments alone (it computes
    them from a ranking of layers, some of which, such as runs/ and studies/, do not exist here yet)."""
    tables = ("RANK", "FORBIDDEN", "ONLY_IN")
    body = []
    for node in parse(TOOL).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        while isinstance(target, ast.Subscript):
            target = target.value
        if isinstance(node, ast.Assign | ast.AugAssign) and isinstance(target, ast.Name) and target.id in tables:
            body.append(node)
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(body=body, type_ignores=[]), str(TOOL), "exec"), namespace)  # the team's own file
    return namespace["FORBIDDEN"], namespace["ONLY_IN"]


needs_tool = pytest.mark.skipif(not TOOL.is_file(), reason=f"{TOOL} not present")


@needs_tool
def test_reference_checker_passes() -> None:
    done = subprocess.run([sys.executable, str(TOOL), str(ROOT)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@needs_tool
def test_layer_map_agrees_with_reference_checker() -> None:
    """Our map and the checker's agree on every layer that exists here (the checker also ranks layers the
    house issue will add: stats, runs, studies, tables)."""
    forbidden, only_in = _tool_tables()
    ours = {layer: LAYERS - MAY_IMPORT[layer] - {layer} for layer in MAY_IMPORT}
    assert {layer: ours[layer] for layer in forbidden if layer in LAYERS} == {
        layer: theirs & LAYERS for layer, theirs in forbidden.items() if layer in LAYERS
    }
    assert not ours["cli"], "the CLI sits on top and may import every layer"
    for package, layers in only_in.items():
        prefixes = {f"simjit/{layer}/" for layer in layers if layer in LAYERS}
        assert set(ONLY_IN[package]) == prefixes, package


# --- the checks can fail ----------------------------------------------------------------------

BAD_TREE = {
    "simjit/__init__.py": "import simpy\n",
    "simjit/errors.py": "from simjit.scenario import Scenario\n",
    "simjit/random.py": "import numpy as np\nfrom simjit import model\nx = np.random.poisson(3)\n",
    "simjit/policies/__init__.py": "",
    "simjit/policies/eoq.py": (
        "from ..model import network\n"
        "import random\n"
        "from numpy.random import default_rng\n"
        "from numpy import random as npr\n"
        "npr.seed(1)\n"
        "r = npr.Generator\n"
    ),
    "simjit/scenario/__init__.py": "from .loader import *\n",
    "simjit/scenario/loader.py": "import yaml\nimport numpy.random\nnumpy.random.shuffle([])\n",
    "simjit/scenario/yaml_nodes.py": "import yaml\n",
    "simjit/plots/frontier.py": "import matplotlib.pyplot as plt\nfrom simjit.model.ledger import Ledger\n",
    "simjit/report/html.py": "from simjit.plots import frontier\nimport numpy as np\nrng = np.random.default_rng()\n",
    "simjit/experiment/backends.py": "import importlib\ndask = importlib.import_module('dask.distributed')\n",
    "simjit/model/network.py": "import simpy\nimport rich\n",
    "simjit/cli/__init__.py": "import rich\nfrom simjit import __version__\nfrom simjit.report import html\n",
    "simjit/helpers.py": "from random import choice\n",
}


@pytest.fixture
def bad_root(tmp_path: Path) -> Path:
    for rel, text in BAD_TREE.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_checks_report_offenders_by_file_and_line(bad_root: Path) -> None:
    assert unmapped_modules(bad_root) == ["simjit/helpers.py: layer 'helpers' is not in the layer map"]
    assert layer_problems(bad_root) == [
        "simjit/errors.py:1: errors imports simjit.scenario",
        "simjit/plots/frontier.py:2: plots imports simjit.model",
        "simjit/policies/eoq.py:1: policies imports simjit.model",
        "simjit/random.py:2: random imports simjit.model",
    ]
    assert third_party_problems(bad_root) == [
        "simjit/__init__.py:1: simpy imported outside simjit/model/",
        "simjit/model/network.py:2: rich imported outside simjit/cli/",
        "simjit/scenario/loader.py:1: yaml imported outside simjit/scenario/yaml_nodes.py, simjit/scenario/overrides.py",
    ]
    assert global_random_problems(bad_root) == [
        "simjit/helpers.py:1: imports from the stdlib random module (use a named numpy Generator)",
        "simjit/policies/eoq.py:2: imports the stdlib random module (use a named numpy Generator)",
        "simjit/policies/eoq.py:3: imports numpy.random.default_rng (global or unseeded randomness)",
        "simjit/policies/eoq.py:5: uses numpy.random.seed (global or unseeded randomness)",
        "simjit/random.py:3: uses numpy.random.poisson (global or unseeded randomness)",
        "simjit/report/html.py:3: uses numpy.random.default_rng (global or unseeded randomness)",
        "simjit/scenario/loader.py:3: uses numpy.random.shuffle (global or unseeded randomness)",
    ]
    assert star_imports(bad_root) == ["simjit/scenario/__init__.py:1: star import from loader"]


def test_dynamic_imports_are_seen(bad_root: Path) -> None:
    path = bad_root / "simjit/experiment/backends.py"
    assert Import(2, "dask.distributed") in list(imports(bad_root, path, parse(path)))


@needs_tool
def test_we_flag_everything_the_reference_checker_flags(bad_root: Path) -> None:
    done = subprocess.run([sys.executable, str(TOOL), str(bad_root)], capture_output=True, text=True, timeout=60)
    theirs = {line.split(": ")[0] for line in done.stdout.splitlines()}
    ours = {p.split(": ")[0] for p in layer_problems(bad_root) + third_party_problems(bad_root)}
    assert done.returncode == 1 and theirs
    assert theirs <= ours, f"missed: {sorted(theirs - ours)}"
