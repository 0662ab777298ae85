"""The cross-check of ``demand_signal: customer``: a stock point that forecasts from end-customer demand
must supply some customer, at the end of its lanes and lines (a policy fits the network it is put in).

Run once the references hold (it follows sources and bills of materials through the network).
"""

from __future__ import annotations

from simjit.scenario.assignment import assign_policies, spec_path
from simjit.scenario.derived import customer_shares
from simjit.scenario.models import Scenario
from simjit.scenario.policy_specs import DemandSignal, demand_signal
from simjit.scenario.references import Finding
from simjit.scenario.yaml_nodes import Path

__all__ = ["check_demand_signals"]


def check_demand_signals(s: Scenario) -> list[Finding]:
    """A finding per policy spec that gives ``demand_signal: customer`` to stock points no customer draws
    from, directly or through the lanes and lines downstream (they have no end-customer demand to read)."""
    alone: dict[Path, list[str]] = {}
    for name, pset in s.policies.items():
        written = [pset.default, *pset.by_class.values(), *pset.overrides.values()]
        if not any(spec is not None and demand_signal(spec) is DemandSignal.customer for spec in written):
            continue  # the common case: nothing to follow through the network
        shares = customer_shares(s)
        for (site, item), spec in assign_policies(s, pset).items():
            if demand_signal(spec) is DemandSignal.customer and not shares[(site, item)]:
                path = (*spec_path(s, name, f"{site}/{item}", spec), spec.tag, "demand_signal")
                alone.setdefault(path, []).append(f"{site}/{item}")
    return [
        Finding(
            path,
            f"'customer' at {', '.join(points)}: no customer buys there or downstream, so there is no end-customer "
            "demand to forecast from",
            "override them with demand_signal: own, or add the customer demand they serve",
        )
        for path, points in alone.items()
    ]
