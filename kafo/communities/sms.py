"""Sending SMS through a pluggable gateway: `console` and `file` for development and
tests (nothing leaves the machine), `rapidpro` for a RapidPro/TextIt-compatible webhook.
Chosen by the KAFO_SMS_BACKEND setting; tests never send a real message."""

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass
class SmsResult:
    ok: bool
    detail: str = ""


class ConsoleBackend:
    """Prints each message (development)."""

    def send(self, phone: str, text: str) -> SmsResult:
        print(f"SMS → {phone}: {text}")
        return SmsResult(True, "console")


class FileBackend:
    """Appends each message as a JSON line to KAFO_SMS_FILE (tests, demos)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or getattr(settings, "KAFO_SMS_FILE", "var/sms.jsonl"))

    def send(self, phone: str, text: str) -> SmsResult:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"to": phone, "text": text}, ensure_ascii=False) + "\n")
        return SmsResult(True, f"file:{self.path.name}")


class RapidProBackend:
    """Posts to a RapidPro/TextIt external channel or flow webhook: `{"urn": "tel:…",
    "text": …}` with `Authorization: Token …`."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 10):
        self.url = url or settings.KAFO_SMS_URL
        self.token = token or settings.KAFO_SMS_TOKEN
        self.timeout = timeout

    def request(self, phone: str, text: str) -> urllib.request.Request:
        body = json.dumps({"urn": f"tel:{phone}", "text": text}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Token {self.token}"}
        return urllib.request.Request(self.url, data=body, method="POST", headers=headers)

    def send(self, phone: str, text: str) -> SmsResult:
        try:
            request = self.request(phone, text)
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return SmsResult(200 <= answer.status < 300, f"HTTP {answer.status}")
        except OSError as error:
            return SmsResult(False, str(error)[:300])


BACKENDS = {"console": ConsoleBackend, "file": FileBackend, "rapidpro": RapidProBackend}


def backend():
    """The configured backend (KAFO_SMS_BACKEND: console, file or rapidpro)."""
    return BACKENDS[getattr(settings, "KAFO_SMS_BACKEND", "console")]()
