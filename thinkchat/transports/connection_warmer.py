"""Opening a transport's connection to its host before the first request needs it.

A first request otherwise pays for DNS, TCP and TLS to the host (one to three round trips,
hundreds of milliseconds from far away) after Enter. Instead a request the service answers
cheaply, a HEAD of the base URL, is sent through the SDK client's own HTTP client: the
connection it opens stays in that client's pool, and the first request reuses it.

The HEAD carries none of the client's credentials: only the headers any HTTP client sends.
Not to be confused with `thinkchat.ui.warm_up`, which builds the code highlighters.
"""

from __future__ import annotations

from typing import Any

# The only headers the warm-up sends: nothing that names the user or carries a key.
SENT_HEADERS = frozenset({"host", "user-agent", "accept", "accept-encoding", "connection"})


async def open_connection(http_client: Any, url: str, timeout: float) -> int:
    """HEAD `url` through `http_client` (an httpx or httpx2 `AsyncClient`) without its
    credentials, leaving the connection in its pool; the status of the answer. Raises what
    the client raises for a failure."""
    request = http_client.build_request("HEAD", url, timeout=timeout)
    for name in list(request.headers):
        if name.lower() not in SENT_HEADERS:
            del request.headers[name]
    response = await http_client.send(request)
    # Read to the end (a HEAD has no body) so that the connection goes back to the pool.
    await response.aclose()
    return response.status_code
