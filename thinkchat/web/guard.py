"""Who may open the served app: whoever holds this run's secret, and only from its own page.

Anyone who can open the page can spend the user's API key and read the history. So every
request (the page, its static files, the websocket that starts an app process) needs the
secret, which `thinkchat serve` makes afresh each run and prints once, in the link
`http://host:port/?token=SECRET`. The first visit trades the token in the link for a cookie
and is sent on to the same address without it, so the secret does not linger in the address
bar or the browser's history. A websocket must also come from the served page itself (its
Origin), so another site open in the same browser cannot drive the app.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

TOKEN_PARAMETER = "token"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

REFUSED = """\
thinkchat: this page needs the link that 'thinkchat serve' printed when it started
(it ends in ?token=…). Ask whoever runs the server for it; a server started again has a new one.
"""
FOREIGN_ORIGIN = "thinkchat: the app can only be opened from its own page.\n"


@dataclass(frozen=True)
class Guard:
    """Checks each request for the secret; `cookie` names where a browser keeps it."""

    secret: str = field(repr=False)
    cookie: str

    @classmethod
    def new(cls) -> Guard:
        """A fresh secret for one run of the server, kept in a cookie of its own name (two
        servers on one host, which share cookies across ports, do not overwrite each other's)."""
        return cls(secrets.token_urlsafe(24), cookie=f"thinkchat-{secrets.token_hex(4)}")

    def holds_secret(self, offered: str | None) -> bool:
        return offered is not None and hmac.compare_digest(
            offered.encode("utf-8"), self.secret.encode("utf-8")
        )

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse (403) what does not carry the secret, before any handler runs."""
        if TOKEN_PARAMETER in request.query:
            return self._trade_token(request)
        if not self.holds_secret(request.cookies.get(self.cookie)):
            return _protected(web.Response(status=403, text=REFUSED))
        if not _same_origin(request):
            return _protected(web.Response(status=403, text=FOREIGN_ORIGIN))
        return _protected(await handler(request))

    def _trade_token(self, request: web.Request) -> web.StreamResponse:
        if not self.holds_secret(request.query.get(TOKEN_PARAMETER)):
            return _protected(web.Response(status=403, text=REFUSED))
        query = request.query.copy()
        del query[TOKEN_PARAMETER]
        response = web.Response(
            status=303, headers={"Location": str(request.rel_url.with_query(query))}
        )
        # Lax: sent when the user opens the page, never with another site's requests (its
        # websockets included).
        response.set_cookie(self.cookie, self.secret, httponly=True, samesite="Lax", path="/")
        return _protected(response)


def _same_origin(request: web.Request) -> bool:
    """True unless a browser says the request comes from a page of another site."""
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.host}"


def _protected(response: web.StreamResponse) -> web.StreamResponse:
    # Not to be framed by another site (keys typed into a hidden frame), nor to tell the
    # next site where the user came from. (A websocket's headers have gone already.)
    if not response.prepared:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response
