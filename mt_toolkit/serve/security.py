"""What keeps the server safe to run on a laptop or a newsroom machine.

- `check_bind`: 127.0.0.1 by default; any other address needs an API key, or ``--insecure``.
- `BodyLimit`: a request body larger than the limit is refused with 413 before it is read whole
  (declared length checked first, streamed bodies counted).
- `SecurityHeaders`: a content security policy that allows no inline or foreign script on the
  app's pages (the report is autoescaped as well), no framing, no sniffing, no referrer to other sites.
- `Guard`: the API key (when one is set) on every route but the static files, taken from an
  ``Authorization: Bearer`` or ``X-API-Key`` header, a cookie set by /login, or LibreTranslate's
  ``api_key`` field; and for state-changing requests from a browser, an ``Origin`` that is the
  server itself, so another web page cannot post to a local server (cross-site request forgery).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from urllib.parse import parse_qs, urlsplit

from mt_toolkit.errors import InputError

__all__ = ["API_KEY_COOKIE", "BodyLimit", "Guard", "SecurityHeaders", "check_bind", "is_loopback"]

API_KEY_COOKIE = "mt_toolkit_key"

_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; connect-src 'self'"
)
# FastAPI's /docs and /redoc pages are an inline script that loads Swagger UI / ReDoc from a CDN.
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; font-src https://fonts.gstatic.com; "
    "worker-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, *, api_key: str | None, insecure: bool) -> str | None:
    """Whether the server may listen on ``host``; returns a warning to print, if any.

    Raises:
        InputError: a non-loopback address without an API key and without ``insecure``.
    """
    if is_loopback(host):
        return None
    if api_key:
        return f"listening on {host}: every request needs the API key"
    if insecure:
        return (f"WARNING: listening on {host} without an API key (--insecure): anyone who can reach "
                f"this machine can run translations and read the trace history")
    raise InputError(
        f"refusing to listen on {host} without an API key: anyone on the network could use the "
        f"server and read its history; pass --api-key KEY (or set MT_TOOLKIT_API_KEY), or "
        f"--insecure if this network is trusted"
    )


async def _send_json(send, status: int, message: str, headers=()) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: 413 for a body over ``max_bytes`` (declared or streamed)."""

    def __init__(self, app, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = f"request body larger than {self.max_bytes} bytes; send less, or start the server with a larger --max-body"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await _send_json(send, 400, "malformed Content-Length header")
                if declared > self.max_bytes:
                    return await _send_json(send, 413, message)
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            event = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return event

        async def tracked_send(event):
            nonlocal started
            if event["type"] == "http.response.start":
                started = True
            await send(event)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await _send_json(send, 413, message)


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        csp = _DOCS_CSP if path in ("/docs", "/redoc") or path.startswith("/docs/") else _PAGE_CSP

        async def with_headers(event):
            if event["type"] == "http.response.start":
                headers = list(event.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),  # no-referrer would make forms post "Origin: null"
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                event = {**event, "headers": headers}
            await send(event)

        await self.app(scope, receive, with_headers)


class Guard:
    """ASGI middleware: the API key (when set) and the same-origin rule for unsafe methods."""

    OPEN_PATHS = ("/static/", "/login")

    def __init__(self, app, *, api_key: str | None) -> None:
        self.app, self.api_key = app, api_key

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin and origin != "null" and urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
                return await _send_json(send, 403, "cross-origin request refused: post from the workbench's own pages")
            if origin == "null":
                return await _send_json(send, 403, "cross-origin request refused")
        path = scope.get("path", "")
        if not self.api_key or path.startswith(self.OPEN_PATHS):
            return await self.app(scope, receive, send)
        given = self._header_key(headers) or self._cookie_key(headers) or self._query_key(scope)
        if given is None and (method not in ("GET", "HEAD") or headers.get("content-length", "0") != "0"):
            # libretranslatepy sends its key in a form body, even with GET /languages
            given, receive = await self._body_key(headers, receive)
        if given is not None and hmac.compare_digest(given.encode(), self.api_key.encode()):
            return await self.app(scope, receive, send)
        if method == "GET" and "text/html" in headers.get("accept", "") and not path.startswith("/api/"):
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", b"/login"), (b"content-length", b"0")]})
            return await send({"type": "http.response.body", "body": b""})
        # 403 either way, as LibreTranslate answers a missing or wrong key
        return await _send_json(send, 403, "Invalid API key" if given is not None else
                                "an API key is required: send it as 'Authorization: Bearer KEY', "
                                "an X-API-Key header or an api_key field")

    @staticmethod
    def _header_key(headers: dict[str, str]) -> str | None:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return headers.get("x-api-key")

    @staticmethod
    def _cookie_key(headers: dict[str, str]) -> str | None:
        from http.cookies import SimpleCookie

        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:
            return None
        return cookie[API_KEY_COOKIE].value if API_KEY_COOKIE in cookie else None

    @staticmethod
    def _query_key(scope) -> str | None:
        values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("api_key")
        return values[0] if values else None

    @staticmethod
    async def _body_key(headers: dict[str, str], receive):
        """LibreTranslate clients send ``api_key`` in the JSON or form body: read it, then replay the body."""
        chunks, more = [], True
        while more:
            event = await receive()
            if event["type"] != "http.request":
                break
            chunks.append(event.get("body", b""))
            more = event.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        ctype = headers.get("content-type", "")
        key = None
        try:
            if "json" in ctype:
                data = json.loads(body or b"{}")
                key = data.get("api_key") if isinstance(data, dict) else None
            elif "x-www-form-urlencoded" in ctype:
                key = next(iter(parse_qs(body.decode("utf-8", "replace")).get("api_key") or ()), None)
            elif "multipart/form-data" in ctype:
                key = _multipart_field(body, ctype, "api_key")
        except (ValueError, UnicodeDecodeError):
            key = None
        return (str(key) if key is not None else None), replay


def _multipart_field(body: bytes, ctype: str, name: str) -> str | None:
    """One small text field of a multipart body (the api_key of a form post), or None."""
    import email.parser
    import email.policy

    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body)
    for part in message.iter_parts() if message.is_multipart() else ():
        if part.get_param("name", header="content-disposition") == name:
            return part.get_content().strip()
    return None
