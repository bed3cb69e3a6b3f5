"""The one error class of the goldgen client, with the same codes as goldgen's TypeScript side."""

from __future__ import annotations


class GoldgenError(Exception):
    """A goldgen failure with a stable ``code``: NOT_FOUND, USAGE, CONFLICT, INTEGRITY, IO, NOT_SUPPORTED."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"goldgen: {message}")
        self.code = code
        self.detail = message
