"""SimPy model of one replication: stock points, suppliers, lanes, lines, demand, disruptions, ledger."""

from simjit.model.ledger import KPIS
from simjit.model.network import check_policies
from simjit.model.replication import ReplicationResult, run_replication, simulate

__all__ = ["KPIS", "ReplicationResult", "check_policies", "run_replication", "simulate"]
