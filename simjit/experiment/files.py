"""Writing JSON result files so that a reader or a crash never sees half of one (the Parquet files
are :mod:`simjit.experiment.parquet`'s, which imports pyarrow: this module must not)."""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["clean_json", "temporary_beside", "write_json"]


def clean_json(value: Any) -> Any:
    """JSON-ready: non-finite floats become null, numpy scalars plain numbers."""
    if isinstance(value, dict):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    pandas = sys.modules.get("pandas")  # a pandas NA can only come from a loaded pandas: never import it here
    if pandas is not None and value is pandas.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def temporary_beside(path: Path) -> Path:
    """A new, empty file beside ``path`` to write before renaming it over ``path``: created exclusively
    under a fresh name (``.NAME.XXXX.tmp``), so a file or symlink someone planted is never written through."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def write_json(path: Path, doc: Any) -> None:
    """Write atomically: a reader (or a crash) never sees half a file."""
    tmp = temporary_beside(path)
    try:
        tmp.write_text(json.dumps(clean_json(doc), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
