"""The privilege ladder (member, moderator, admin), apart from the models so the CLI's parser
can name the roles without loading pydantic."""

from __future__ import annotations

from enum import IntEnum


class Role(IntEnum):
    """The privilege ladder: each role may do everything the ones below it may."""

    MEMBER = 0
    MODERATOR = 1
    ADMIN = 2

    @classmethod
    def parse(cls, name: str) -> Role:
        """Role from its lower-case name (``member``, ``moderator``, ``admin``)."""
        return cls[name.strip().upper()]

    @property
    def label(self) -> str:
        return self.name.lower()
