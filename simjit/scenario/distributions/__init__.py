"""Distribution specs: a number is a constant, otherwise a one-key mapping naming the kind.

A kind is declared once, in one module of kinds: its model carries its tag, its moments and its
vectorised draw (:mod:`.base` says what a kind is). :mod:`.parametric` holds the kinds given by a
few parameters, :mod:`.data` those given by values or a file, :mod:`.weibull` the Weibull and its
shape numerics; the registry (:mod:`.registry`) generates the tagged union :data:`Distribution`,
:data:`DISTRIBUTION_KINDS` and :func:`distribution_mean`/``_sd`` from them.
"""

from simjit.scenario.distributions.base import DistributionSpec, Draw, MeanSd
from simjit.scenario.distributions.data import Empirical, Trace
from simjit.scenario.distributions.parametric import (
    Exponential,
    Gamma,
    Lognormal,
    NegativeBinomial,
    Normal,
    Poisson,
    Triangular,
    Uniform,
)
from simjit.scenario.distributions.registry import (
    DISTRIBUTION_KINDS,
    DISTRIBUTION_MISSING_HINTS,
    KINDS,
    Distribution,
    FractionDistribution,
    distribution_mean,
    distribution_sd,
)
from simjit.scenario.distributions.weibull import Weibull

__all__ = [
    "DISTRIBUTION_KINDS",
    "DISTRIBUTION_MISSING_HINTS",
    "KINDS",
    "Distribution",
    "DistributionSpec",
    "Draw",
    "Empirical",
    "Exponential",
    "FractionDistribution",
    "Gamma",
    "Lognormal",
    "MeanSd",
    "NegativeBinomial",
    "Normal",
    "Poisson",
    "Trace",
    "Triangular",
    "Uniform",
    "Weibull",
    "distribution_mean",
    "distribution_sd",
]
