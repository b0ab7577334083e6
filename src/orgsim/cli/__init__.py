"""The ``orgsim`` command line: thin commands over the library.

- :mod:`orgsim.cli.app`: the ``main`` group, and the process it runs in (every
  error as one line and exit status 2, signals, standard output, warnings).
- :mod:`orgsim.cli.common`: the options and helpers the commands share.
- :mod:`orgsim.cli.answers`: questions of a timeline (``state``, ``tenures``,
  ``person``, ``explain``, ``lag``, ``events``, ``diff``).
- :mod:`orgsim.cli.worlds`: what-if worlds (the ``scenario`` group, ``sweep``).
- :mod:`orgsim.cli.files`: checking timeline files and writing others
  (``validate``, ``schema``, ``export``, ``report``, ``plot``, ``synth``,
  ``convert``).

Imports are made inside each command so that ``orgsim state`` loads only
what it needs.
"""

from orgsim.cli.app import main  # the command modules register on it when first needed (see app.COMMAND_MODULES)

__all__ = ["main"]
