"""``python -m orgsim.cli``: the same as the ``orgsim`` command, as when the command line was one module."""

from orgsim.cli import main

main()
