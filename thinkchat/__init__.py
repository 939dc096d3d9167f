"""thinkchat: watch deep-thinking models think, and steer how they think, from the terminal."""

__version__ = "0.1.0"
