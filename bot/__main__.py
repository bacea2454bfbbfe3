"""Entry point for ``python -m bot``: the same CLI as the ``parley`` script."""

from bot.cli import main

raise SystemExit(main())
