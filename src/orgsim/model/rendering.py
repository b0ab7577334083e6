"""How orgsim's objects show themselves in a notebook, without the lower layers depending on the views.

Jupyter shows an object by calling its ``_repr_html_``. A state
(:class:`~orgsim.model.state.OrgState`), a timeline, a list of tenures, an
explanation and a divergence story each have one, but the HTML is written in
:mod:`orgsim.views.notebook`, at the top of the data flow, where it can use
the one wording of a state (:mod:`orgsim.views.wording`), the Gantt view
model and the tables. The layers contract forbids the model, query and
timeline modules to import the views, so the dependency is inverted: their
``_repr_html_`` asks this registry for the renderer of their class, and the
views module registers its renderers (:func:`register_html`) when it is
imported.

A new class that should display in notebooks (a sweep's results, say) gets
``def _repr_html_(self): return html_of(self)`` and a renderer registered
with :func:`register_html`, from :mod:`orgsim.views.notebook` or from a
views module of its own listed in :data:`VIEW_MODULES`.

>>> class Note:
...     def _repr_html_(self) -> str | None:
...         return html_of(self)
>>> register_html(Note, lambda note: "<p>a note</p>")
>>> Note()._repr_html_()
'<p>a note</p>'
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

Renderer = Callable[[Any], str]
"""Turns one object into an HTML fragment (everything from data escaped)."""

VIEW_MODULES: list[str] = ["orgsim.views.notebook"]
"""The modules that register renderers, imported by name the first time an object is displayed."""

_renderers: dict[type, Renderer] = {}
_loaded = False


def register_html(cls: type, renderer: Renderer) -> None:
    """Make ``renderer`` draw the objects of ``cls`` (and of its subclasses without a renderer of their own)."""
    _renderers[cls] = renderer


def html_of(obj: object) -> str | None:
    """The HTML of ``obj`` from its class's renderer; None when none is registered (Jupyter then shows its repr)."""
    global _loaded
    renderer = _renderer_for(type(obj))
    if renderer is None and not _loaded:
        # Loaded by name, on the first display only: ``import orgsim`` and the command line never pay for the views,
        # a notebook user need not import them, and no module below the views depends on them (import-linter
        # checks the import statements; this is a plug-in point, resolved at run time).
        _loaded = True
        for name in VIEW_MODULES:
            import_module(name)
        renderer = _renderer_for(type(obj))
    return None if renderer is None else renderer(obj)


def _renderer_for(cls: type) -> Renderer | None:
    for klass in cls.__mro__:
        renderer = _renderers.get(klass)
        if renderer is not None:
            return renderer
    return None
