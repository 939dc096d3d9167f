"""Settings: the TOML config file, the environment and the command line, and saving them back.

`settings` holds what a setting is, `loading` reads the file and the environment, `writer`
splices changes into the file (imported on the first save), `saver` does that off the thread
that draws.
"""
