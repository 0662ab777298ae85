"""``python -m simjit``: the same as the ``simjit`` command."""

from simjit.cli import entry

entry()
