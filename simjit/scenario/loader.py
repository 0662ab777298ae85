"""Read a scenario file into a validated :class:`Scenario`, or raise every problem in it at once."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError

from simjit.errors import Problem, ScenarioError
from simjit.scenario.messages import dotted, problems_from
from simjit.scenario.models import Scenario
from simjit.scenario.overrides import apply_overrides, touches
from simjit.scenario.references import check_references
from simjit.scenario.signals import check_demand_signals
from simjit.scenario.warnings import scenario_warnings
from simjit.scenario.yaml_nodes import Located, parse_yaml

__all__ = ["load_scenario", "read_text", "validate_data"]

MAX_BYTES = 10 * 1024 * 1024


def read_text(path: FilePath) -> str:
    """The file's text, with a clear error for every way reading it can fail."""
    shown = str(path)
    if not path.exists():
        raise ScenarioError.single("no such file", shown, hint="check the path and the current directory")
    if path.is_dir():
        raise ScenarioError.single("this is a directory, not a scenario file", shown)
    try:
        raw = _read_bounded(path, shown)
    except OSError as exc:
        raise ScenarioError.single(f"cannot read the file: {exc.strerror or exc}", shown) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError.single(f"the file holds over {MAX_BYTES:,} bytes; a scenario is at most that", shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError.single(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            shown,
            line=line,
            column=column,
            hint="save it as UTF-8",
        ) from None
    if not text.strip():
        raise ScenarioError.single(
            "the file is empty; a scenario needs at least name, horizon, items, sites, demand and policies", shown
        )
    return text


def _read_bounded(path: FilePath, shown: str) -> bytes:
    """At most ``MAX_BYTES + 1`` bytes of a regular file. Opened without waiting (a FIFO would block
    until a writer comes) and checked by what is open, so a device (``/dev/zero``: endless), a FIFO or
    a socket is refused before a byte is read, and a file larger than the limit is never read whole."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError.single(
                f"this is {_file_kind(info.st_mode)}, not a regular file",
                shown,
                hint="a scenario is read from a file: save it to one first",
            )
        if info.st_size > MAX_BYTES:
            raise ScenarioError.single(
                f"the file is {info.st_size:,} bytes; a scenario is at most {MAX_BYTES:,}", shown
            )
        return fh.read(MAX_BYTES + 1)


def _file_kind(mode: int) -> str:
    kinds = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "not a file")


def load_scenario(
    source: str | FilePath | Mapping[str, Any],
    overrides: str | Sequence[str] | None = (),
    *,
    base_dir: str | FilePath = ".",
    files_anywhere: bool = False,
) -> Scenario:
    """Load, override (``--set``), validate and cross-check a scenario: a file's path, YAML text
    (a string holding a line break), or a mapping as ``yaml.safe_load`` would give. Problems are
    named by file and line for a file or text (``<text>``), by field for a mapping (``<dict>``);
    ``base_dir`` is where a text's or mapping's ``trace:`` files are looked up; they must lie in
    that folder (the scenario's) unless ``files_anywhere``. ``overrides`` are ``--set`` texts,
    ``"path=value"`` each; a single text is one override (``"horizon=5"``), not its characters."""
    overrides = (overrides,) if isinstance(overrides, str) else tuple(overrides or ())
    if isinstance(source, Mapping):
        return validate_data(Located(dict(source)), "<dict>", FilePath(base_dir), overrides, files_anywhere)
    if isinstance(source, str) and "\n" in source:
        return validate_data(parse_yaml(source, "<text>"), "<text>", FilePath(base_dir), overrides, files_anywhere)
    if not isinstance(source, (str, os.PathLike)):
        raise ScenarioError.single(
            f"expected a scenario file's path, YAML text or a mapping, got {type(source).__name__}", "<scenario>"
        )
    file = FilePath(source)
    located = parse_yaml(read_text(file), str(source))
    return validate_data(located, str(source), file.resolve().parent, overrides, files_anywhere)


def validate_data(
    located: Located, file: str, base_dir: FilePath, overrides: Sequence[str] = (), files_anywhere: bool = False
) -> Scenario:
    """Validate data read from YAML (with positions) into a Scenario; every problem at once."""
    if not isinstance(located.data, dict):
        line, column = located.where(())
        raise ScenarioError.single(
            f"the top level must be a mapping of fields (name:, horizon:, …), got {_kind(located.data)}",
            file,
            line=line,
            column=column,
        )
    try:
        data, origin = apply_overrides(located.data, overrides) if overrides else (located.data, {})
    except ScenarioError as exc:
        raise ScenarioError(exc.problems, file) from None
    shadow = Located(data, located.values, located.keys)
    try:
        context = {"base_dir": str(base_dir), "files_anywhere": files_anywhere}
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        raise ScenarioError(_sorted(problems_from(exc, shadow, Scenario, origin)), file) from None
    problems = []
    for f in check_references(scenario) or check_demand_signals(scenario):
        source = next((f"--set {t}" for p, t in origin.items() if touches(f.path, p)), None)
        line, col = (None, None) if source else shadow.where(f.path)
        problems.append(Problem(dotted(f.path), f.message, line, col, f.hint, source))
    if problems:
        raise ScenarioError(_sorted(problems), file)
    warned = []
    for f in scenario_warnings(scenario):
        line, col = shadow.where(f.path)
        warned.append(Problem(dotted(f.path), f.message, line, col, f.hint))
    scenario._warnings = tuple(_sorted(warned))
    scenario._source_dir = str(FilePath(base_dir).resolve())
    return scenario


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.source is not None, p.line or 0, p.column or 0))


def _kind(value: Any) -> str:
    return {list: "a list", str: "a text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
