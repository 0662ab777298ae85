"""SimPy model of one replication: stock points, suppliers, lanes, lines, demand, disruptions, ledger."""

from simjit.model.events import EventKind, SimEvent
from simjit.model.ledger import KPIS
from simjit.model.network import check_policies
from simjit.model.replication import ReplicationResult, run_replication, simulate

__all__ = ["KPIS", "EventKind", "ReplicationResult", "SimEvent", "check_policies", "run_replication", "simulate"]
