"""The chat screen's widgets, each with its own DEFAULT_CSS."""
