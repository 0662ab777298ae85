"""``simjit abc ITEMS.csv | SCENARIO.yaml``: ABC classes by annual consumption value."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from simjit.cli.console import out
from simjit.cli.params import Arg, Opt
from simjit.errors import UsageError

__all__ = ["abc"]


def abc(
    file: Annotated[
        Path, Arg(metavar="FILE", help="An items table (CSV: name, unit_cost, annual_demand) or a scenario.")
    ],
    a: Annotated[float, Opt("--a", metavar="SHARE", help="Cumulative share of value that ends class A.")] = 0.8,
    b: Annotated[float, Opt("--b", metavar="SHARE", help="Cumulative share of value that ends class B.")] = 0.95,
) -> None:
    """ABC classes by annual consumption value (unit cost × annual demand)."""
    from rich.table import Table

    from simjit.scenario import load_scenario
    from simjit.scenario.assignment import abc_classes, annual_values
    from simjit.scenario.items_table import read_items_table

    if not 0 < a <= b <= 1:
        raise UsageError(f"--a/--b: expected 0 < a <= b <= 1, got a = {a:g}, b = {b:g}")
    values = read_items_table(file) if file.suffix.lower() == ".csv" else annual_values(load_scenario(file))
    classes = abc_classes(values, a, b)
    total = sum(values.values()) or 1.0
    table = Table(title=f"ABC classes of {file.name}: A while the value ranked above is under {a:.0%}, B under {b:.0%}")
    for column in ("name", "annual value", "share", "cumulative", "class"):
        table.add_column(column, justify="left" if column == "name" else "right")
    cumulative = 0.0
    for name in sorted(values, key=lambda k: (-values[k], k)):
        cumulative += values[name]
        table.add_row(
            name, f"{values[name]:,.0f}", f"{values[name] / total:.1%}", f"{cumulative / total:.1%}", classes[name]
        )
    out.print(table)
