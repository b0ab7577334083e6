"""Sweeps: many what-if worlds over a scenario's uncertain inputs, run on one machine or many, aggregated.

The layer above what-ifs: :mod:`~orgsim.sweeps.uncertain` compiles the
scenario's ``uncertain:`` section into factors, :mod:`~orgsim.sweeps.space`
turns each world id into a world plan, :mod:`~orgsim.sweeps.executors` runs
them (in process, a local pool, Dask), :mod:`~orgsim.sweeps.results`
aggregates their outcomes as they arrive, :mod:`~orgsim.sweeps.times` holds
the windows an event's precision allows, and :mod:`~orgsim.sweeps.run`
puts it together (:func:`sweep`); :mod:`~orgsim.sweeps.samples` samples
history's own vague times for ``orgsim state --samples``.
"""
