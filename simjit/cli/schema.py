"""``simjit schema [-o FILE]``: the JSON Schema of scenario files, for editors' YAML plug-ins."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

from simjit.cli.console import err
from simjit.cli.params import Opt
from simjit.errors import SimjitError

__all__ = ["schema"]


def schema(
    output: Annotated[
        Optional[Path], Opt("-o", "--output", metavar="FILE", help="Write to this file instead of stdout.")
    ] = None,
    force: Annotated[bool, Opt("--force", help="Replace FILE even if it is not a schema simjit wrote.")] = False,
) -> None:
    """Print the JSON Schema of scenario files (for YAML plug-ins of editors)."""
    from simjit.scenario import scenario_schema  # pydantic: not for `simjit --help`

    text = json.dumps(scenario_schema(), indent=2, ensure_ascii=False)
    if output is None:
        sys.stdout.write(text + "\n")
        return
    if (output.exists() or output.is_symlink()) and not force and not _ours(output):
        raise SimjitError(
            f"{output} exists and is not a scenario schema simjit wrote; choose another name, or add --force to "
            "replace it"
        )
    from simjit.experiment.files import temporary_beside

    try:
        tmp = temporary_beside(output)  # replaced whole: a symlink at FILE is replaced, never written through
        try:
            tmp.write_text(text + "\n", encoding="utf-8")
            os.replace(tmp, output)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise SimjitError(f"{output}: cannot write the schema: {exc.strerror or exc}") from None
    err.print(f"wrote {output}")


def _ours(path: Path) -> bool:
    """Whether ``path`` is a regular file holding a schema this command wrote (its ``$id``)."""
    from simjit.scenario.schema import SCHEMA_ID

    if path.is_symlink() or not path.is_file():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("$id") == SCHEMA_ID
    except (OSError, ValueError, AttributeError):
        return False
