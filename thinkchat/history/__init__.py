"""The conversation history: SQLite written as a turn streams, and the Markdown and JSON exports.

`errors` is all the app needs before the history is opened; `store` (with SQLite) is imported
when it is.
"""
