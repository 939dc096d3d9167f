"""The parser and `main`: `thinkchat` opens the TUI, `thinkchat ask` answers once without it.

Only what parsing needs is imported here; the TUI, the SDKs and the simulator load when a
command uses them, so `--help` and `--version` are instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from thinkchat import __version__
from thinkchat.process.gc_pause import end_start_up

VERSION = f"thinkchat {__version__}"

_EPILOG = """\
examples:
  thinkchat                               open the chat (keys: see README or ctrl+p)
  thinkchat --demo                        try it against the built-in simulator, no key needed
  thinkchat ask "why is the sky blue?"    answer on stdout, reasoning on stderr
  git diff | thinkchat ask --no-think "write a commit message for this"
  thinkchat ask --json --model qwq-plus "2+2?" | jq .
  thinkchat serve --demo                  the chat in a browser tab

Settings come from flags, then the environment (DASHSCOPE_API_KEY, THINKCHAT_MODEL,
THINKCHAT_REGION, THINKCHAT_TRANSPORT, THINKCHAT_THINKING, THINKCHAT_BUDGET, THINKCHAT_ENDPOINT,
THINKCHAT_ALLOW_INSECURE_ENDPOINT), then the config file ('thinkchat config path' prints where
it is), then built-in defaults. An endpoint on another machine must be https:// (the API key
travels with every request) unless --allow-insecure-endpoint, THINKCHAT_ALLOW_INSECURE_ENDPOINT=1
or allow_insecure_endpoint = true in the config allows plain http:// on purpose.
"""

_ASK_EPILOG = """\
examples:
  thinkchat ask "why is the sky blue?"
  git diff | thinkchat ask --compare think,no-think "review this"
  thinkchat ask --compare budget=200,budget=2000 "prove that sqrt(2) is irrational"
  thinkchat ask --compare model=qwen-plus+think,model=qwq-plus --json "2+2?" | jq -c .
  thinkchat ask --file app.py --file test_app.py "why does the test fail?"

Standard input, when it is not a terminal, is added to the prompt, then each --file in a
fenced code block under its name. A file that is missing, unreadable, binary (NUL bytes, or
not UTF-8) or over 256 KiB is exit 2, and nothing is sent.
exit codes: 0 done, 1 the service or the network failed (with --compare: any variant
failed; the others are printed whole), 2 bad usage or configuration, 130 interrupted.
--json prints one event per line: reasoning, answer, usage (with cost and currency where a
price is known), finish or error, and reasoning_retracted when the reasoning so far was the
answer (drop it; the answer follows).
When thinking used up the output limit or stopped at its budget with little or no answer, a
note on stderr says so, and how to ask again with more room (--max-tokens, --budget,
--no-think).

--compare VARIANTS sends the prompt under each variant at once: variants separated by
commas, each one or more of think, no-think, budget=N (none: no limit), model=NAME,
transport=openai|dashscope, region=R joined by + (two to four variants). Each answer is
printed whole under a header, in order (the later ones are kept until the earlier have
ended), reasoning on stderr, and a table comparing time to the first token and to the whole
answer, the tokens and the cost on stderr at the end, the better figure marked with *
(lower times, tokens and cost, more cached tokens). With --json each variant opens with
{"type": "variant", "variant": i, "label", "settings"} and every event carries "variant": i
(0-based).
"""


_SERVE_EPILOG = """\
examples:
  thinkchat serve --demo                  try it in a browser against the built-in simulator
  thinkchat serve --model qwq-plus        open the printed link; each tab is a new chat
  thinkchat serve --host 0.0.0.0 --allow-remote --port 8800
                                          let other machines in (with the secret link)

Keys come from the config file and the environment, as in the terminal; they are never put on
the command line of the tabs' apps. From another machine, an SSH tunnel keeps the server on
127.0.0.1:  ssh -L 8800:127.0.0.1:8800 HOST, then open the printed link on your machine.
In a browser ctrl+t and ctrl+n (and in Firefox ctrl+q) belong to the browser: use the command
palette (ctrl+p) for thinking on/off, new conversation and quit.
"""


def build_parser() -> argparse.ArgumentParser:
    # Imported here: the settings' options bring the catalog (the regions are --region's
    # choices) and the transports' names, which `--version` does not need.
    from thinkchat.cli.options import settings_options

    settings = settings_options()
    parser = argparse.ArgumentParser(
        prog="thinkchat",
        description=(
            "Chat with deep-thinking models on Alibaba Cloud Model Studio: watch the reasoning "
            "stream beside the answer, and steer thinking from the keyboard."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[settings],
    )
    parser.add_argument("--version", action="version", version=VERSION)
    resume = parser.add_mutually_exclusive_group()
    resume.add_argument(
        "--continue",
        dest="continue_last",
        action="store_true",
        help="reopen the latest conversation",
    )
    resume.add_argument("--resume", metavar="ID", type=int, help="reopen conversation ID")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser(
        "ask",
        parents=[settings_options(default=argparse.SUPPRESS)],
        help="answer one prompt without the TUI (for scripts and pipes)",
        description="Stream one answer: the answer to stdout, the reasoning to stderr.",
        epilog=_ASK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ask.add_argument("prompt", nargs="*", help="the prompt (words are joined with spaces)")
    ask.add_argument("--system", metavar="TEXT", help="system prompt")
    _add_parameter_options(ask)
    ask.add_argument(
        "--file",
        dest="files",
        action="append",
        default=[],
        metavar="PATH",
        help="add a text file to the prompt, fenced with its name (repeatable; up to 256 KiB "
        "a file)",
    )
    ask.add_argument("--hide-reasoning", action="store_true", help="do not print the reasoning")
    ask.add_argument("--json", action="store_true", help="print one JSON event per line on stdout")
    ask.add_argument(
        "--compare",
        metavar="VARIANTS",
        help="ask under each variant at once and compare, e.g. think,no-think (see below)",
    )

    config = commands.add_parser("config", help="where the config file is, and an example of it")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    config_path = config_commands.add_parser("path", help="print the config file's location")
    config_path.add_argument("--config", metavar="PATH", help=argparse.SUPPRESS)
    config_init = config_commands.add_parser(
        "init", help="write the documented example config there (never overwrites)"
    )
    config_init.add_argument("--config", metavar="PATH", help=argparse.SUPPRESS)

    _add_serve_command(commands)

    export = commands.add_parser(
        "export",
        help="print a stored conversation as Markdown or JSON",
        description="Print a stored conversation, reasoning included (unless --no-reasoning), "
        "to stdout.",
    )
    export.add_argument("conversation_id", metavar="ID", type=int, help="the conversation's id")
    export.add_argument(
        "--format", choices=("md", "json"), default="md", help="md (default) or json"
    )
    export.add_argument(
        "--no-reasoning",
        dest="reasoning",
        action="store_false",
        help="leave the reasoning out (the answers, usage and settings stay)",
    )
    return parser


def _add_parameter_options(ask: argparse.ArgumentParser) -> None:
    """The model parameters of `ask`'s request, over the config's (both modes)."""
    group = ask.add_argument_group(
        "model parameters", "for this request, over the config's [parameters]; unset: not sent"
    )
    group.add_argument(
        "--max-tokens",
        type=_tokens,
        metavar="N",
        help="the output limit: at most N tokens (thinking may use them up; the default is the "
        "model's own)",
    )
    for flag, metavar, words in (
        ("--temperature", "T", "sampling temperature, 0 to below 2"),
        ("--top-p", "P", "nucleus sampling, above 0 up to 1"),
        ("--top-k", "K", "sample from the K likeliest tokens"),
        ("--presence-penalty", "X", "-2 to 2: above 0 discourages repeating"),
        ("--seed", "N", "a seed for more repeatable answers, 0 to 2147483647"),
    ):
        group.add_argument(
            flag, type=_parameter(flag[2:].replace("-", "_")), metavar=metavar, help=words
        )
    group.add_argument(
        "--preset",
        choices=("qwen3", "none"),
        help="qwen3: the Qwen3 model cards' values for what is not set (per thinking mode); "
        "none: no preset, whatever the config says",
    )


def _parameter(name: str) -> Callable[[str], float | int]:
    def parse(text: str) -> float | int:
        # Imported when a flag is given: --help and the others do not need the engine.
        from thinkchat.chat.parameters import ParameterError, parse_parameter

        try:
            value = parse_parameter(name, text)
        except ParameterError as problem:
            raise argparse.ArgumentTypeError(str(problem)) from None
        if value is None:
            raise argparse.ArgumentTypeError(f"{name}: expected a value")
        return value

    return parse


def _tokens(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of tokens above 0, not {text!r}")
    return value


def _add_serve_command(commands: argparse._SubParsersAction) -> None:
    from thinkchat.cli.options import settings_options

    serve = commands.add_parser(
        "serve",
        parents=[settings_options(default=argparse.SUPPRESS)],
        help="serve the chat to browser tabs (each tab runs its own thinkchat)",
        description=(
            "Serve the chat to a web browser: each tab runs its own thinkchat with the settings\n"
            "given here, and ends with its tab. Open the link printed when the server starts:\n"
            "it carries a secret made afresh each run, and without it the page is refused."
        ),
        epilog=_SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    serve.add_argument(
        "--port", type=int, default=8800, help="port to listen on (default 8800; 0: any free one)"
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (anyone with the link spends your key)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `thinkchat` command."""
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered as the parser's --version would be, without building the parser first.
        print(VERSION)
        sys.exit(0)
    args = build_parser().parse_args(argv)
    if args.command == "ask":
        from thinkchat.cli.ask import run_ask

        return run_ask(args)
    if args.command in ("export", "config"):
        end_start_up()  # a one-shot command: its start-up is over once it is parsed
    if args.command == "serve":
        from thinkchat.cli.serve import run_serve

        return run_serve(args)
    if args.command == "export":
        from thinkchat.cli.export import run_export

        return run_export(args)
    if args.command == "config":
        from thinkchat.cli.config_commands import run_config_command

        return run_config_command(args)
    from thinkchat.cli.tui import run_tui

    return run_tui(args)


if __name__ == "__main__":
    sys.exit(main())
