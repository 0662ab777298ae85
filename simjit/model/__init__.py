"""SimPy model of one replication: stock points, suppliers, lanes, lines, demand, disruptions, ledger."""

from simjit.model.ledger import KPIS
from simjit.model.replication import ReplicationResult, run_replication, simulate

__all__ = ["KPIS", "ReplicationResult", "run_replication", "simulate"]
