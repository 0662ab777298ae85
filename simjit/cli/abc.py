"""``simjit abc ITEMS.csv | SCENARIO.yaml``: ABC classes by annual consumption value."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from simjit.cli.console import out
from simjit.cli.params import Arg, Opt
from simjit.errors import UsageError

__all__ = ["abc"]

RULES = ("include", "start")


def abc(
    file: Annotated[
        Path, Arg(metavar="FILE", help="An items table (CSV: name, unit_cost, annual_demand) or a scenario.")
    ],
    a: Annotated[float, Opt("--a", metavar="SHARE", help="The A cut-off: a cumulative share of value.")] = 0.8,
    b: Annotated[float, Opt("--b", metavar="SHARE", help="The B cut-off: a cumulative share of value.")] = 0.95,
    rule: Annotated[
        str,
        Opt(
            "--rule",
            metavar="RULE",
            help="include: an item's cumulative share counts its own value (the ABC article's rule); "
            "start: an item is in the class where its cumulative share starts (the older convention).",
        ),
    ] = "include",
) -> None:
    """ABC classes by annual consumption value (unit cost × annual demand).

    Items are ranked by value, highest first (ties by name). With the rule include (the ABC article's), an
    item is A while the cumulative share of value up to and including it is at most --a, B while at most
    --b, else C; no class is skipped: the top item is A and the first item after class A is B, whatever
    their shares. With the rule start, an item is A while the share ranked above it is under --a, B while
    under --b. A scenario's stock points are valued at their mean demand through the network; a policy
    set's by_class uses its own abc: cut-offs and rule.
    """
    from rich.table import Table
    from rich.text import Text

    from simjit.scenario import load_scenario
    from simjit.scenario.assignment import abc_classes, annual_values
    from simjit.scenario.items_table import read_items_table

    if not 0 < a <= b <= 1:
        raise UsageError(f"--a/--b: expected 0 < a <= b <= 1, got a = {a:g}, b = {b:g}")
    if rule not in RULES:
        raise UsageError(f"--rule {rule}: expected one of {', '.join(RULES)}")
    values = read_items_table(file) if file.suffix.lower() == ".csv" else annual_values(load_scenario(file))
    classes = abc_classes(values, a, b, "start" if rule == "start" else "include")
    total = sum(values.values()) or 1.0
    table = Table(title=Text(f"ABC classes of {file.name}: {_rule_text(rule, a, b)}"))
    for column in ("name", "annual value", "share", "cumulative", "class"):
        table.add_column(column, justify="left" if column == "name" else "right")
    cumulative = 0.0
    for name in sorted(values, key=lambda k: (-values[k], k)):
        cumulative += values[name]
        table.add_row(  # a name is the user's text, never markup
            Text(name),
            f"{values[name]:,.0f}",
            f"{values[name] / total:.1%}",
            f"{cumulative / total:.1%}",
            classes[name],
        )
    out.print(table)


def _rule_text(rule: str, a: float, b: float) -> str:
    """The rule in a line, for the table's title."""
    if rule == "start":
        return f"A while the value ranked above is under {a * 100:g}%, B under {b * 100:g}%"
    return f"A while the cumulative share is at most {a * 100:g}%, B at most {b * 100:g}%"
