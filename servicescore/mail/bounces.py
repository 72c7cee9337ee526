"""Bounces: delivery status notifications in a Maildir folder (``SERVICESCORE_BOUNCE_MAILDIR``, e.g. the mailbox
that receives mail to the From address), classified with flufl.bounce. A permanent failure (a hard bounce) stops all
further mail to that address; temporary ones are only marked read, since the sender's server keeps trying.

Each message is read once: after it is classified it gets the Maildir "seen" flag and moves to ``cur/``."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from pathlib import Path

from flufl.bounce import all_failures


@dataclass(frozen=True, slots=True)
class BounceScan:
    permanent: frozenset[str]  # lower-cased addresses that failed for good
    read: int  # messages classified (bounces or not)


def _text(address: bytes | str) -> str:
    return (address.decode("utf-8", "replace") if isinstance(address, bytes) else address).strip().strip("<>").lower()


def scan_maildir(folder: Path) -> BounceScan:
    """Classify every unseen message of the Maildir folder and mark it seen; a missing folder has none."""
    if not (folder / "new").is_dir() and not (folder / "cur").is_dir():
        return BounceScan(frozenset(), 0)
    box = mailbox.Maildir(folder, create=False)
    permanent: set[str] = set()
    read = 0
    box.lock()
    try:
        for key in list(box.iterkeys()):
            message = box.get_message(key)
            if "S" in message.get_flags():
                continue
            _, failed = all_failures(message)
            permanent.update(_text(address) for address in failed)
            message.set_subdir("cur")
            message.add_flag("S")
            box[key] = message
            read += 1
    finally:
        box.unlock()
        box.close()
    return BounceScan(frozenset(permanent), read)
