"""``python -m orgsim``: the same as the ``orgsim`` command."""

from orgsim.cli import main

main()
