"""What the app itself must not write down: who asked (client addresses)."""

from __future__ import annotations

import logging


def forget_who_asked() -> None:
    """Keep client addresses out of the logs of the libraries WISH uses."""
    # flask-limiter logs each refusal at INFO with its key, the client's address: WISH keeps no
    # record of who asked. Its warnings (storage unreachable) name no one and stay.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
