"""The line-API renderer of the conversation and the reasoning log: see README.md here."""
