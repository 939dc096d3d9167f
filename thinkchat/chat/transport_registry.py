"""The transports there are, by name: their labels, where they live, and loading them.

Each transport is loaded from its module path when it is first used, so that neither the
engine nor start-up imports the `transports` package or an SDK before a request needs it.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from thinkchat.chat.request import Endpoint
    from thinkchat.chat.transport import Transport


@dataclass(frozen=True)
class TransportInfo:
    """A transport: its name in settings, its label for people, and where its class lives."""

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


def transport_label(name: str) -> str:
    """How a transport is named to the user ("OpenAI SDK"); an unknown name as it is."""
    return TRANSPORTS[name].label if name in TRANSPORTS else name


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

    Meant for a background thread once the app is up: importing an SDK takes long enough that
    the first request, with the screen frozen meanwhile, should not wait for it.
    """
    info = TRANSPORTS.get(name)
    if info is not None:
        import_module(info.module)
        import_module(info.sdk)


def preload_in_background(name: str) -> None:
    """Start importing transport `name` and its SDK on a thread of their own, for a command
    that has other work to do first (its config, the prompt, a key command): that work and the
    import overlap. A failure is left for the request to report, with a hint."""

    def quietly() -> None:
        with contextlib.suppress(Exception):
            preload(name)

    threading.Thread(target=quietly, name=f"import {name}", daemon=True).start()


def other_transport(name: str) -> str:
    """The transport ctrl+g switches to from `name`."""
    return "dashscope" if name == "openai" else "openai"
