"""The composition root: the ``parley`` command line, which wires the store, core and adapters."""
