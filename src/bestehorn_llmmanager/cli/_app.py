"""The ``bedrock-catalog`` command: the argument parser, the entry point and the error mapping.

The one place that turns an exception into an exit status: a library error becomes one line and
a hint on stderr (and, with ``--json``, an error object on stdout). Ctrl-C exits at once with 130;
a closed pipe ends the command quietly. It imports boto3 only to build the session of
``--profile``, on first use; the library imports it on the paths that call AWS.

Exit codes: 0 success, 1 error, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NoReturn

from .. import __version__
from ..bedrock.catalog import (
    BUNDLE_FRESHNESS_WARNING_DAYS,
    ENV_CACHE_DIR,
    ENV_OFFLINE,
    CatalogError,
    CatalogUnavailableError,
    FetchError,
    ModelNotFoundError,
    NoCredentialsError,
    validate_region,
)
from ._render import ACCESS_LEGEND, PROG, err, error_json
from ._run import Failure, Run

_CACHE_MODES = ("file", "memory", "none")

#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class _Options:
    """What main() knows before the arguments are parsed (for usage errors)."""

    json = False


# -- argument parsing ----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with a "did you mean" hint for mistyped subcommands, options and choices."""

    def error(self, message: str) -> NoReturn:
        # One line plus a hint, like every other error; the usage is one `--help` away.
        hint = _usage_hint(self, message)
        if _Options.json:
            error_json(message, hint, 2)
        text = f"{PROG}: error: {message}\n"
        if hint:
            text += f"hint: {hint}\n"
        self.exit(2, text)


def _usage_hint(parser: argparse.ArgumentParser, message: str) -> str:
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        options = [c.strip(" '") for c in choice.group(2).split(",")]
        close = difflib.get_close_matches(choice.group(1), options, n=1, cutoff=0.5)
        if close:
            return f"did you mean {close[0]!r}?"
        return f"run `{parser.prog} --help` for the list"
    unknown = re.search(r"unrecognized arguments: (\S+)", message)
    if unknown:
        # Only options this (sub)command has: a hint must never suggest one it would refuse.
        known = sorted(_option_strings(parser))
        close = difflib.get_close_matches(unknown.group(1).split("=")[0], known, n=1, cutoff=0.6)
        if close:
            return f"did you mean {close[0]}?"
        return f"run `{parser.prog} --help` for the options"
    return f"run `{parser.prog} --help`"


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:  # argparse offers no public walk of its actions
        found.update(s for s in action.option_strings if s.startswith("--"))
    return found


def _region(value: str) -> str:
    candidate = value.strip().lower()
    try:
        return validate_region(candidate)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an AWS region name (e.g. us-east-1)"
        ) from None


def _cache_mode(value: str) -> str:
    mode = value.strip().lower()
    if mode not in _CACHE_MODES:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a cache mode; use one of {', '.join(_CACHE_MODES)}"
        )
    return mode


def _text(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty value matches nothing; drop the option")
    return value.strip()


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO date or time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _non_negative(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number >= 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be >= 0")
    return number


def _add_global_options(parser: argparse.ArgumentParser, *, sub: bool) -> None:
    """The global options, accepted before and after the subcommand.

    In subcommands they default to SUPPRESS, so a value given before the subcommand is kept.
    """

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if sub else value

    group = parser.add_argument_group("global options")
    group.add_argument(
        "--cache-mode",
        type=_cache_mode,
        default=default("file"),
        metavar="{file,memory,none}",
        help="where the catalog is cached (default: file)",
    )
    group.add_argument(
        "--cache-dir",
        default=default(None),
        metavar="DIR",
        help=f"cache directory (default: ${ENV_CACHE_DIR} or the platform's user cache dir)",
    )
    group.add_argument(
        "--offline",
        action="store_true",
        default=default(False),
        help=f"never call AWS: use the cache or the bundled data (also: {ENV_OFFLINE}=1)",
    )
    group.add_argument(
        "--profile", default=default(None), metavar="NAME", help="AWS profile for live calls"
    )
    # Before the subcommand --regions takes one comma-separated value (a "+" there would swallow
    # the subcommand's name); after it, any number of space- or comma-separated values. Words
    # that are not region names are checked after parsing (for `show`, they are the name).
    group.add_argument(
        "--regions",
        nargs="+" if sub else None,
        default=default(None),
        metavar="REGION" if sub else "R1,R2",
        help="regions to fetch (default: every Bedrock region)",
    )
    group.add_argument(
        "--json", action="store_true", default=default(False), help="print JSON on stdout"
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default(0),
        help="more detail on stderr (-v: info, -vv: debug, -vvv: also botocore's debug)",
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default(False),
        help="only errors on stderr (no notes, no warnings, no progress)",
    )
    # Hidden: fixes "now" for ages and expiry, so tests can use synthetic dates.
    group.add_argument("--now", type=_moment, default=default(None), help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (exposed for documentation and tests)."""
    parser = _Parser(
        prog=PROG,
        description="Which AWS Bedrock model is callable from which region, and with which ID.",
        epilog=(
            "Without AWS credentials, list and show answer from the data bundled with the "
            "package. Exit codes: 0 ok, 1 error, 2 usage error, 130 interrupted."
        ),
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(parser, sub=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(
        name: str, help_text: str, parent: Any = commands, epilog: str | None = None
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(
            name, help=help_text, description=help_text, epilog=epilog, allow_abbrev=False
        )
        _add_global_options(sub, sub=True)
        sub.set_defaults(command_parser=sub)
        return sub

    listing = command(
        "list",
        "list models, optionally those callable from one region",
        epilog=ACCESS_LEGEND + ". LEGACY models are marked [LEGACY].",
    )
    listing.add_argument("--region", type=_region, help="only models callable from REGION")
    listing.add_argument(
        "--provider", type=_text, help="only this provider (e.g. Anthropic, Amazon)"
    )
    listing.add_argument("--streaming", action="store_true", help="only streaming models")
    listing.add_argument("--input-modality", type=_text, metavar="M", help="e.g. TEXT, IMAGE")
    listing.add_argument("--output-modality", type=_text, metavar="M", help="e.g. TEXT, EMBEDDING")
    listing.add_argument("--no-legacy", action="store_true", help="hide LEGACY models")
    listing.add_argument(
        "--all",
        action="store_true",
        help="also list provisioned-only variants (e.g. amazon.nova-pro-v1:0:300k)",
    )
    listing.set_defaults(handler="_list:cmd_list")

    show = command("show", "show one model and the ID to use from each region")
    show.add_argument(
        "name",
        nargs="*",
        metavar="NAME",
        help="a model name (quotes optional), ID, profile ID or ARN",
    )
    show.add_argument(
        "--region", type=_region, help="only REGION: its row and the Converse ID to send there"
    )
    show.set_defaults(handler="_list:cmd_show")

    refresh = command("refresh", "fetch the catalog from the AWS APIs now and cache it")
    refresh.set_defaults(handler="_status:cmd_refresh")

    status = command(
        "status",
        "show what the next command would use (never fetches unless --refresh), its age, the "
        "cache path and the bundle date",
    )
    status.add_argument("--refresh", action="store_true", help="fetch from the AWS APIs first")
    status.set_defaults(handler="_status:cmd_status")

    def group(name: str, help_text: str) -> Any:
        """A command with actions of its own (``cache dir``, ``bundle verify``...)."""
        actions = command(name, help_text).add_subparsers(
            dest=f"{name}_command", metavar="ACTION", parser_class=_Parser
        )
        actions.required = True
        return actions

    cache_commands = group("cache", "inspect or clear the cache (like `pip cache`)")
    command("dir", "print the cache directory", cache_commands).set_defaults(
        handler="_cache:cmd_cache_dir"
    )
    info = command("info", "show the cache file, its size, age and regions", cache_commands)
    info.set_defaults(handler="_cache:cmd_cache_info")
    clear = command("clear", "remove the cache files this library created", cache_commands)
    clear.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    clear.set_defaults(handler="_cache:cmd_cache_clear")

    bundle_commands = group("bundle", "regenerate, verify or compare bundled catalog files")
    generate = command("generate", "regenerate the bundled catalog file", bundle_commands)
    source = generate.add_mutually_exclusive_group(required=True)
    source.add_argument("--live", action="store_true", help="fetch from the AWS APIs")
    source.add_argument("--from-snapshot", metavar="DIR", help="read a snapshot directory")
    generate.add_argument(
        "--output",
        type=Path,
        metavar="P",
        help="file to write (required outside a source checkout; there: the package data)",
    )
    generate.add_argument(
        "--force",
        action="store_true",
        help="write even if a region failed or the model count shrank by over a fifth",
    )
    generate.set_defaults(handler="_bundle:cmd_bundle_generate")
    verify = command("verify", "check a bundled catalog file and its age", bundle_commands)
    verify.add_argument(
        "file", nargs="?", type=Path, metavar="FILE", help="default: the installed bundle"
    )
    verify.add_argument(
        "--max-age-days",
        type=_non_negative,
        default=float(BUNDLE_FRESHNESS_WARNING_DAYS),
        metavar="N",
        help=f"fail if the data is older than N days (default: {BUNDLE_FRESHNESS_WARNING_DAYS})",
    )
    verify.set_defaults(handler="_bundle:cmd_bundle_verify")
    diff = command("diff", "compare two catalog files as a Markdown summary", bundle_commands)
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.set_defaults(handler="_bundle:cmd_bundle_diff")
    return parser


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse, then the checks argparse cannot express (region words, names, stray words)."""
    args, extras = parser.parse_known_args(argv)
    sub: argparse.ArgumentParser = getattr(args, "command_parser", parser)
    words: list[str] = []
    regions: list[str] | None = None
    if args.regions is not None:
        values = args.regions if isinstance(args.regions, list) else [args.regions]
        regions = []
        for index, value in enumerate(values):
            parts = [p for p in value.split(",") if p.strip()]
            try:
                regions += [_region(p) for p in parts]
            except argparse.ArgumentTypeError as exc:
                if args.command == "show" and regions and index > 0:
                    # `show --regions us-east-1 Nova Pro`: the name follows the regions.
                    words = list(values[index:])
                    break
                sub.error(f"argument --regions: {exc}")
        if not regions:
            sub.error("argument --regions: expected at least one region name")
        args.regions = regions
    if args.command == "show":
        stray = [e for e in extras if not e.startswith("-")]
        extras = [e for e in extras if e.startswith("-")]
        args.name = " ".join([*args.name, *stray, *words]).strip()
        if not args.name:
            sub.error('NAME is required and may not be empty (e.g. show "Claude Haiku 4.5")')
    if extras:
        sub.error(f"unrecognized arguments: {' '.join(extras)}")
    return args


# -- entry point ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0 ok, 1 error, 2 usage, 130 interrupted)."""
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        _interrupted()
        return EXIT_INTERRUPTED  # not reached: _interrupted ends the process


def _quiet_stdout() -> None:
    # The reader (e.g. `head`) has what it wanted. Point stdout at devnull so the flush at
    # interpreter exit does not raise again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _interrupted() -> NoReturn:
    """Ctrl-C: end now with 130. Worker threads stuck on a socket would otherwise be joined
    at interpreter exit, keeping the process alive for as long as their read timeout."""
    from ._progress import ProgressAware

    bar = ProgressAware.active
    try:
        if bar is not None:
            bar.finish()
        sys.stderr.write(f"\n{PROG}: interrupted\n")
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(EXIT_INTERRUPTED)


def _main(argv: list[str]) -> int:
    parser = build_parser()
    _Options.json = "--json" in argv
    if not argv:
        parser.print_help()
        return 0
    try:
        args = _parse(parser, argv)
    except SystemExit as stop:  # --help, --version, usage errors
        return stop.code if isinstance(stop.code, int) else 2
    if args.command is None:
        parser.print_help()
        return 0
    run = Run(args)
    try:
        return _dispatch(run)
    finally:
        run.close()


def _dispatch(run: Run) -> int:
    args = run.args
    try:
        code = _handler(args.handler)(run)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        raise
    except Failure as failure:
        return _fail(run, str(failure), failure.hint)
    except ModelNotFoundError as exc:
        return _fail(run, str(exc), f"run `{PROG} list` to see every model (add --region R)")
    except NoCredentialsError as exc:
        cause = exc.__cause__
        if type(cause).__name__ == "ProfileNotFound" and run.args.profile:
            return _fail(
                run,
                f"the AWS profile {run.args.profile!r} was not found",
                "check the name against `aws configure list-profiles` (profiles live in "
                "~/.aws/config and ~/.aws/credentials)",
            )
        # The library's message speaks to Python callers (session=...); say it for a terminal.
        message = (
            "no AWS credentials found"
            if cause is None
            else f"AWS credentials could not be resolved ({type(cause).__name__})"
        )
        return _fail(
            run,
            message,
            f"live commands need AWS credentials: pass --profile NAME, or set AWS_PROFILE; "
            f"`{PROG} list` and `{PROG} show` work without them from the bundled data",
        )
    except CatalogUnavailableError as exc:
        return _fail(run, str(exc), "drop --offline / fallback settings, or check the cache dir")
    except FetchError as exc:  # the API answered nothing usable: no region, or none reachable
        return _fail(
            run,
            str(exc),
            "check the network, any proxy (HTTPS_PROXY) and endpoint override "
            f"(AWS_ENDPOINT_URL_BEDROCK); `{PROG} list` and `{PROG} show` still answer from "
            "the cache or the bundled data",
        )
    except CatalogError as exc:
        return _fail(run, str(exc), f"run with -v for details; see `{PROG} --help`")
    except (ValueError, OSError) as exc:
        return _fail(run, str(exc), "run with -v for details")
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("botocore", "boto3"):
            raise
        # e.g. ProfileNotFound, NoRegionError, a bad endpoint URL: AWS setup, not a bug.
        return _fail(
            run, f"{type(exc).__name__}: {exc}", "check --profile, AWS_PROFILE and ~/.aws/config"
        )


def _handler(spec: str) -> Callable[[Run], int]:
    """``"_module:function"`` -> the command function, importing only that command's module
    (a warm ``list`` never loads the bundle generator or the diff engine)."""
    import importlib

    module, _, name = spec.partition(":")
    command: Callable[[Run], int] = getattr(
        importlib.import_module(f".{module}", __package__), name
    )
    return command


def _fail(run: Run, message: str, hint: str, code: int = 1) -> int:
    if run.json:
        error_json(message, hint, code)
    err(message, hint)
    return code
