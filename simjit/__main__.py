"""``python -m simjit``: the same as the ``simjit`` command."""

import sys

from simjit.cli import main

sys.exit(main())
