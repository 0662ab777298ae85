"""The Parquet files of a results directory: parts written so that after a crash each is whole or
absent, and the consolidated tables concatenated from them a row group at a time, in time linear
in rows × columns.

This is the one module of the experiment layer that imports pyarrow; the store imports it when it
first reads or writes a Parquet file, so a run reaches its first replication without it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from simjit.experiment.columns import EVENT_COLUMNS, ID_COLUMNS, POLICY, REPLICATION, VARIANT
from simjit.experiment.files import temporary_beside
from simjit.experiment.plan import Plan
from simjit.experiment.worker import EventRow, Row

__all__ = [
    "EVENT_SCHEMA",
    "FLUSH_CELLS",
    "ID_TYPES",
    "column_names",
    "consolidate",
    "copy_without",
    "is_whole",
    "param_arrays",
    "read_columns",
    "row_count",
    "write_durably",
    "write_events",
    "write_rows",
    "write_table",
]

FLUSH_CELLS = 1 << 18
"""Rows × columns buffered before a row group of replications.parquet is written (memory bound)."""
ID_TYPES = {VARIANT: pa.string(), POLICY: pa.string(), REPLICATION: pa.int64()}
_EVENT_TYPES = {"event": pa.string(), "disruption": pa.string(), "target": pa.string(),
                "survived": pa.bool_(), "recovered": pa.bool_()}  # fmt: skip
EVENT_SCHEMA = pa.schema(
    [(n, ID_TYPES[n]) for n in ID_COLUMNS] + [(n, _EVENT_TYPES.get(n, pa.float64())) for n in EVENT_COLUMNS]
)
"""Columns of an events part: the task's ids, then one disruption event's (the rest are numbers)."""


def write_rows(path: Path, rows: list[Row]) -> None:
    """A part: one row per task (ids, then KPIs as numbers), written durably."""
    names: dict[str, None] = {}
    for row in rows:  # the columns in order of first appearance; the rows of a batch mostly share them
        if not row.keys() <= names.keys():
            names.update(dict.fromkeys(k for k in row if k not in names))
    schema = pa.schema([(n, ID_TYPES.get(n, pa.float64())) for n in names])
    write_durably(pa.Table.from_pylist(rows, schema=schema), path)


def write_events(path: Path, events: list[EventRow]) -> None:
    """An events part: one row per disruption event of the part's tasks (maybe none), written durably."""
    write_durably(pa.Table.from_pylist(events, schema=EVENT_SCHEMA), path)


def is_whole(part: Path, rows: int, events: Path) -> bool:
    """True when ``part`` reads as ``rows`` rows and its events part (if any) reads at all."""
    try:
        whole = pq.read_metadata(part).num_rows == rows
        return whole and (not events.exists() or pq.read_metadata(events) is not None)
    except (OSError, pa.ArrowException):
        return False


def row_count(path: Path) -> int:
    """Rows of a Parquet file, from its footer."""
    return int(pq.ParquetFile(path).metadata.num_rows)


def column_names(path: Path) -> list[str]:
    """The columns of a Parquet file, in order, from its footer."""
    return list(pq.read_schema(path).names)


def read_columns(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """Some columns of a Parquet file (every column by default)."""
    return pq.read_table(path, columns=None if columns is None else list(columns))


def consolidate(
    table: Path, events: Path, parts: Sequence[Path], event_parts: Sequence[Path], plan: Plan, csv: bool
) -> list[Path]:
    """Write ``table`` from ``parts`` and ``events`` from ``event_parts`` (and their .csv), in plan
    order, with one column per swept parameter after the ids; returns the files written."""
    kpis = dict.fromkeys(n for p in parts for n in pq.read_schema(p).names if n not in ID_COLUMNS)
    params = param_arrays(plan)
    variant_row = {v.name: i for i, v in enumerate(plan.variants)}
    schema = pa.schema(
        [(n, ID_TYPES[n]) for n in ID_COLUMNS] + [(n, a.type) for n, a in params.items()]
        + [(n, pa.float64()) for n in kpis]
    )  # fmt: skip
    event_schema = pa.schema(
        [*EVENT_SCHEMA][: len(ID_COLUMNS)] + [(n, a.type) for n, a in params.items()]
        + [*EVENT_SCHEMA][len(ID_COLUMNS) :]
    )  # fmt: skip
    return write_table(table, schema, params, variant_row, parts, csv) + write_table(
        events, event_schema, params, variant_row, event_parts, csv
    )


def write_table(
    target: Path, schema: pa.Schema, params: dict[str, pa.Array], variant_row: dict[str, int],
    parts: Sequence[Path], csv: bool,
) -> list[Path]:  # fmt: skip
    """Concatenate ``parts`` into ``target`` (and its .csv) with ``schema``: absent columns null,
    the swept parameters looked up by variant; atomically, a row group of at most ~FLUSH_CELLS.
    Each part's columns are found by name in a set (a list's ``in`` made this quadratic in columns)."""
    written = [target]
    temporary = [temporary_beside(target)]
    parquet = pq.ParquetWriter(temporary[0], schema)
    text = None
    if csv:
        import pyarrow.csv as pacsv

        written.append(target.with_suffix(".csv"))
        temporary.append(temporary_beside(written[1]))
        text = pacsv.CSVWriter(temporary[1], schema)
    own = [schema.field(n) for n in schema.names if n not in params]
    buffer: list[pa.Table] = []
    buffered = 0

    def flush() -> None:
        if buffer:
            table = pa.concat_tables(buffer)
            parquet.write_table(table)
            if text is not None:
                text.write_table(table)
            buffer.clear()

    for path in parts:
        part = pq.ParquetFile(path).read(use_threads=False)  # a small file: threads cost more than they save
        present = set(part.column_names)
        at = pa.array([variant_row[v] for v in part[VARIANT].to_pylist()], pa.int64())
        columns = [part[f.name] if f.name in present else pa.nulls(len(part), f.type) for f in own]
        table = pa.Table.from_arrays(columns, names=[f.name for f in own])
        for i, (name, values) in enumerate(params.items(), start=len(ID_COLUMNS)):
            table = table.add_column(i, name, values.take(at))
        buffer.append(table.cast(schema))
        buffered += table.num_rows
        if buffered * len(schema) >= FLUSH_CELLS:
            flush()
            buffered = 0
    flush()
    parquet.close()
    if text is not None:
        text.close()
    for tmp, path in zip(temporary, written, strict=True):
        os.replace(tmp, path)
    return written


def write_durably(table: pa.Table, path: Path) -> None:
    """Write a part so that after a crash it is either whole or absent: a temporary file, synced
    to disk, renamed over the name, and the rename synced (the directory entry)."""
    tmp = temporary_beside(path)
    pq.write_table(table, tmp, use_dictionary=False)  # a part is read once, whole: no dictionaries to build
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
    tmp = temporary_beside(target)
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
