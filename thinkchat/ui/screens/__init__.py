"""Dialogs and screens pushed over the chat."""
