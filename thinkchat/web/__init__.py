"""`thinkchat serve`: the chat in browser tabs, one app process per tab (textual-serve).

The command (`thinkchat.cli.serve`) decides where to listen and what each tab runs; guard.py
keeps out whoever lacks the run's secret; server.py serves the page and the tabs' websockets;
app_process.py starts and always ends a tab's app process; driver.py, inside that process, ends
it with its server.
"""
