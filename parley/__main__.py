"""Entry point for ``python -m parley``: the same CLI as the ``parley`` script."""

from parley.cli.main import main

raise SystemExit(main())
