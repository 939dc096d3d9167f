"""`thinkchat serve`: where to listen, what each tab runs, and the link that opens it."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import socket
import sys
from pathlib import Path

from thinkchat.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from thinkchat.cli.options import load_settings
from thinkchat.config.errors import ConfigError

LOOPBACK_NAMES = ("localhost",)
WILDCARD_HOSTS = ("0.0.0.0", "::")
SETTINGS_PASSED_ON = ("model", "region", "transport", "endpoint")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: only this machine can connect."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def app_command(args: argparse.Namespace) -> list[str]:
    """The command line each tab's app process runs: thinkchat, with serve's settings.

    Keys are never on it (`ps` shows every command line to every user): the app reads them
    from the config file and the environment, as it does in a terminal.
    """
    command = [sys.executable, "-m", "thinkchat"]
    if getattr(args, "config", None):
        command += ["--config", str(Path(args.config).expanduser().resolve())]
    for name in SETTINGS_PASSED_ON:
        value = getattr(args, name, None)
        if value is not None:
            command += [f"--{name}", str(value)]
    think = getattr(args, "think", None)
    if think is not None:
        command.append("--think" if think else "--no-think")
    budget = getattr(args, "budget", None)
    if budget is not None:
        command += ["--budget", str(budget)]
    if getattr(args, "demo", None):
        command.append("--demo")
    return command


def link(host: str, port: int, secret: str) -> str:
    """The address to open, secret included; a wildcard host is named by this machine's name."""
    shown = socket.gethostname() if host in WILDCARD_HOSTS else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/?token={secret}"


def run_serve(args: argparse.Namespace) -> int:
    """Serve the app to browser tabs until interrupted; returns the exit code."""
    host: str = args.host
    if not is_loopback(host) and not args.allow_remote:
        port = args.port or 8800
        sys.stderr.write(
            f"thinkchat: error: --host {host} would let other machines open the app, and with "
            "it spend your API key and read your history. Add --allow-remote if that is what "
            "you want (the page is then locked by a secret link), or reach a server on "
            f"127.0.0.1 through an SSH tunnel: ssh -L {port}:127.0.0.1:{port} HOST.\n"
        )
        return EXIT_USAGE
    try:
        load_settings(args)  # a broken config is reported here, not in every tab
    except ConfigError as problem:
        sys.stderr.write(f"thinkchat: error: {problem}\n")
        return EXIT_USAGE

    from thinkchat.web.guard import Guard
    from thinkchat.web.server import AppServer

    guard = Guard.new()
    server = AppServer(app_command(args), host=host, port=args.port, guard=guard)

    def announce(port: int) -> None:
        if not is_loopback(host):
            sys.stderr.write(
                f"thinkchat: warning: listening on {host}: anyone who can open the link below "
                "can use thinkchat with your API key and read your history. The connection is "
                "plain HTTP: on a network you do not trust, use an SSH tunnel or a TLS proxy.\n"
            )
        sys.stderr.write(
            f"thinkchat: serving{' the demo' if args.demo else ''} at\n\n"
            f"    {link(host, port, guard.secret)}\n\n"
            "Each browser tab runs its own thinkchat. Press ctrl+c to stop the server and "
            "every tab's app.\n"
        )
        sys.stderr.flush()

    try:
        asyncio.run(server.run(announce))
    except OSError as problem:
        sys.stderr.write(
            f"thinkchat: error: cannot listen on {host} port {args.port}: "
            f"{problem.strerror or problem} (try another --port, or --port 0 for any free one)\n"
        )
        return EXIT_FAILED
    return EXIT_OK
