"""The engine and its contract: no Textual, no SDK.

The contract is what the engine and its callers share: the request (`request`), the one event
vocabulary every transport speaks (`events`), the one error type (`errors`), the API key that
cannot leak (`api_key`), and model text made safe for a terminal (`terminal_text`). The engine
is the conversation and its turns (`conversation`, `turn`), the session that runs them
(`session`) with its retries (`retry`), the hints for errors (`hints`), and what turns cost:
the price table (`prices`), the guide's billing rules (`billing`) and costs (`cost`).

Transports are the engine's port to the SDKs: `transport` defines what one is, and
`transport_registry` names them and loads each by its module path on first use, so the engine
never imports the `transports` package, nor an SDK, before a request needs it.
"""
