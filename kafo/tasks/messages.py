"""Sending each message once, across the retries of the task that sends it."""

from collections.abc import Callable

from kafo.tasks.models import SentMessage


def send_once(key: str, send: Callable[[], object]) -> bool:
    """Call `send` unless a message with `key` was sent already, then record it. Whether
    it was sent now. A process killed between the sending and the record sends it again
    at the next attempt: at least once, and once in every other case."""
    if SentMessage.objects.filter(key=key).exists():
        return False
    send()
    SentMessage.objects.get_or_create(key=key[:200])
    return True
