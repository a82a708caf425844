"""A local HTTP server that answers as ODK Central's API does, as documented, for what
pyodk asks: a session from an e-mail and a password (`POST /v1/sessions`, then a Bearer
token); a form's OData feed (`…/forms/{form}.svc/Submissions` with `$top`, `$skip`,
`$count`, `$filter`, `@odata.nextLink`, at most `page_cap` rows a page); a submission's
review state and attachments; a project's Entity Lists and their entities; and the
failures a real server has."""

import datetime
import itertools
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

NOW = "2026-01-01T00:00:00.000Z"


class OdkServer:
    def __init__(self, project: int = 1, form: str = "kafo_accident", page_cap: int = 250):
        self.project, self.form, self.page_cap = project, form, page_cap
        self.email, self.password = "collecte@example.org", "motdepasse"
        self.submissions: list[dict] = []  # OData rows, newest last
        self.fail_with: int | None = None  # an HTTP status to answer the feed with
        self.malformed = False
        self.requests: list[str] = []
        self.logins = 0
        self.review: dict[str, str] = {}  # __id → review state, as PATCHed
        self.files: dict[tuple[str, str], bytes] = {}  # (__id, name) → bytes
        self.entity_lists: dict[str, dict[str, dict]] = {}  # name → uuid → entity
        self.properties: dict[str, list[str]] = {}
        self._tokens: set[str] = set()
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _body(self):
                length = int(self.headers.get("Content-Length", 0))
                return json.loads(self.rfile.read(length) or b"{}")

            def _send(self, status, body):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method):
                server.requests.append(f"{method} {self.path}")
                body = self._body() if method in ("POST", "PATCH") else None
                with server._lock:
                    self._send(*server.answer(method, self.path, self.headers, body))

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def do_PATCH(self):
                self._handle("PATCH")

            def do_DELETE(self):
                self._handle("DELETE")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def feed_requests(self) -> list[dict[str, str]]:
        """The OData feed's requests, as their query parameters."""
        return [{k: v[0] for k, v in parse_qs(urlsplit(r.split(" ", 1)[1]).query).items()}
                for r in self.requests if ".svc/Submissions" in r]  # fmt: skip

    def answer(self, method: str, path: str, headers, body):
        parts = urlsplit(path)
        route = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method == "POST" and route == "/v1/sessions":
            if (body.get("email"), body.get("password")) != (self.email, self.password):
                return 401, {"code": 401.2, "message": "Could not authenticate."}
            self.logins += 1
            token = f"token-{next(self._counter)}"
            self._tokens.add(token)
            return 200, {"token": token, "createdAt": NOW, "expiresAt": NOW}
        given = headers.get("Authorization", "").removeprefix("Bearer ")
        if given not in self._tokens:
            return 401, {"code": 401.2, "message": "Could not authenticate."}
        if route == "/v1/users/current":
            return 200, {"id": 1, "displayName": "Collecte", "email": self.email}
        project = f"/v1/projects/{self.project}"
        form = f"{project}/forms/{self.form}"
        if route == f"{form}.svc/Submissions" and method == "GET":
            return self._feed(form, query)
        if route.startswith(f"{form}/submissions/"):
            return self._submission(method, route[len(f"{form}/submissions/") :], body)
        if route.startswith(f"{project}/datasets"):
            return self._datasets(method, route[len(f"{project}/datasets") :], query, body)
        return 404, {"code": 404.1, "message": "Could not find the resource you were looking for."}

    def _feed(self, form: str, query: dict[str, str]):
        if self.fail_with:
            return self.fail_with, {"code": self.fail_with, "message": "error"}
        if self.malformed:
            return 200, b"<html>maintenance</html>"
        rows = list(self.submissions)
        if "$filter" in query:
            since = re.findall(r"ge (\S+)", query["$filter"])[0][:19]
            rows = [r for r in rows if r["__system"]["submissionDate"][:19] >= since
                    or (r["__system"].get("updatedAt") or "")[:19] >= since]  # fmt: skip
        skip = int(query.get("$skiptoken") or query.get("$skip") or 0)
        top = min(int(query.get("$top", self.page_cap)), self.page_cap)
        page = rows[skip : skip + top]
        answer: dict = {"@odata.context": f"{self.url}{form}.svc/$metadata#Submissions",
                        "value": page}  # fmt: skip
        if query.get("$count") == "true":
            answer["@odata.count"] = len(rows)
        if skip + top < len(rows):
            following = {k: v for k, v in query.items() if k not in ("$skip", "$count")}
            following["$skiptoken"] = str(skip + top)
            answer["@odata.nextLink"] = f"{self.url}{form}.svc/Submissions?{urlencode(following)}"
        return 200, answer

    def _submission(self, method: str, rest: str, body):
        instance, _slash, tail = rest.partition("/")
        if not any(r["__id"] == instance for r in self.submissions):
            return 404, {"code": 404.1, "message": "Not found."}
        if method == "PATCH" and not tail:
            if self.fail_with:
                return self.fail_with, {"code": self.fail_with, "message": "error"}
            self.review[instance] = body["reviewState"]
            return 200, {"instanceId": instance, "submitterId": 5, "createdAt": NOW,
                         "reviewState": body["reviewState"]}  # fmt: skip
        if tail == "attachments":
            return 200, [{"name": name, "exists": True}
                         for (owner, name) in self.files if owner == instance]  # fmt: skip
        if tail.startswith("attachments/"):
            name = tail[len("attachments/") :]
            if (instance, name) in self.files:
                return 200, self.files[(instance, name)]
        return 404, {"code": 404.1, "message": "Not found."}

    def _datasets(self, method: str, rest: str, query: dict[str, str], body):
        if rest == "" and method == "GET":
            return 200, [{"name": name, "projectId": self.project, "createdAt": NOW,
                          "approvalRequired": False} for name in self.entity_lists]  # fmt: skip
        if rest == "" and method == "POST":
            self.entity_lists.setdefault(body["name"], {})
            self.properties.setdefault(body["name"], [])
            return 200, {"name": body["name"], "projectId": self.project, "createdAt": NOW,
                         "approvalRequired": body.get("approvalRequired", False)}  # fmt: skip
        name, _slash, tail = rest.lstrip("/").partition("/")
        if name.endswith(".svc") and tail == "Entities":
            entities = self.entity_lists.get(name[: -len(".svc")])
            if entities is None:
                return 404, {"code": 404.1, "message": "Not found."}
            return 200, {"value": [self._row(e) for e in entities.values()]}
        entities = self.entity_lists.get(name)
        if entities is None:
            return 404, {"code": 404.1, "message": "Not found."}
        if tail == "properties" and method == "POST":
            if body["name"] in ("name", "label") or body["name"].startswith("__"):
                return 400, {"code": 400.8, "message": "Reserved property name."}
            self.properties[name].append(body["name"])
            return 200, {"success": True}
        if tail == "entities" and method == "POST":
            for given in body["entities"]:
                unknown = set(given["data"]) - set(self.properties[name])
                if unknown:
                    return 400, {"code": 400.28, "message": f"Unknown properties {unknown}"}
                key = given.get("uuid") or str(uuid.uuid4())
                entities[key] = {"uuid": key, "label": given["label"], "data": given["data"],
                                 "version": 1}  # fmt: skip
            return 200, {"success": True}
        if tail.startswith("entities/"):
            key = tail[len("entities/") :]
            if key not in entities:
                return 404, {"code": 404.1, "message": "Not found."}
            if method == "DELETE":
                del entities[key]
                return 200, {"success": True}
            if method == "PATCH":
                entity = entities[key]
                if int(query.get("baseVersion", -1)) != entity["version"]:
                    return 409, {"code": 409.15, "message": "Version conflict."}
                entity["label"] = body.get("label", entity["label"])
                entity["data"] = {**entity["data"], **body.get("data", {})}
                entity["version"] += 1
                return 200, self._entity(entity)
        return 404, {"code": 404.1, "message": "Not found."}

    @staticmethod
    def _row(entity: dict) -> dict:
        return {"__id": entity["uuid"], "label": entity["label"], **entity["data"],
                "__system": {"version": entity["version"], "createdAt": NOW,
                             "creatorId": "1", "conflict": None}}  # fmt: skip

    @staticmethod
    def _entity(entity: dict) -> dict:
        current = {"label": entity["label"], "current": True, "createdAt": NOW,
                   "creatorId": 1, "userAgent": "pyodk", "version": entity["version"],
                   "data": entity["data"]}  # fmt: skip
        return {"uuid": entity["uuid"], "creatorId": 1, "createdAt": NOW, "currentVersion": current}


def submission_time(day: int) -> str:
    """A Central timestamp on a day of May 2024."""
    return (
        datetime.datetime(2024, 5, day, 10, tzinfo=datetime.UTC)
        .isoformat()
        .replace("+00:00", ".000Z")
    )
