"""What an endpoint override may be, and which one would send the API key in the clear.

Every request carries the API key in a header, so plain HTTP hands it to anyone on the path.
To this machine that is fine (the simulator, a local proxy): an `http://` endpoint is accepted
for a loopback host only, and any other needs the user to allow it on purpose. The host is
read the way the SDKs' HTTP clients read it: URLs they could read differently (a user name, a
backslash, a query) are refused outright.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass

SCHEMES = ("http", "https")
EXAMPLE = "http://127.0.0.1:8000"
ALLOW_FLAG = "--allow-insecure-endpoint"
ALLOW_ENV = "THINKCHAT_ALLOW_INSECURE_ENDPOINT"
ALLOW_SETTING = "allow_insecure_endpoint"

# The hosts of this machine by name. Only `localhost` itself: the system resolver maps it to
# loopback from /etc/hosts, but a name under .localhost may be asked of a DNS server, whose
# answer can be any address.
_LOOPBACK_NAMES = ("localhost", "localhost.")
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/]*)(?P<path>.*)")
_AUTHORITY = re.compile(r"(?P<host>\[[^\]]*\]|[A-Za-z0-9._-]+)(?::(?P<port>[0-9]{1,5}))?")


class BadEndpoint(ValueError):
    """An endpoint that is not an http(s) URL thinkchat can use; the message says why."""


@dataclass(frozen=True)
class Cleartext:
    """A plain-HTTP endpoint on another machine: the API key would cross the network as is."""

    url: str
    host: str


def parse_endpoint(text: str) -> str:
    """The endpoint `text` names, as a host root without a trailing slash; raises
    `BadEndpoint` for anything but an http(s) URL of a host, an optional port and path."""
    text = text.strip()
    found = _URL.fullmatch(text)
    if found is None:
        authority = text.split("/")[0]
        if "://" not in text and _AUTHORITY.fullmatch(authority):
            scheme = "http" if is_loopback(_host_of(authority)) else "https"
            raise BadEndpoint(f"the URL has no scheme: did you mean {scheme}://{text}?")
        raise BadEndpoint(f"expected an http(s) URL such as {EXAMPLE}")
    scheme = found["scheme"].lower()
    if scheme not in SCHEMES:
        raise BadEndpoint(
            f"{scheme}:// is not supported: expected an http(s) URL such as {EXAMPLE}"
        )
    authority, path = found["authority"], found["path"]
    if "@" in authority:
        # What stands before the @ is a user name and maybe a password: not shown again.
        raise BadEndpoint("a user name or password in the URL is not supported")
    if not authority:
        raise BadEndpoint(f"the URL names no host: expected one such as {EXAMPLE}")
    address = _AUTHORITY.fullmatch(authority)
    if address is None or (address["host"].startswith("[") and _ip(address["host"]) is None):
        raise BadEndpoint(f"{authority!r} is not a host name or address with an optional port")
    if address["port"] is not None and not 0 < int(address["port"]) < 65536:
        raise BadEndpoint(f"port {address['port']} is out of range (1 to 65535)")
    if any(mark in path for mark in "?#\\") or re.search(r"\s", path):
        raise BadEndpoint("the URL's path may hold no query, fragment, backslash or space")
    return f"{scheme}://{authority}{path}".rstrip("/")


def cleartext(url: str | None) -> Cleartext | None:
    """The endpoint, when it is plain HTTP to a host that is not this machine."""
    if url is None:
        return None
    found = _URL.fullmatch(url)
    if found is None or found["scheme"].lower() != "http":
        return None
    host = _host_of(found["authority"])
    return None if is_loopback(host) else Cleartext(url, host)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name, an IPv4 address, or an IPv6 one with or without brackets) is
    this machine: `localhost`, 127.0.0.0/8, ::1, or an IPv4-mapped loopback address."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    address = _ip(host)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address is not None and address.is_loopback


def cleartext_warning(url: str | None, allowed: bool, origins: Mapping[str, str]) -> str | None:
    """None when `url` keeps the key safe; when it is plain HTTP to another machine, the warning
    to give once a run if `allowed`, else `BadEndpoint` saying how to allow it. `origins` says
    where the endpoint and the allowance were set ("--endpoint", "$THINKCHAT_ENDPOINT", ...)."""
    found = cleartext(url)
    if found is None:
        return None
    if not allowed:
        raise BadEndpoint(
            f"the endpoint {found.url} ({origins.get('endpoint', 'the config')}) is plain HTTP "
            f"to {found.host}, which is not this machine: the API key would cross the network "
            "unencrypted. Use https://, or if you mean it (a proxy on a network you trust), "
            f"allow it with {ALLOW_FLAG}, {ALLOW_ENV}=1 or {ALLOW_SETTING} = true in the "
            "config file."
        )
    return (
        f"the endpoint {found.url} is plain HTTP to {found.host}, which is not this machine: "
        "the API key and the conversation cross the network unencrypted (allowed by "
        f"{origins.get(ALLOW_SETTING, ALLOW_SETTING)})."
    )


def _host_of(authority: str) -> str:
    address = _AUTHORITY.fullmatch(authority)
    return address["host"] if address else authority


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return None
