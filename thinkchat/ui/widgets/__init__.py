"""The chat screen's other widgets, each with its own DEFAULT_CSS: the prompt, the status line,
the reasoning panel and the lines of text they are made of."""
