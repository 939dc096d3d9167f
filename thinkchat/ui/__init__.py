"""The Textual app. It talks to the engine only; it never imports an SDK."""
