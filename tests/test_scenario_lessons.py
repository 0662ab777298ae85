"""Each teaching scenario's lesson shows in its numbers, as its header says (fewer replications here)."""

from __future__ import annotations

from pathlib import Path

from simjit import load_scenario
from simjit.experiment import Plan, compare, describe, execute, run_experiment, sweep_reference_table, sweep_variants

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_zoom_motors_jit_is_cheaper_in_calm_years_and_fragile_in_a_closure() -> None:
    closed = load_scenario(SCENARIOS / "zoom_motors.yaml", ["replications=10"])
    calm = load_scenario(
        SCENARIOS / "zoom_motors.yaml", ["replications=10", "suppliers.engines_overseas.disruptions=[]"]
    )
    kpis = ["total_cost", "holding_cost", "fill_rate", "line_starved_days"]
    with_closure = compare(run_experiment(closed, ["jit", "buffer"], replications=10), kpis, "jit").set_index("kpi")
    without = compare(run_experiment(calm, ["jit", "buffer"], replications=10), kpis, "jit").set_index("kpi")
    # calm: the buffer only adds holding cost (JIT cheaper by about 0.76 M a year, service equal)
    assert without.loc["total_cost", "ci_low"] > 500_000 and without.loc["holding_cost", "diff"] > 700_000
    assert abs(without.loc["fill_rate", "diff"]) < 0.01
    # a closure of 2-4 weeks: JIT's line stops and the buffer is cheaper overall
    assert with_closure.loc["total_cost", "ci_high"] < 0
    assert with_closure.loc["fill_rate", "ci_low"] > 0.1
    assert with_closure.loc["line_starved_days", "ci_high"] < -5
    starved = describe(run_experiment(closed, ["buffer"], replications=10), ["line_starved_days"])
    assert float(starved["mean"].iloc[0]) == 0.0


def test_bicycle_shop_kanban_belongs_on_the_a_items() -> None:
    s = load_scenario(SCENARIOS / "bicycle_shop.yaml", ["replications=10"])
    kpis = ["total_cost", "avg_on_hand_value", "orders_placed"]
    vs_eoq = compare(run_experiment(s, ["all_eoq", "abc", "all_kanban"], replications=10), kpis, "all_eoq")
    d = vs_eoq.set_index(["policy", "kpi"])
    assert d.loc[("abc", "avg_on_hand_value"), "ci_high"] < -2000  # a fifth less money in stock
    assert abs(d.loc[("abc", "total_cost"), "diff"]) < 3000  # at about EOQ's cost
    assert d.loc[("all_kanban", "total_cost"), "ci_low"] > 15_000  # kanban everywhere: the orders cost
    assert d.loc[("all_kanban", "orders_placed"), "diff"] > 2 * d.loc[("abc", "orders_placed"), "diff"]


def test_ice_cream_jit_wastes_nothing_and_loses_the_heatwave() -> None:
    from simjit.experiment.trace import trace_replication

    s = load_scenario(SCENARIOS / "ice_cream_shop.yaml", ["replications=10"])
    d = compare(run_experiment(s, ["bulk", "jit"], replications=10), ["spoilage_cost", "lost_sales", "total_cost"],
                "bulk").set_index("kpi")  # fmt: skip
    assert d.loc["spoilage_cost", "ci_high"] < -5000 and d.loc["total_cost", "ci_high"] < 0
    assert d.loc["lost_sales", "ci_low"] > 100
    daily = trace_replication(s, "jit", 0).daily
    heatwave = daily[(daily["day"] >= 50) & (daily["day"] < 57)]["lost"].sum()
    assert heatwave > 0.9 * daily[daily["day"] >= s.warmup]["lost"].sum()


def test_dropshipping_loses_the_impatient_customers() -> None:
    s = load_scenario(SCENARIOS / "dropshipping.yaml", ["replications=10"])
    d = compare(run_experiment(s, ["dropship", "small_stock"], replications=10),
                ["lost_sales", "avg_customer_wait", "total_cost"], "dropship").set_index("kpi")  # fmt: skip
    assert d.loc["lost_sales", "ci_high"] < -500 and d.loc["avg_customer_wait", "ci_high"] < -4
    assert d.loc["total_cost", "ci_high"] < -5000


def test_supplier_quality_hits_the_lean_loop(tmp_path: Path) -> None:
    sweep = ["suppliers.machinist.defect_rate=0,0.2"]
    _, variants = sweep_variants(SCENARIOS / "supplier_quality.yaml", sweep, ["replications=10"])
    outcome = execute(Plan(tuple(variants), ("jit", "buffer"), 10), tmp_path)
    table = sweep_reference_table(outcome.results(), "fill_rate", "defect_rate=0").set_index(["variant", "policy"])
    jit, buffer = table.loc[("defect_rate=0.2", "jit")], table.loc[("defect_rate=0.2", "buffer")]
    assert jit["ci_high"] < -0.008  # the loop loses a point of fill rate or more
    assert buffer["diff"] > -0.005 and jit["diff"] < 3 * buffer["diff"]


def test_beer_game_shared_sales_data_tame_the_bullwhip() -> None:
    s = load_scenario(SCENARIOS / "beer_game.yaml", ["replications=10"])
    results = run_experiment(s, ["decentralised", "shared_pos"], replications=10)
    stages = [f"{site}/beer.bullwhip" for site in ("retailer", "wholesaler", "distributor", "factory")]
    own = describe(results[results["policy"] == "decentralised"], stages)
    assert (own["ci_low"] > 3).all()  # every stage amplifies what it sees about fourfold: 4 → 18 → 75 → 270
    d = compare(results, ["bullwhip", "factory/beer.bullwhip", "holding_cost", "fill_rate"], "decentralised")
    d = d.set_index("kpi")
    assert d.loc["bullwhip", "ci_high"] < -150  # the factory's orders against customer demand: 33, not 270
    assert d.loc["factory/beer.bullwhip", "ci_high"] < -1.5
    assert d.loc["holding_cost", "ci_high"] < -5000  # half the stock in the chain
    assert abs(d.loc["fill_rate", "diff"]) < 0.002  # and the customers never notice
