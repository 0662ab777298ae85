"""Properties of the engine on small random networks (hypothesis).

Every generated scenario is valid: 1–3 items, 1–2 suppliers with every supply-side feature
(random lead times, lateness, defects, yield, capacity, minimum orders, scheduled and random
disruptions with a severity), optionally an upstream site feeding the customer-facing site over
a lane, optionally a production line with a bill of materials, perishable items, demand per day
or as arrivals with seasonality and shocks, every stock-out rule and every built-in policy kind.
Each replication runs with ``check=True``: every stock point verifies at every event that units
are conserved (initial + received = on hand + shipped + consumed + scrapped) and that on hand
stays ≥ 0, raising :class:`simjit.SimulationError` otherwise.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simjit import Scenario, load_scenario
from simjit.model import ReplicationResult, simulate
from simjit.model.catalogue import TOTAL_COST_PARTS
from simjit.scenario.models import OnStockout, WaitUpTo

EXAMPLES = 50
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
COST_KPIS = (
    "total_cost", "holding_cost", "ordering_cost", "cost_of_goods", "purchase_cost", "expediting_cost",
    "shortage_cost", "spoilage_cost", "defect_cost", "avg_inventory_value",
)  # fmt: skip
NON_NEGATIVE_KPIS = (
    *COST_KPIS, "avg_on_hand", "avg_on_hand_value", "avg_backorders", "avg_pipeline", "demand", "lost_sales",
    "orders_placed", "days_short", "days_empty", "line_starved_days", "line_idle_days", "backup_units",
    "expedited_units",
)  # fmt: skip
ADDITIVE_KPIS = (
    *COST_KPIS, "avg_on_hand", "avg_backorders", "avg_pipeline", "lost_sales", "orders_placed", "backup_units",
    "expedited_units",
)  # fmt: skip
EPS = 1e-9

Data = dict[str, Any]


# -- strategies ---------------------------------------------------------------------------------


def _pos(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 3))


def time_dist(lo: float = 0.0, hi: float = 10.0) -> st.SearchStrategy[Any]:
    """A lead time, delay, transit or outage length: a constant or one of the random kinds."""
    mean = _pos(max(lo, 0.5), hi)
    return st.one_of(
        st.integers(math.ceil(lo), int(hi)),
        st.tuples(_pos(lo, hi), _pos(0, hi)).map(lambda t: {"uniform": [t[0], t[0] + t[1]]}),
        mean.map(lambda m: {"exponential": {"mean": m}}),
        st.tuples(mean, _pos(0, 3)).map(lambda t: {"lognormal": {"mean": t[0], "sd": t[1]}}),
        st.tuples(mean, _pos(0, 3)).map(lambda t: {"gamma": {"mean": t[0], "sd": t[1]}}),
        st.tuples(mean, _pos(0, 3)).map(lambda t: {"normal": {"mean": t[0], "sd": t[1]}}),
        st.tuples(_pos(lo, hi), _pos(0, 3), _pos(0, 3)).map(
            lambda t: {"triangular": [t[0], t[0] + t[1], t[0] + t[1] + t[2]]}
        ),
        mean.map(lambda m: {"poisson": m}),
        st.lists(st.integers(math.ceil(lo), int(hi)), min_size=1, max_size=4).map(lambda v: {"empirical": v}),
    )


def quantity_dist(max_mean: float = 20.0) -> st.SearchStrategy[Any]:
    """Units per day or per customer order."""
    mean = _pos(0.5, max_mean)
    return st.one_of(
        st.integers(0, int(max_mean)),
        mean.map(lambda m: {"poisson": m}),
        st.tuples(mean, _pos(0, 5)).map(lambda t: {"normal": {"mean": t[0], "sd": t[1]}}),
        st.tuples(mean, _pos(0, 5)).map(lambda t: {"gamma": {"mean": t[0], "sd": t[1]}}),
        st.tuples(mean, _pos(0.1, 5)).map(
            lambda t: {"negative_binomial": {"mean": t[0], "sd": math.sqrt(t[0]) + t[1]}}
        ),
        st.tuples(_pos(0, max_mean), _pos(0, 5)).map(lambda t: {"uniform": [t[0], t[0] + t[1]]}),
        st.lists(st.integers(0, int(max_mean)), min_size=1, max_size=5).map(lambda v: {"empirical": v}),
    )


def severity() -> st.SearchStrategy[Any]:
    return st.one_of(st.just(1.0), _pos(0.1, 1.0), st.just({"uniform": [0.3, 1.0]}))


@st.composite
def disruption(draw: st.DrawFn, horizon: int) -> Data:
    """A scheduled window or random MTBF/MTTR spells, with a severity."""
    if draw(st.booleans()):
        d: Data = {"start": draw(st.integers(0, horizon)), "duration": draw(time_dist(0.5, 30))}
    else:
        d = {"mtbf": draw(_pos(5, 200)), "mttr": draw(time_dist(0.5, 15))}
    if draw(st.booleans()):
        d["severity"] = draw(severity())
    return d


@st.composite
def supplier(draw: st.DrawFn, supplies: list[str], horizon: int) -> Data:
    sup: Data = {"supplies": supplies, "lead_time": draw(time_dist(0, 10))}
    optional: dict[str, st.SearchStrategy[Any]] = {
        "on_time": _pos(0.5, 1.0),
        "delay": time_dist(0, 6),
        "defect_rate": _pos(0.0, 0.3),
        "yield": st.one_of(_pos(0.5, 1.0), st.just({"uniform": [0.7, 1.0]})),
        "capacity": _pos(5, 300),
        "min_order": _pos(0, 30),
        "price": st.one_of(_pos(0.1, 20), st.just({"random_walk": {"start": 3.0, "sd": 0.05}})),
        "price_premium": _pos(0, 0.5),
        "disruptions": st.lists(disruption(horizon), max_size=2),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            sup[key] = draw(strategy)
    return sup


def policy_spec() -> st.SearchStrategy[Data]:
    """Any built-in policy kind with parameters on the scale of the demand generated here."""
    level = st.integers(0, 300)
    forecast = st.one_of(
        st.none(),
        st.just("oracle"),
        st.integers(1, 28).map(lambda n: {"moving_average": n}),
        _pos(0.05, 1.0).map(lambda a: {"exponential_smoothing": {"alpha": a}}),
    )

    def _safety(t: tuple[float, Any, Any]) -> Data:
        p: Data = {"service_level": t[0]}
        if t[1] is not None:
            p["forecast"] = t[1]
        if t[2] is not None:
            p["order_quantity"] = t[2]
        return {"safety_stock": p}

    def _s_s(t: tuple[int, int, Any]) -> Data:
        p: Data = {"s": t[0], "S": t[0] + t[1]}
        if t[2] is not None:
            p["review_period"] = t[2]
        return {"s_S": p}

    review = st.one_of(st.integers(1, 14), _pos(0.5, 10))
    return st.one_of(
        st.tuples(st.integers(0, 150), st.integers(1, 150)).map(
            lambda t: {"r_Q": {"reorder_point": t[0], "order_quantity": t[1]}}
        ),
        st.tuples(st.integers(0, 150), st.integers(1, 150), st.none() | review).map(_s_s),
        level.map(lambda x: {"base_stock": {"level": x}}),
        st.tuples(level, review).map(lambda t: {"order_up_to": {"level": t[0], "review_period": t[1]}}),
        st.tuples(st.integers(1, 30), review).map(
            lambda t: {"order_up_to": {"cover_days": t[0], "review_period": t[1]}}
        ),
        st.one_of(
            st.just({"eoq": {}}),
            st.tuples(st.integers(1, 200), st.integers(0, 100)).map(
                lambda t: {"eoq": {"order_quantity": t[0], "reorder_point": t[1]}}
            ),
        ),
        st.tuples(st.integers(1, 6), st.integers(1, 60), _pos(0, 3)).map(
            lambda t: {"kanban": {"containers": t[0], "container_size": t[1], "safety_time": t[2]}}
        ),
        st.tuples(_pos(0.5, 0.99), forecast, st.none() | st.integers(1, 150)).map(_safety),
        st.just({"make_to_order": {}}),
    )


@st.composite
def demand(draw: st.DrawFn, at: str, horizon: int, rule: Any) -> Data:
    d: Data = {"at": at, "on_stockout": rule}
    if draw(st.booleans()):
        d["per_day"] = draw(quantity_dist(20))
    else:
        d["arrivals"] = {"rate": draw(_pos(0.2, 15)), "size": draw(quantity_dist(5))}
    if draw(st.booleans()):
        d["seasonality"] = {"weekly": draw(st.lists(_pos(0, 2), min_size=7, max_size=7))}
    if draw(st.booleans()):
        d["shocks"] = [
            {"start": draw(st.integers(0, horizon)), "duration": draw(st.integers(1, 20)), "factor": draw(_pos(0, 3))}
        ]
    if draw(st.booleans()):
        d["trend"] = draw(_pos(-0.5, 0.5))
    return d


STOCKOUT = st.one_of(
    st.just("backorder"), st.just("lost"), _pos(0.1, 5).map(lambda p: {"wait_up_to": p})
)  # fmt: skip


@st.composite
def scenarios(draw: st.DrawFn) -> Data:
    """A small valid scenario with two policy sets, ``a`` and ``b``."""
    horizon = draw(st.integers(50, 200))
    n_items = draw(st.integers(1, 3))
    finished = [f"item{i}" for i in range(n_items)]
    with_line = draw(st.booleans())
    upstream = draw(st.booleans())
    components = [f"part{i}" for i in range(draw(st.integers(1, 2)))] if with_line else []
    items: Data = {}
    for name in finished + components:
        item: Data = {"unit_cost": draw(_pos(0.1, 50))}
        if draw(st.integers(0, 3)) == 0:
            item["shelf_life"] = draw(st.integers(2, 40))
        if draw(st.integers(0, 3)) == 0:
            item["holding_cost"] = draw(_pos(0, 1))
        items[name] = item
    raw = [*finished, *components]
    suppliers = {f"sup{i}": draw(supplier(raw, horizon)) for i in range(draw(st.integers(1, 2)))}
    names = list(suppliers)

    def bought(allow_expedite: bool = True) -> Data:
        sp: Data = {"source": draw(st.sampled_from(names))}
        if len(names) == 2 and draw(st.booleans()):
            spare = next(n for n in names if n != sp["source"])
            sp["backup"] = spare
            if draw(st.booleans()):
                rule: Data = {"supplier": spare}
                optional: dict[str, st.SearchStrategy[Any]] = {
                    "overdue_by": _pos(0, 5),
                    "cover_below": _pos(0.5, 15),
                    "within": _pos(0.5, 10),
                    "remainder": st.sampled_from(["source", "backup"]),
                }
                for key, strategy in optional.items():
                    if draw(st.booleans()):
                        rule[key] = draw(strategy)
                sp["backup"] = rule
        if allow_expedite and draw(st.integers(0, 4)) == 0:
            trigger = (
                ("below", draw(st.integers(-20, 50))) if draw(st.booleans()) else ("cover_below", draw(_pos(0.5, 10)))
            )
            sp["expedite"] = {trigger[0]: trigger[1], "lead_time": draw(time_dist(0, 3))}
            if draw(st.booleans()):
                sp["expedite"]["premium"] = draw(_pos(0, 1))
        if draw(st.booleans()):
            sp["initial"] = draw(st.integers(0, 200))
        return sp

    top = "plant" if upstream else "dc"
    top_stock: Data = {}
    lines: Data = {}
    for i, name in enumerate(finished):
        if with_line and i == 0:
            top_stock[name] = {"source": "assembly"}
            if draw(st.booleans()):
                top_stock[name]["initial"] = draw(st.integers(0, 100))
        else:
            top_stock[name] = bought()
    for name in components:
        top_stock[name] = bought()
    if with_line:
        line: Data = {
            "makes": finished[0],
            "bom": {c: draw(st.integers(1, 3)) for c in components},
            "rate": draw(_pos(1, 60)),
        }
        if draw(st.booleans()):
            line["breakdowns"] = draw(disruption(horizon))
        if draw(st.booleans()):
            line["disruptions"] = draw(st.lists(disruption(horizon), min_size=1, max_size=2))
        lines["assembly"] = line
    sites: Data = {top: {"stock": top_stock}}
    if lines:
        sites[top]["lines"] = lines
    if upstream:
        dc: Data = {}
        for name in finished:
            lane: Data = {"source": "plant", "transit": draw(time_dist(0, 5))}
            if draw(st.integers(0, 3)) == 0:
                lane["disruptions"] = [draw(disruption(horizon))]
            if draw(st.booleans()):
                lane["initial"] = draw(st.integers(0, 100))
            dc[name] = lane
        sites["dc"] = {"stock": dc}
    rules = draw(st.one_of(st.just("backorder"), st.lists(STOCKOUT, min_size=n_items, max_size=n_items)))
    demands = [
        draw(demand(f"dc/{name}", horizon, rules if isinstance(rules, str) else rules[i]))
        for i, name in enumerate(finished)
    ]
    points = [f"{site}/{item}" for site, x in sites.items() for item in x["stock"]]
    policies = {}
    for pname in ("a", "b"):
        pset: Data = {"default": draw(policy_spec())}
        chosen = draw(st.lists(st.sampled_from(points), unique=True, max_size=len(points)))
        if chosen:
            pset["overrides"] = {p: draw(policy_spec()) for p in chosen}
        policies[pname] = pset
    data: Data = {
        "name": "generated",
        "horizon": horizon,
        "warmup": draw(st.integers(0, 30)),
        "seed": draw(st.integers(0, 2**16)),
        "items": items,
        "costs": {
            "holding_rate": draw(_pos(0, 0.5)),
            "order_cost": draw(_pos(0, 50)),
            "backorder_cost": draw(_pos(0, 5)),
            "lost_sale_cost": draw(_pos(0, 20)),
        },
        "suppliers": suppliers,
        "sites": sites,
        "demand": demands,
        "policies": policies,
    }
    if draw(st.integers(0, 3)) == 0:
        targets = (
            names + ([f"{top}/assembly"] if with_line else []) + ([f"dc/{n}" for n in finished] if upstream else [])
        )
        data["events"] = [
            {
                "name": "storm",
                "hits": draw(st.lists(st.sampled_from(targets), min_size=1, unique=True)),
                **{k: v for k, v in draw(disruption(horizon)).items()},
            }
        ]
    return data


def build(data: Data) -> Scenario:
    return load_scenario(data)


def customer_points(s: Scenario) -> list[str]:
    return sorted({d.at for d in s.demand})


def same(a: float, b: float) -> bool:
    """Equal, with NaN equal to NaN."""
    return (math.isnan(a) and math.isnan(b)) or a == b


# -- properties ---------------------------------------------------------------------------------


def _check_summary(s: Scenario, res: ReplicationResult) -> None:
    summary = res.summary
    net = res.network
    assert net is not None
    span = s.horizon - s.warmup
    prefixes = ["", *(f"{site}/{item}." for site, item in s.stock_points())]
    for prefix in prefixes:
        for kpi in NON_NEGATIVE_KPIS:
            value = summary[prefix + kpi]
            assert math.isfinite(value), (prefix + kpi, value)
            assert value >= -EPS, (prefix + kpi, value)
        for kpi in ("fill_rate", "cycle_service_level"):
            value = summary[prefix + kpi]
            assert math.isnan(value) or -EPS <= value <= 1 + EPS, (prefix + kpi, value)
        if prefix:
            assert summary[prefix + "days_empty"] <= span + EPS
        assert summary[prefix + "days_short"] <= math.ceil(s.horizon) - math.ceil(s.warmup)
        assert summary[prefix + "line_starved_days"] + summary[prefix + "line_idle_days"] <= span + EPS
        for kpi in ("time_to_survive", "time_to_recover", "units_short"):
            value = summary[prefix + kpi]
            assert math.isnan(value) or value >= 0, (prefix + kpi, value)
        wait = summary[prefix + "avg_customer_wait"]
        assert math.isnan(wait) or wait >= 0
        parts = math.fsum(summary[prefix + k] for k in TOTAL_COST_PARTS)
        assert math.isclose(summary[prefix + "total_cost"], parts, rel_tol=1e-9, abs_tol=1e-6)
    for row in res.disruptions:
        assert row["time_to_survive"] >= 0 and row["time_to_recover"] >= 0, row
        assert row["units_short"] >= row["lost_sales"] - EPS >= -EPS, row
        assert not row["survived"] or (row["units_short"] == 0 and row["time_to_recover"] == 0), row
        assert s.warmup <= row["start"] < row["end"], row
    if res.disruptions:
        mean = math.fsum(float(r["units_short"]) for r in res.disruptions) / len(res.disruptions)
        assert math.isclose(summary["units_short"], mean, rel_tol=1e-9, abs_tol=1e-9)
    for kpi in ADDITIVE_KPIS:
        total = math.fsum(summary[f"{site}/{item}.{kpi}"] for site, item in s.stock_points())
        assert math.isclose(summary[kpi], total, rel_tol=1e-9, abs_tol=1e-6), kpi
    customers = customer_points(s)
    if summary["demand"] == 0:
        assert math.isnan(summary["fill_rate"])
    for at in customers:
        if summary[f"{at}.demand"] == 0:
            assert math.isnan(summary[f"{at}.fill_rate"]), at
    if all(d.on_stockout == OnStockout.backorder for d in s.demand):
        assert summary["lost_sales"] == 0
    if not any(item.shelf_life for item in s.items.values()):
        assert summary["spoilage_cost"] == 0
    if all(sup.defect_rate == 0 for sup in s.suppliers.values()):
        assert summary["defect_cost"] == 0
    rules = {d.at: d.on_stockout for d in s.demand}
    for sp in net.points.values():
        c = sp.counters.as_dict()
        assert sp.on_hand >= 0 and sp.on_order >= -EPS and sp.owed >= -EPS
        assert -EPS <= sp.customer_owed <= sp.owed + EPS
        # Every unit a customer asked for is served at once, served late, lost, or still owed.
        accounted = c["served_now"] + c["served_late"] + c["lost"] + sp.customer_owed
        assert math.isclose(c["demand"], accounted, rel_tol=1e-9, abs_tol=1e-6), sp.name
        rule = rules.get(sp.name, OnStockout.backorder)
        if rule == OnStockout.backorder:
            assert c["lost"] == 0, sp.name
        elif rule == OnStockout.lost:
            assert c["served_late"] == 0 and sp.customer_owed == 0, sp.name
        else:  # a customer waits at most the patience, and those who give up waited exactly that long
            assert isinstance(rule, WaitUpTo)
            patience = rule.wait_up_to
            assert c["wait"] <= patience * c["served_late"] + 1e-6, sp.name
            assert math.isclose(c["wait_lost"], patience * c["lost"], rel_tol=1e-9, abs_tol=1e-6), sp.name
    for outage in net.outages:
        assert outage.start <= outage.end and 0 < outage.severity <= 1


@SETTINGS
@given(scenarios(), st.integers(0, 3))
def test_invariants_hold_at_every_event(data: Data, replication: int) -> None:
    s = build(data)
    for policy in s.policies:
        res = simulate(s, policy, replication, check=True, series=True, keep_network=True)
        assert res.series
        for row in res.series:
            on_hand, backorders, on_order = (float(row[k]) for k in ("on_hand", "backorders", "on_order"))
            assert on_hand >= 0, row
            assert backorders >= -EPS, row
            assert on_order >= -EPS, row
        _check_summary(s, res)


@SETTINGS
@given(scenarios(), st.integers(0, 5))
def test_cost_of_goods_is_purchases_plus_the_change_in_value(data: Data, replication: int) -> None:
    """The accountant's identity, network-wide: cost of goods used = purchases + value of stock (on hand,
    on order, in a line's work) at the start − the same at the end; no unit is held at a negative cost."""
    s = build(data).model_copy(update={"warmup": 0.0})
    for policy in s.policies:
        res = simulate(s, policy, replication, keep_network=True)
        assert res.network is not None
        points = res.network.points.values()
        opening = math.fsum(sp.counters.initial * sp.facts.unit_cost for sp in points)
        closing = math.fsum(sp.counters.stock_value + sp.counters.wip_value for sp in points)
        expected = res.summary["purchase_cost"] + opening - closing
        assert math.isclose(res.summary["cost_of_goods"], expected, rel_tol=1e-9, abs_tol=1e-6)
        for sp in points:
            assert sp.counters.stock_value >= -1e-6 and sp.counters.wip_value >= -1e-6, sp.name
            assert -EPS <= sp.held <= sp.on_hand + sp.on_order + 1e-6, sp.name


@SETTINGS
@given(scenarios(), st.integers(0, 5))
def test_same_seed_same_summary(data: Data, replication: int) -> None:
    s = build(data)
    first = simulate(s, "a", replication).summary
    second = simulate(s, "a", replication).summary
    assert first.keys() == second.keys()
    differ = {k: (first[k], second[k]) for k in first if not same(first[k], second[k])}
    assert not differ


@SETTINGS
@given(scenarios(), st.integers(0, 5))
def test_policies_see_the_same_customer_demand(data: Data, replication: int) -> None:
    """Common random numbers: every policy set plays the very same customer orders. Their tallies
    agree to rounding: a run of lots through the day is summed in one step, and where the runs break
    depends on the policy (a fractional draw then rounds differently in the last bit)."""
    s = build(data)
    a = simulate(s, "a", replication, keep_network=True)
    b = simulate(s, "b", replication, keep_network=True)
    assert a.network is not None and b.network is not None
    assert a.summary["demand"] == pytest.approx(b.summary["demand"], rel=1e-12)
    for at in customer_points(s):
        assert a.summary[f"{at}.demand"] == pytest.approx(b.summary[f"{at}.demand"], rel=1e-12), at
        site, item = at.split("/")
        days = a.network.points[(site, item)].demand_by_day
        assert days == pytest.approx(b.network.points[(site, item)].demand_by_day, rel=1e-12, abs=1e-12)


@st.composite
def random_demand_scenarios(draw: st.DrawFn) -> Data:
    """A generated scenario whose customer demand is Poisson with a rate of at least 2 a day."""
    data = draw(scenarios())
    for d in data["demand"]:
        d.pop("arrivals", None)
        d.pop("seasonality", None)
        d.pop("shocks", None)
        d["per_day"] = {"poisson": draw(_pos(2, 20))}
    return data


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_demand_scenarios(), st.integers(0, 100))
def test_replications_draw_different_demand(data: Data, replication: int) -> None:
    s = build(data)
    r1 = simulate(s, "a", replication, keep_network=True).network
    r2 = simulate(s, "a", replication + 1, keep_network=True).network
    assert r1 is not None and r2 is not None
    for at in customer_points(s):
        site, item = at.split("/")
        assert r1.points[(site, item)].demand_by_day != r2.points[(site, item)].demand_by_day, at
