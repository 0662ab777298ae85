"""``simjit schema [-o FILE]``: the JSON Schema of scenario files, for editors' YAML plug-ins."""

from __future__ import annotations

import json
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
) -> None:
    """Print the JSON Schema of scenario files (for YAML plug-ins of editors)."""
    from simjit.scenario import scenario_schema  # pydantic: not for `simjit --help`

    text = json.dumps(scenario_schema(), indent=2, ensure_ascii=False)
    if output is None:
        sys.stdout.write(text + "\n")
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise SimjitError(f"{output}: cannot write the schema: {exc.strerror or exc}") from None
    err.print(f"wrote {output}")
