"""What to do about an error: one sentence, in the words of the interface the user is in."""

from __future__ import annotations

from dataclasses import dataclass

from thinkchat.catalog import lookup, region_label
from thinkchat.chat.errors import ChatError, ErrorKind


@dataclass(frozen=True)
class HintContext:
    """Where the error happened, and how the user changes things from here."""

    model: str
    region: str
    endpoint: str
    change_model: str = "--model"
    change_region: str = "--region"
    change_transport: str = "--transport"
    retry: str = "run the command again"


def hint_for(error: ChatError, context: HintContext) -> str:
    """A hint that says what to do next about `error`."""
    region = region_label(context.region)
    info = lookup(context.model)
    if error.kind is ErrorKind.AUTH:
        return (
            f"Check the API key for {region}: keys are per region (a Singapore key does not work "
            "in Beijing). Set DASHSCOPE_API_KEY, or the region's key in the config file."
        )
    if error.kind is ErrorKind.PERMISSION:
        return (
            f"This key may not have access to {context.model} in {region}: enable the model in "
            f"the Model Studio console, or choose another ({context.change_model})."
        )
    if error.kind is ErrorKind.ARREARS:
        return "The Alibaba Cloud account is in arrears: top it up in the console, then retry."
    if error.kind is ErrorKind.NOT_FOUND:
        if not info.served_in(context.region):
            where = ", ".join(map(region_label, info.regions))
            return (
                f"{info.name} is served in {where} only: switch region ({context.change_region})."
            )
        return f"Check the model name ({context.change_model} lists the models)."
    if error.kind is ErrorKind.BAD_REQUEST:
        return (
            f"The service refused a parameter; check the thinking settings that {info.name} "
            "accepts (thinking-only models cannot turn thinking off)."
        )
    if error.kind is ErrorKind.CONTENT_FILTER:
        return "Content inspection blocked the input or the output: rephrase the prompt."
    if error.kind is ErrorKind.RATE_LIMIT:
        wait = f"wait {error.retry_after:g} s" if error.retry_after else "wait a moment"
        return f"Rate limited: {wait}, then {context.retry}."
    if error.kind is ErrorKind.SERVER:
        return f"The service had a problem on its side: {context.retry} in a moment."
    if error.kind is ErrorKind.CONNECTION:
        return f"Check the network and the endpoint ({context.endpoint}), then {context.retry}."
    if error.kind is ErrorKind.TIMEOUT:
        return (
            f"The service stopped responding: {context.retry}, or raise read_timeout in the "
            "config's [network] table."
        )
    if error.kind is ErrorKind.INTERRUPTED:
        return f"The stream broke off; what arrived is kept. {context.retry.capitalize()}."
    return (
        "The endpoint does not speak the expected protocol: check the endpoint and the "
        f"transport ({context.change_transport})."
    )
