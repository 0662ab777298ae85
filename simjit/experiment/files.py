"""Writing result files so that a reader or a crash never sees half of one: JSON written atomically,
Parquet parts synced to disk before they are named, tables concatenated a row group at a time."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simjit.experiment.columns import ID_COLUMNS, VARIANT
from simjit.experiment.plan import Plan

__all__ = ["FLUSH_CELLS", "clean_json", "copy_without", "param_arrays", "write_durably", "write_json", "write_table"]

FLUSH_CELLS = 1 << 18
"""Rows × columns buffered before a row group of replications.parquet is written (memory bound)."""


def clean_json(value: Any) -> Any:
    """JSON-ready: non-finite floats become null, numpy scalars plain numbers."""
    if isinstance(value, dict):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    if value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path: Path, doc: Any) -> None:
    """Write atomically: a reader (or a crash) never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(clean_json(doc), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def write_table(
    target: Path, schema: pa.Schema, params: dict[str, pa.Array], variant_row: dict[str, int],
    parts: Sequence[Path], csv: bool,
) -> list[Path]:  # fmt: skip
    """Concatenate ``parts`` into ``target`` (and its .csv) with ``schema``: absent columns null,
    the swept parameters looked up by variant; atomically, a row group of at most ~FLUSH_CELLS."""
    written = [target]
    parquet = pq.ParquetWriter(target.with_name(target.name + ".tmp"), schema)
    text = None
    if csv:
        import pyarrow.csv as pacsv

        written.append(target.with_suffix(".csv"))
        text = pacsv.CSVWriter(written[1].with_name(written[1].name + ".tmp"), schema)
    own = [n for n in schema.names if n not in params]
    buffer: list[pa.Table] = []

    def flush() -> None:
        if buffer:
            table = pa.concat_tables(buffer)
            parquet.write_table(table)
            if text is not None:
                text.write_table(table)
            buffer.clear()

    for path in parts:
        part = pq.read_table(path)
        at = pa.array([variant_row[v] for v in part[VARIANT].to_pylist()], pa.int64())
        columns = [part[n] if n in part.column_names else pa.nulls(len(part), schema.field(n).type) for n in own]
        table = pa.Table.from_arrays(columns, names=own)
        for i, (name, values) in enumerate(params.items(), start=len(ID_COLUMNS)):
            table = table.add_column(i, name, values.take(at))
        buffer.append(table.cast(schema))
        if sum(t.num_rows for t in buffer) * len(schema) >= FLUSH_CELLS:
            flush()
    flush()
    parquet.close()
    if text is not None:
        text.close()
    for path in written:
        os.replace(path.with_name(path.name + ".tmp"), path)
    return written


def write_durably(table: pa.Table, path: Path) -> None:
    """Write a part so that after a crash it is either whole or absent: a temporary file, synced
    to disk, renamed over the name, and the rename synced (the directory entry)."""
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    try:
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError:  # a platform that cannot open directories (Windows): the rename is what it is
        return
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def copy_without(source: Path, target: Path, drop: Sequence[str]) -> None:
    """Copy a Parquet file without some columns, a row group at a time, atomically."""
    table = pq.ParquetFile(source)
    columns = [n for n in table.schema_arrow.names if n not in drop]
    tmp = target.with_name(target.name + ".tmp")
    with pq.ParquetWriter(tmp, pa.schema([table.schema_arrow.field(n) for n in columns])) as writer:
        for group in range(table.num_row_groups):
            writer.write_table(table.read_row_group(group, columns=columns))
    os.replace(tmp, target)


def param_arrays(plan: Plan) -> dict[str, pa.Array]:
    """One array per swept parameter, one value per variant: numbers stay numbers, the rest is text."""
    names = dict.fromkeys(k for v in plan.variants for k in v.params)
    out = {}
    for name in names:
        values = [v.params.get(name) for v in plan.variants]
        present = [x for x in values if x is not None]
        if all(isinstance(x, bool) for x in present):
            out[name] = pa.array(values, pa.bool_())
        elif all(isinstance(x, int) and not isinstance(x, bool) for x in present):
            out[name] = pa.array(values, pa.int64())
        elif all(isinstance(x, int | float) and not isinstance(x, bool) for x in present):
            out[name] = pa.array([None if x is None else float(x) for x in values], pa.float64())
        else:
            texts = [
                x if isinstance(x, str) or x is None else json.dumps(x, sort_keys=True, default=str) for x in values
            ]
            out[name] = pa.array(texts, pa.string())
    return out
