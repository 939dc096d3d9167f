"""How the process itself is tuned, below the command line and the app that both use it."""
