"""The list envelope every v2 list endpoint (and a gig's ``tasks``) answers with."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from console.base_model import Model


T = TypeVar("T")


class ListEnvelope(Model, Generic[T]):
    object: Literal["list"] = "list"
    url: str | None = None
    has_more: bool = False
    data: list[T]


class Deleted(Model):
    """What ``DELETE`` answers: ``{"id": "1", "object": "gig", "deleted": true}``."""

    id: str
    object: str
    deleted: bool | None = True
