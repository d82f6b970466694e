"""Pseudonymous conversation ids: a keyed HMAC of the channel's user id.

Rasa, the logs and the handoff queue see only these. The key lives in the data
directory (0600); without it an id cannot be linked back to a Telegram user,
and with it the same person keeps one conversation across restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = "pseudonym.key"


class Pseudonymizer:
    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the pseudonym key must be at least 32 bytes")
        self._key = key

    @classmethod
    def from_data_dir(cls, directory: Path) -> "Pseudonymizer":
        """Load the key, creating a random one on first use."""
        path = Path(directory) / KEY_FILE
        if not path.exists():
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        return cls(path.read_bytes())

    def __call__(self, channel: str, user_id: object) -> str:
        digest = hmac.new(self._key, f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()
        return f"{channel[:2]}-{digest[:24]}"
