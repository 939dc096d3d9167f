"""The transports: one module per SDK, each turning a request into the engine's stream of events.

Each implements `thinkchat.chat.transport.Transport` and imports only `thinkchat.chat` (and its
SDK, lazily); `thinkchat.chat.transport_registry` loads them by module path. `stream_end` and
`errors` are what they share; `think_tags` splits inline `<think>` reasoning out of answer text.
"""
