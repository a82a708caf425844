"""A local HTTP server that answers as KoBoToolbox's v2 API does, as documented: an
asset's submissions at `/api/v2/assets/<uid>/data/?format=json&start=&limit=&query=`,
pages of at most `page_cap` whatever is asked, `count`/`next`/`previous`/`results`, a
token in `Authorization: Token …`; and the failures a real server has."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


class KoboServer:
    def __init__(self, asset: str = "aKafoHazard", token: str = "secret", page_cap: int = 100):
        self.asset, self.token, self.page_cap = asset, token, page_cap
        self.submissions: list[dict] = []
        self.fail_with: int | None = None  # an HTTP status to answer instead
        self.malformed = False
        self.requests: list[str] = []
        self.validation: dict[str, str] = {}  # _id → validation status, as PATCHed
        self.files: dict[str, bytes] = {}  # path → a file's bytes (attachments)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                status, body = server.answer(self.path, self.headers.get("Authorization", ""))
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PATCH(self):
                server.requests.append(self.path)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                status, answer = server.patch(self.path, self.headers.get("Authorization", ""),
                                              body)  # fmt: skip
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path: str, authorization: str):
        parts = urlsplit(path)
        if parts.path in self.files:
            if authorization != f"Token {self.token}":
                return 401, {"detail": "Invalid token."}
            return 200, self.files[parts.path]
        if parts.path != f"/api/v2/assets/{self.asset}/data/":
            return 404, {"detail": "Not found."}
        if authorization != f"Token {self.token}":
            return 401, {"detail": "Invalid token."}
        if self.fail_with:
            return self.fail_with, {"detail": "error"}
        if self.malformed:
            return 200, b"<html>maintenance</html>"
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        rows = sorted(self.submissions, key=lambda s: s["_id"])
        if "query" in query:
            since = json.loads(query["query"])["_submission_time"]["$gte"][:19]
            rows = [s for s in rows if s["_submission_time"][:19] >= since]
        start = int(query.get("start", 0))
        limit = min(int(query.get("limit", self.page_cap)), self.page_cap)
        page = rows[start : start + limit]
        more = start + limit < len(rows)
        next_ = f"{self.url}{parts.path}?{urlencode({**query, 'start': start + limit})}"
        return 200, {"count": len(rows), "next": next_ if more else None, "previous": None,
                     "results": page}  # fmt: skip

    def patch(self, path: str, authorization: str, body: dict):
        prefix = f"/api/v2/assets/{self.asset}/data/"
        if not (path.startswith(prefix) and path.endswith("/validation_status/")):
            return 404, {"detail": "Not found."}
        if authorization != f"Token {self.token}":
            return 401, {"detail": "Invalid token."}
        if self.fail_with:
            return self.fail_with, {"detail": "error"}
        submission_id = path[len(prefix) :].split("/")[0]
        self.validation[submission_id] = body["validation_status.uid"]
        return 200, {"uid": body["validation_status.uid"]}
