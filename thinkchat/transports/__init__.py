"""Transports: one module per SDK, each turning a request into the same stream of events.

Transports are looked up by name and imported on first use, so start-up never pays for an SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from thinkchat.chat.request import Endpoint
    from thinkchat.transports.base import Transport


@dataclass(frozen=True)
class TransportInfo:
    name: str
    label: str
    module: str
    class_name: str
    sdk: str  # the package the transport imports for its first request


TRANSPORTS: dict[str, TransportInfo] = {
    info.name: info
    for info in (
        TransportInfo(
            "openai",
            "OpenAI SDK",
            "thinkchat.transports.openai_compat",
            "OpenAITransport",
            "openai",
        ),
        TransportInfo(
            "dashscope",
            "DashScope SDK",
            "thinkchat.transports.dashscope_native",
            "DashScopeTransport",
            "dashscope",
        ),
    )
}


def create_transport(name: str, endpoint: Endpoint) -> Transport:
    """The transport called `name` ("openai" or "dashscope") for `endpoint`."""
    try:
        info = TRANSPORTS[name]
    except KeyError:
        known = ", ".join(TRANSPORTS)
        raise ValueError(f"unknown transport {name!r} (choose one of: {known})") from None
    transport_class = getattr(import_module(info.module), info.class_name)
    return transport_class(endpoint)


def preload(name: str) -> None:
    """Import transport `name` and its SDK now, ahead of the first request.

    Meant for a background thread once the app is up: the openai package alone takes half a
    second to import on a slow machine, which the first request would otherwise wait for,
    with the screen frozen meanwhile.
    """
    info = TRANSPORTS.get(name)
    if info is not None:
        import_module(info.module)
        import_module(info.sdk)


def other_transport(name: str) -> str:
    """The transport ctrl+g switches to from `name`."""
    return "dashscope" if name == "openai" else "openai"
