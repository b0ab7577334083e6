"""The timeline manifest: its name, home zone, rules and the people and organisations it knows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from orgsim.model.events import Slug
from orgsim.model.governance import GovernanceRules
from orgsim.model.sharing import FrozenDict

MANIFEST_NAME = "timeline.yaml"
"""The manifest's file name inside a timeline folder."""


class Person(BaseModel):
    """Someone the timeline knows: their name, role and usual affiliation."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: Annotated[str, StringConstraints(min_length=1)]
    role: str | None = None
    affiliation: Slug | None = None
    insider: bool | None = None
    """For directors: True for an officer or founder of the organisation, False for an independent."""


class Organisation(BaseModel):
    """Another organisation the timeline knows (an investor, a rival, an employer)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: Annotated[str, StringConstraints(min_length=1)]
    kind: str | None = None


class Manifest(BaseModel):
    """What ``timeline.yaml`` declares about a timeline.

    ``organisation`` is the id of the organisation whose state is replayed;
    ``organisations`` lists the others, each a stakeholder in the state.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: Slug
    title: str | None = None
    description: str | None = None
    organisation: Slug
    organisation_name: str | None = None
    home_zone: str
    governance: GovernanceRules = Field(default_factory=GovernanceRules)  # built on use: no validator at import
    people: dict[Slug, Person] = {}
    organisations: dict[Slug, Organisation] = {}

    @model_validator(mode="after")
    def _read_only(self) -> Manifest:
        # Snapshots and answers read the manifest: once validated, nothing may change it.
        object.__setattr__(self, "people", FrozenDict(self.people))
        object.__setattr__(self, "organisations", FrozenDict(self.organisations))
        return self

    def extended(self, people: Mapping[str, Person], organisations: Mapping[str, Organisation]) -> Manifest:
        """This manifest with more people and organisations (a what-if world's)."""
        return self.model_copy(
            update={
                "people": FrozenDict({**self.people, **people}),
                "organisations": FrozenDict({**self.organisations, **organisations}),
            }
        )
