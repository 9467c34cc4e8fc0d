"""The ``bedrock-catalog`` command: query, refresh and inspect the Bedrock model catalog.

The only module of the package that prints. It parses arguments, calls the library, and turns
results into aligned tables or stable JSON (stdout) and one-line messages with a hint (stderr).
It never imports boto3 itself; the library does, and only on the paths that call AWS.

Exit codes: 0 success, 1 error, 2 usage error.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import logging
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ._errors import (
    CatalogError,
    CatalogUnavailableError,
    ModelNotFoundError,
    NoCredentialsError,
)
from ._version import __version__
from .bedrock.catalog._constants import BUNDLE_FRESHNESS_WARNING_DAYS, ENV_CACHE_DIR, ENV_OFFLINE
from .bedrock.catalog._regions import is_region_name
from .bedrock.catalog._types import (
    AccessMethod,
    CatalogSource,
    ModelAccess,
    ModelInfo,
    RegionOutcome,
    RegionStatus,
    describe_age,
)

if TYPE_CHECKING:
    from .bedrock.catalog._catalog import Catalog
    from .bedrock.catalog._facade import BedrockModelCatalog
    from .bedrock.catalog._store import CacheInfo

PROG = "bedrock-catalog"

#: Tables are cut to this many columns (names first, ids last); JSON is never cut.
TABLE_WIDTH = 100

_PACKAGE_LOGGER = "bestehorn_llmmanager"
_ACCOUNT_ID = re.compile(r"(?<![\d.])\d{12}(?!\d)")
_CACHE_MODES = ("file", "memory", "none")


class Failure(Exception):
    """An error the command reports as one line plus a hint, then exits 1."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


# -- argument parsing ----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with a "did you mean" hint for mistyped subcommands, options and choices."""

    def error(self, message: str) -> NoReturn:
        # One line plus a hint, like every other error; the usage is one `--help` away.
        hint = _usage_hint(self, message)
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
        known = sorted(_all_option_strings(parser))
        close = difflib.get_close_matches(unknown.group(1).split("=")[0], known, n=1, cutoff=0.6)
        if close:
            return f"did you mean {close[0]}?"
        return f"run `{PROG} --help`, or `{PROG} COMMAND --help`, for the options"
    return f"run `{parser.prog} --help`"


def _all_option_strings(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:  # argparse offers no public walk of its actions
        found.update(s for s in action.option_strings if s.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _all_option_strings(sub)
    return found


def _region(value: str) -> str:
    if is_region_name(value):
        return value
    lowered = value.strip().lower()
    if is_region_name(lowered):
        return lowered
    raise argparse.ArgumentTypeError(f"{value!r} is not an AWS region name (e.g. us-east-1)")


def _regions(value: str) -> list[str]:
    return [_region(part) for part in value.split(",") if part.strip()]


def _cache_mode(value: str) -> str:
    mode = value.strip().lower()
    if mode not in _CACHE_MODES:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a cache mode; use one of {', '.join(_CACHE_MODES)}"
        )
    return mode


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
    # the subcommand's name); after it, any number of space- or comma-separated values.
    group.add_argument(
        "--regions",
        type=_regions,
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
        help="log to stderr (-v: info, -vv: debug)",
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
            "package. Exit codes: 0 ok, 1 error, 2 usage error."
        ),
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(parser, sub=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(name: str, help_text: str, parent: Any = commands) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(
            name, help=help_text, description=help_text, allow_abbrev=False
        )
        _add_global_options(sub, sub=True)
        return sub

    listing = command("list", "list models, optionally those callable from one region")
    listing.add_argument("--region", type=_region, help="only models callable from REGION")
    listing.add_argument("--provider", help="only this provider (e.g. Anthropic, Amazon)")
    listing.add_argument("--streaming", action="store_true", help="only streaming models")
    listing.add_argument("--input-modality", metavar="M", help="e.g. TEXT, IMAGE")
    listing.add_argument("--output-modality", metavar="M", help="e.g. TEXT, EMBEDDING")
    listing.add_argument("--no-legacy", action="store_true", help="hide LEGACY models")
    listing.set_defaults(handler=cmd_list)

    show = command("show", "show one model and the ID to use from each region")
    show.add_argument("name", metavar="NAME", help="a model name, ID, profile ID or ARN")
    show.set_defaults(handler=cmd_show)

    refresh = command("refresh", "fetch the catalog from the AWS APIs now and cache it")
    refresh.set_defaults(handler=cmd_refresh)

    status = command("status", "show the data source, its age, the cache path and bundle date")
    status.set_defaults(handler=cmd_status)

    cache = command("cache", "inspect or clear the cache (like `pip cache`)")
    cache_commands = cache.add_subparsers(dest="cache_command", metavar="ACTION")
    cache_commands.required = True
    command("dir", "print the cache directory", cache_commands).set_defaults(handler=cmd_cache_dir)
    info = command("info", "show the cache file, its size, age and regions", cache_commands)
    info.set_defaults(handler=cmd_cache_info)
    clear = command("clear", "remove the cache files this library created", cache_commands)
    clear.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    clear.set_defaults(handler=cmd_cache_clear)

    bundle = command("bundle", "regenerate, verify or compare bundled catalog files")
    bundle_commands = bundle.add_subparsers(dest="bundle_command", metavar="ACTION")
    bundle_commands.required = True
    generate = command("generate", "regenerate the bundled catalog file", bundle_commands)
    source = generate.add_mutually_exclusive_group(required=True)
    source.add_argument("--live", action="store_true", help="fetch from the AWS APIs")
    source.add_argument("--from-snapshot", metavar="DIR", help="read a snapshot directory")
    generate.add_argument(
        "--output", type=Path, metavar="P", help="file to write (default: the package data)"
    )
    generate.add_argument(
        "--force",
        action="store_true",
        help="with --live: write even if a region failed or the model count shrank",
    )
    generate.set_defaults(handler=cmd_bundle_generate)
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
    verify.set_defaults(handler=cmd_bundle_verify)
    diff = command("diff", "compare two catalog files as a Markdown summary", bundle_commands)
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.set_defaults(handler=cmd_bundle_diff)
    return parser


# -- entry point ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0 ok, 1 error, 2 usage)."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader (e.g. `head`) has what it wanted. Point stdout at devnull so the flush at
        # interpreter exit does not raise again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except KeyboardInterrupt:
        _err("interrupted")
        return 1


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, usage errors
        return stop.code if isinstance(stop.code, int) else 2
    run = _Run(args)
    try:
        return _dispatch(run)
    finally:
        run.close()


def _dispatch(run: _Run) -> int:
    args = run.args
    try:
        handler: Callable[[_Run], int] = args.handler
        code = handler(run)
        sys.stdout.flush()
        return code
    except Failure as failure:
        _err(str(failure), failure.hint)
    except ModelNotFoundError as exc:
        _err(str(exc), f"run `{PROG} list` to see every model (add --region R to filter)")
    except NoCredentialsError as exc:
        cause = exc.__cause__
        if type(cause).__name__ == "ProfileNotFound" and run.args.profile:
            _err(
                f"the AWS profile {run.args.profile!r} was not found",
                "check the name against `aws configure list-profiles` (profiles live in "
                "~/.aws/config and ~/.aws/credentials)",
            )
            return 1
        _err(
            str(exc).replace(", or pass session=boto3.Session(profile_name=...)", ""),
            f"live commands need AWS credentials: pass --profile NAME, or set AWS_PROFILE; "
            f"`{PROG} list` and `{PROG} show` work without them from the bundled data",
        )
    except CatalogUnavailableError as exc:
        _err(str(exc), "drop --offline / fallback settings, or check the cache directory")
    except CatalogError as exc:
        _err(str(exc), f"run with -v for details; see `{PROG} --help`")
    except (ValueError, OSError) as exc:
        _err(str(exc), "run with -v for details")
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("botocore", "boto3"):
            raise
        # e.g. ProfileNotFound, NoRegionError, a bad endpoint URL: AWS setup, not a bug.
        _err(f"{type(exc).__name__}: {exc}", "check --profile, AWS_PROFILE and ~/.aws/config")
    return 1


def _err(message: str, hint: str = "") -> None:
    sys.stdout.flush()
    print(f"{PROG}: error: {_one_line(message)}", file=sys.stderr)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)


def _note(message: str) -> None:
    print(f"{PROG}: {_one_line(message)}", file=sys.stderr)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- one run: options, logging, the catalog ------------------------------------------------------


class _FallbackCapture(logging.Filter):
    """Holds back the catalog's one fallback warning: the command prints its own line instead.

    The library marks that record (``catalog_fallback``) and puts the reason in
    ``CatalogMetadata.fallback_reason``, so the user sees the fact once, not twice.
    """

    def __init__(self, passthrough: bool) -> None:
        super().__init__()
        self.passthrough = passthrough

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "catalog_fallback", False):
            return self.passthrough
        return True


class _ProgressBar:
    """Draws one step per region on a TTY, fed by ``BedrockModelCatalog.refresh(progress=)``."""

    #: The bar drawing now, if any: a log line first ends the bar's line (see _BarAwareHandler).
    active: _ProgressBar | None = None

    def __init__(self) -> None:
        self.drawn = False
        _ProgressBar.active = self

    def __call__(self, outcome: RegionOutcome, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r[{bar}] {done}/{total} {outcome.region} {outcome.status.value}"
        sys.stderr.write(line.ljust(70)[:79])
        sys.stderr.flush()
        self.drawn = True

    def finish(self) -> None:
        _ProgressBar.active = None
        self.break_line()

    def break_line(self) -> None:
        """End the bar's line, so what is written next starts on a line of its own."""
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.drawn = False


class _BarAwareHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes log lines to stderr below a progress bar, never on the bar's line."""

    def emit(self, record: logging.LogRecord) -> None:
        bar = _ProgressBar.active
        if bar is not None:
            bar.break_line()
        super().emit(record)


class _Run:
    """The parsed options of one invocation, with the catalog built on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json: bool = bool(args.json)
        self.now_fixed: datetime | None = args.now
        self.regions: list[str] | None = None
        if args.regions is not None:
            flat: list[str] = []
            for item in args.regions:  # a list of regions, or (after a subcommand) of lists
                flat.extend(item if isinstance(item, list) else [item])
            self.regions = list(dict.fromkeys(flat))
        self._catalog: BedrockModelCatalog | None = None
        verbose = int(args.verbose or 0)
        self.capture = _FallbackCapture(passthrough=verbose >= 2)
        handler = _BarAwareHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(f"{PROG}: %(levelname)s: %(message)s"))
        level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
        handler.setLevel(level)
        handler.addFilter(self.capture)
        package = logging.getLogger(_PACKAGE_LOGGER)
        root = logging.getLogger()
        # What the process had before: put back by close(), so that calling main() in-process
        # (a test, a notebook) leaves no handler pointing at a stream that may be closed later.
        self._saved = (package.handlers[:], package.level, package.propagate)
        self._saved_root = (root.handlers[:], root.level)
        package.handlers = [handler]
        package.setLevel(level)
        package.propagate = False
        if verbose >= 2:
            logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)

    def close(self) -> None:
        """Restore the logging configuration this run replaced."""
        package = logging.getLogger(_PACKAGE_LOGGER)
        package.handlers, level, package.propagate = self._saved
        package.setLevel(level)
        root = logging.getLogger()
        root.handlers, root_level = self._saved_root
        root.setLevel(root_level)

    def now(self) -> datetime:
        return self.now_fixed or datetime.now(timezone.utc)

    def session(self) -> Any:
        return None if self.args.profile is None else _LazySession(self.args.profile)

    def catalog(self) -> BedrockModelCatalog:
        if self._catalog is None:
            from .bedrock.catalog._facade import BedrockModelCatalog

            fixed = self.now_fixed
            self._catalog = BedrockModelCatalog(
                cache_mode=self.args.cache_mode,
                cache_directory=self.args.cache_dir,
                regions=self.regions,
                session=self.session(),
                offline=True if self.args.offline else None,
                clock=(lambda: fixed) if fixed is not None else None,
            )
        return self._catalog

    def store(self) -> Any:
        from .bedrock.catalog._store import open_store

        fixed = self.now_fixed
        return open_store(
            self.args.cache_mode,
            self.args.cache_dir,
            clock=(lambda: fixed) if fixed is not None else None,
        )

    def loaded(self) -> Catalog:
        """The catalog, loaded; says once on stderr where its data came from and how old."""
        catalog = self.catalog().catalog
        _note(self.source_line(catalog))
        return catalog

    def source_line(self, catalog: Catalog) -> str:
        meta = catalog.metadata
        age = describe_age(self.now() - meta.retrieved_at)
        when = _human_time(meta.retrieved_at)
        if meta.source is CatalogSource.BUNDLED:
            reason = self.fallback_reason(meta.fallback_reason)
            line = f"using the bundled catalog (data from {when}, {age} old): {reason}"
            if self.now() - meta.retrieved_at > timedelta(days=BUNDLE_FRESHNESS_WARNING_DAYS):
                line += (
                    f"; the bundle is over {BUNDLE_FRESHNESS_WARNING_DAYS} days old: upgrade "
                    f"bestehorn-llmmanager (pip install -U bestehorn-llmmanager), or run "
                    f"`{PROG} refresh` with AWS credentials"
                )
            return line
        if meta.source is CatalogSource.STALE_CACHE:
            return (
                f"using an expired cache (data from {when}, {age} old, {meta.cache_path}): "
                f"{self.fallback_reason(meta.fallback_reason)}"
            )
        if meta.source is CatalogSource.CACHE:
            where = f", {meta.cache_path}" if meta.cache_path else ""
            return f"using the cached catalog (data from {when}, {age} old{where})"
        return f"using live data from the AWS API ({_outcome_summary(meta)})"

    def fallback_reason(self, reason: str | None) -> str:
        if self.args.offline:
            return "--offline was given"
        reason = reason or "the live API was not used"
        if "ProfileNotFound" in reason and self.args.profile:
            return (
                f"the AWS profile {self.args.profile!r} was not found (check the name against "
                f"`aws configure list-profiles`)"
            )
        if "no AWS credentials found" in reason or "could not be resolved" in reason:
            reason = reason.split("; set AWS_PROFILE")[0]
            return f"{reason} (set AWS_PROFILE or pass --profile for live data)"
        if reason.startswith("skipped: ") and ENV_OFFLINE in reason:
            return f"offline ({ENV_OFFLINE} is set)"
        return reason

    def emit_json(self, value: Any) -> int:
        sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
        return 0


class _LazySession:
    """A boto3 Session for ``--profile``, made on first use: cache hits never import boto3."""

    def __init__(self, profile: str) -> None:
        self._profile = profile
        self._session: Any = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._session is None:
            import boto3

            self._session = boto3.Session(profile_name=self._profile)
        return getattr(self._session, name)


# -- list and show -------------------------------------------------------------------------------


def cmd_list(run: _Run) -> int:
    args = run.args
    catalog = run.loaded()
    _check_filters(catalog, args, run.regions)
    models = catalog.list_models(
        region=args.region,
        provider=args.provider,
        streaming_only=args.streaming,
        input_modality=args.input_modality,
        output_modality=args.output_modality,
        include_legacy=not args.no_legacy,
    )
    if run.json:
        return run.emit_json(
            {
                **_source_json(catalog, run.now()),
                "region": args.region,
                "count": len(models),
                "models": [_model_json(m, region=args.region) for m in models],
            }
        )
    if args.region:
        header = ("NAME", "PROVIDER", "CONVERSE ID", "ACCESS")
        rows = []
        for model in models:
            access = model.regions[args.region]
            rows.append((model.name, model.provider, access.invocation_id, _access_flags(access)))
        _print_table(header, rows, shrink=(0, 1, 2))
    else:
        header = ("NAME", "PROVIDER", "MODEL ID", "REGIONS")
        rows = [(m.name, m.provider, m.model_id, str(len(m.regions))) for m in models]
        _print_table(header, rows, shrink=(0, 1, 2))
    if not models:
        _note("no model matches these filters")
    return 0


def _check_filters(
    catalog: Catalog, args: argparse.Namespace, selected: Sequence[str] | None
) -> None:
    """Turn a typo in a filter into an error with suggestions instead of an empty table."""
    if args.region and selected and args.region not in selected:
        raise Failure(
            f"{args.region} is not one of the regions selected with --regions "
            f"({' '.join(selected)})",
            f"add it: --regions {' '.join([*selected, args.region])}, or drop --regions",
        )
    if args.region and args.region not in catalog.regions():
        outcome = catalog.metadata.region_outcomes.get(args.region)
        if outcome is not None and outcome.status is not RegionStatus.OK:
            # The region was asked but gave no data: say why, not "did you mean".
            why = outcome.reason
            if outcome.status is RegionStatus.UNAVAILABLE:
                hint = (
                    "this account cannot use the region: enable it (opt-in regions) or grant "
                    "bedrock:ListFoundationModels and bedrock:ListInferenceProfiles there, then "
                    f"run `{PROG} refresh`"
                )
            else:
                hint = f"it failed to answer when the catalog was fetched; run `{PROG} refresh`"
            raise Failure(f"{args.region} is {outcome.status.value} in this catalog ({why})", hint)
        known = catalog.regions()
        close = difflib.get_close_matches(args.region, known, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "known: " + ", ".join(known)
        raise Failure(f"no model in this catalog is callable from {args.region}", hint)
    if args.provider:
        providers = catalog.providers()
        if args.provider.casefold() not in {p.casefold() for p in providers}:
            lowered = {p.casefold(): p for p in providers}
            close = difflib.get_close_matches(args.provider.casefold(), list(lowered), n=3)
            hint = (
                "did you mean " + ", ".join(repr(lowered[c]) for c in close) + "?"
                if close
                else "known providers: " + ", ".join(providers)
            )
            raise Failure(f"unknown provider {args.provider!r}", hint)
    for option, value in (
        ("--input-modality", args.input_modality),
        ("--output-modality", args.output_modality),
    ):
        if value is None:
            continue
        known = sorted(
            {x.upper() for m in catalog.models.values() for x in m.input_modalities}
            | {x.upper() for m in catalog.models.values() for x in m.output_modalities}
        )
        if value.upper() not in known:
            raise Failure(f"{option}: unknown modality {value!r}", "known: " + ", ".join(known))


def _access_flags(access: ModelAccess) -> str:
    methods = access.access_methods
    return " ".join(
        flag if method in methods else "-"
        for flag, method in (
            ("D", AccessMethod.DIRECT),
            ("R", AccessMethod.REGIONAL_PROFILE),
            ("G", AccessMethod.GLOBAL_PROFILE),
        )
    )


def cmd_show(run: _Run) -> int:
    catalog = run.loaded()
    model = catalog.resolve(run.args.name)
    # With --regions, only those (a cached catalog for more regions may hold others too).
    selected = run.regions
    regions = sorted(r for r in model.regions if selected is None or r in selected)
    if run.json:
        item = _model_json(model, only=regions)
        return run.emit_json({**_source_json(catalog, run.now()), "model": item})
    details = [
        ("model id", model.model_id),
        ("provider", model.provider),
        ("input", ", ".join(model.input_modalities) or "-"),
        ("output", ", ".join(model.output_modalities) or "-"),
        ("streaming", _yes_no(model.streaming_supported)),
        ("lifecycle", model.lifecycle_status),
        ("inference types", ", ".join(model.inference_types) or "-"),
        ("callable from", f"{len(regions)} regions"),
    ]
    lines = [model.name] + [f"  {key + ':':<17}{value}" for key, value in details]
    _write_lines(lines)
    if not regions:
        _write_lines(["", "Not callable on demand from any region in this catalog."])
        return 0
    _write_lines(["", f"Profile IDs are shown by prefix: `us.` means us.{model.model_id}.", ""])
    header = ("REGION", "DIRECT", "REGIONAL", "GLOBAL", "CONVERSE ID")
    rows = []
    for region in regions:
        access = model.regions[region]
        rows.append(
            (
                region,
                "yes" if access.direct_model_id else "-",
                _short_profile(access.regional_profile_id, model.model_id),
                _short_profile(access.global_profile_id, model.model_id),
                access.invocation_id,
            )
        )
    _print_table(header, rows, shrink=(2, 3, 4))
    return 0


def _short_profile(profile_id: str | None, model_id: str) -> str:
    if profile_id is None:
        return "-"
    if profile_id.endswith("." + model_id):
        return profile_id[: -len(model_id)]
    return profile_id


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


# -- refresh and status --------------------------------------------------------------------------


def cmd_refresh(run: _Run) -> int:
    if run.args.offline:
        raise Failure("refresh calls the AWS APIs; --offline forbids it", "drop --offline")
    bar = _ProgressBar() if sys.stderr.isatty() and not run.json else None
    try:
        meta = run.catalog().refresh(progress=bar)
    finally:
        if bar is not None:
            bar.finish()
    failed = dict(meta.regions_failed)
    if run.json:
        run.emit_json(
            {
                "source": meta.source.value,
                "retrieved_at": _iso(meta.retrieved_at),
                "cache_path": _path(meta.cache_path),
                "models": len(run.catalog().catalog),
                "regions_ok": list(meta.regions_ok),
                "regions_unavailable": dict(meta.regions_unavailable),
                "regions_failed": failed,
                "stale_regions": list(meta.stale_regions),
            }
        )
    else:
        lines = [
            f"Refreshed: {len(run.catalog().catalog)} models, {_outcome_summary(meta)}.",
        ]
        for region, reason in meta.regions_unavailable.items():
            lines.append(f"  unavailable  {region}: {reason}")
        for region, reason in failed.items():
            lines.append(f"  failed       {region}: {reason}")
        if meta.stale_regions:
            lines.append(
                "  kept the previous data of: " + ", ".join(meta.stale_regions) + " (stale)"
            )
        where = meta.cache_path or "not cached (cache mode " + run.args.cache_mode + ")"
        lines.append(f"Cache: {where}")
        _write_lines(lines)
    if failed:
        _err(
            f"{len(failed)} region(s) failed: {', '.join(failed)}",
            f"run `{PROG} refresh` again later; failed regions are retried within the hour",
        )
        return 1
    return 0


def _outcome_summary(meta: Any) -> str:
    return (
        f"{_plural(len(meta.regions_ok), 'region')} ok, "
        f"{len(meta.regions_unavailable)} unavailable, {len(meta.regions_failed)} failed"
    )


def cmd_status(run: _Run) -> int:
    from .bedrock.catalog._bundle import load_bundled

    catalog = run.catalog().catalog
    meta = catalog.metadata
    now = run.now()
    store = run.catalog().store
    info: CacheInfo = store.info(now=now)
    bundled = load_bundled().metadata
    reason = (
        run.fallback_reason(meta.fallback_reason)
        if meta.source in (CatalogSource.BUNDLED, CatalogSource.STALE_CACHE)
        else ""
    )
    cache_path = meta.cache_path or info.path
    if run.json:
        return run.emit_json(
            {
                **_source_json(catalog, now),
                "reason": reason or None,
                "models": len(catalog),
                "regions_ok": list(meta.regions_ok),
                "regions_unavailable": dict(meta.regions_unavailable),
                "regions_failed": dict(meta.regions_failed),
                "stale_regions": list(meta.stale_regions),
                "cache_mode": run.args.cache_mode,
                "cache_path": _path(cache_path),
                "cache_exists": info.exists,
                "bundle_retrieved_at": _iso(bundled.retrieved_at),
                "bundle_age_days": round((now - bundled.retrieved_at).total_seconds() / 86400, 2),
                "package_version": __version__,
            }
        )
    source = meta.source.value + (f": {reason}" if reason else "")
    rows = [
        ("source", source),
        (
            "retrieved at",
            f"{_human_time(meta.retrieved_at)} ({describe_age(now - meta.retrieved_at)} ago)",
        ),
        ("models", str(len(catalog))),
        ("regions", _outcome_summary(meta)),
        ("cache mode", run.args.cache_mode),
        ("cache path", f"{cache_path or '-'}{'' if info.exists else ' (no cache file)'}"),
        (
            "bundle",
            f"data from {_human_time(bundled.retrieved_at)} "
            f"({describe_age(now - bundled.retrieved_at)} old), package {__version__}",
        ),
    ]
    _write_lines(f"{key + ':':<14}{value}" for key, value in rows)
    return 0


# -- cache ---------------------------------------------------------------------------------------


def _file_store_or_fail(run: _Run) -> Any:
    if run.args.cache_mode != "file":
        raise Failure(
            f"cache mode {run.args.cache_mode!r} keeps nothing on disk",
            "the cache commands work on the file cache; drop --cache-mode",
        )
    return run.store()


def _usable_directory(store: Any) -> Path:
    """Where the file store would write: its directory, or the per-user fallback under the temp
    dir when that directory cannot be created or written (a read-only home). Creates nothing."""
    from .bedrock.catalog._store import fallback_cache_dir

    directory = Path(store.directory)
    probe = directory
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if probe.is_dir() and os.access(probe, os.W_OK | os.X_OK):
        return directory
    try:
        return fallback_cache_dir()
    except OSError:
        # No usable temp dir either (a read-only root): the store keeps the catalog in memory.
        _note(
            f"{directory} is not writable and there is no usable temp dir: the catalog "
            "is kept in memory only"
        )
        return directory


def _on_disk(info: CacheInfo) -> bool:
    # CacheInfo.exists is also true when the path cannot even be looked at (e.g. a file where a
    # parent directory should be); the commands report what is there.
    return info.exists and info.path is not None and os.path.lexists(info.path)


def cmd_cache_dir(run: _Run) -> int:
    store = _file_store_or_fail(run)
    info = store.info(now=run.now())
    if _on_disk(info):
        assert info.path is not None
        directory = info.path.parent
    else:
        directory = _usable_directory(store)
    if run.json:
        return run.emit_json({"cache_dir": str(directory)})
    _write_lines([str(directory)])
    return 0


def cmd_cache_info(run: _Run) -> int:
    store = _file_store_or_fail(run)
    info: CacheInfo = store.info(now=run.now(), max_age=timedelta(hours=24))
    if info.exists and not _on_disk(info):
        info = dataclasses.replace(info, exists=False, reason="no cache file")
    location = info.path
    if not info.exists and location is not None:
        location = _usable_directory(store) / location.name
    if run.json:
        return run.emit_json(
            {
                "cache_mode": info.mode.value,
                "path": _path(location),
                "exists": info.exists,
                "size_bytes": info.size_bytes,
                "retrieved_at": _iso(info.retrieved_at),
                "age_seconds": None if info.age is None else int(info.age.total_seconds()),
                "models": info.model_count,
                "regions": list(info.regions),
                "partial": info.partial,
                "valid": info.valid,
                "reason": info.reason or None,
            }
        )
    rows = [("Location", str(location or "-")), ("Exists", "yes" if info.exists else "no")]
    if info.size_bytes is not None:
        rows.append(("Size", _human_size(info.size_bytes)))
    if info.retrieved_at is not None and info.age is not None:
        rows.append(
            ("Retrieved", f"{_human_time(info.retrieved_at)} ({describe_age(info.age)} ago)")
        )
    if info.model_count is not None:
        rows.append(("Models", str(info.model_count)))
    if info.regions:
        rows.append(("Regions", f"{len(info.regions)}: {', '.join(info.regions)}"))
        rows[-1:] = _wrapped(rows[-1], width=TABLE_WIDTH - 11)
    if info.exists:
        valid = "yes" if info.valid else f"no ({info.reason})"
        rows.append(("Valid", valid + (" (partial: some regions failed)" if info.partial else "")))
    _write_lines(f"{key + ':' if key else '':<11}{value}" for key, value in rows)
    return 0


def cmd_cache_clear(run: _Run) -> int:
    store = _file_store_or_fail(run)
    dry = bool(run.args.dry_run)
    paths = [str(p) for p in store.clear(dry_run=dry)]
    if run.json:
        return run.emit_json({"dry_run": dry, "files": paths})
    if dry:
        _write_lines(
            ["Would remove:", *(f"  {p}" for p in paths)] if paths else ["Nothing to remove."]
        )
    else:
        _write_lines([f"Files removed: {len(paths)}", *(f"  {p}" for p in paths)])
    return 0


# -- bundle --------------------------------------------------------------------------------------


def cmd_bundle_generate(run: _Run) -> int:
    from .bedrock.catalog import _generate as generate

    args = run.args
    output = Path(args.output) if args.output else generate.DEFAULT_OUTPUT
    if args.from_snapshot and args.force:
        raise Failure("--force only applies to --live", "drop --force")
    if args.live:
        if args.offline:
            raise Failure("--live calls the AWS APIs; --offline forbids it", "drop --offline")
        if args.profile:
            os.environ["AWS_PROFILE"] = args.profile  # generate_live uses the default chain
    try:
        if args.live:
            catalog = generate.generate_live(output, regions=run.regions, force=args.force)
        else:
            catalog = generate.generate_from_snapshot(args.from_snapshot, output)
    except OSError as exc:
        if not _is_output(exc.filename, output):
            raise
        raise Failure(
            f"cannot write {output}: {exc.strerror or exc}",
            "pass --output with a path in a writable directory",
        ) from None
    leaked = _account_ids(output.read_bytes())
    if leaked:
        raise Failure(
            f"{output} contains what look like AWS account IDs ({', '.join(leaked[:3])})",
            "do not publish this file; report it as a bug",
        )
    meta = catalog.metadata
    if run.json:
        return run.emit_json(
            {
                "output": str(output),
                "models": len(catalog),
                "retrieved_at": _iso(meta.retrieved_at),
                "regions_ok": list(meta.regions_ok),
                "regions_unavailable": dict(meta.regions_unavailable),
                "regions_failed": dict(meta.regions_failed),
            }
        )
    _write_lines(
        [
            f"Wrote {output}: {len(catalog)} models, data from {_iso(meta.retrieved_at)}, "
            f"{_outcome_summary(meta)}."
        ]
    )
    return 0


def _is_output(filename: object, output: Path) -> bool:
    """Whether an OSError's ``filename`` is the output, a file beside it (the temporary file of
    the atomic write) or one of its directories, rather than the input."""
    if not isinstance(filename, (str, os.PathLike)):
        return False
    path, out = Path(os.path.abspath(filename)), Path(os.path.abspath(output))
    return path.parent == out.parent or path in out.parents


def _account_ids(data: bytes) -> list[str]:
    """12-digit numbers anywhere in a catalog file except its checksum."""
    try:
        document = json.loads(data)
    except ValueError:
        return []
    if isinstance(document, dict):
        document.pop("sha256", None)
    return sorted(set(_ACCOUNT_ID.findall(json.dumps(document))))


@dataclass(frozen=True)
class _Check:
    name: str
    ok: bool
    detail: str


def cmd_bundle_verify(run: _Run) -> int:
    from .bedrock.catalog._bundle import read_bundled_bytes
    from .bedrock.catalog._fileformat import decode

    path = run.args.file
    label = str(path) if path is not None else "the installed bundle"
    data = _read(path) if path is not None else read_bundled_bytes()
    max_days = float(run.args.max_age_days)
    now = run.now()
    checks: list[_Check] = []
    catalog = None
    try:
        catalog = decode(data, source=CatalogSource.BUNDLED, path=path)
        checks.append(_Check("format", True, "schema version and checksum match"))
    except CatalogError as exc:
        checks.append(_Check("format", False, str(exc)))
    if catalog is not None:
        meta = catalog.metadata
        age_days = (now - meta.retrieved_at).total_seconds() / 86400
        checks.append(
            _Check(
                "age",
                0 <= age_days <= max_days or -1 < age_days < 0,
                f"data from {_iso(meta.retrieved_at)}: {age_days:.1f} days old "
                f"(limit {max_days:g})",
            )
        )
        checks.append(_Check("models", len(catalog) > 0, f"{len(catalog)} models"))
        failed = dict(meta.regions_failed)
        checks.append(
            _Check(
                "regions",
                bool(meta.regions_ok) and not failed,
                _outcome_summary(meta)
                + (": " + ", ".join(f"{r} ({w})" for r, w in failed.items()) if failed else ""),
            )
        )
    leaked = _account_ids(data)
    checks.append(
        _Check(
            "account ids",
            not leaked,
            "none found" if not leaked else "found: " + ", ".join(leaked[:3]),
        )
    )
    ok = all(c.ok for c in checks)
    if run.json:
        run.emit_json(
            {
                "file": label,
                "ok": ok,
                "max_age_days": max_days,
                "retrieved_at": _iso(catalog.metadata.retrieved_at) if catalog else None,
                "models": len(catalog) if catalog else None,
                "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
            }
        )
    else:
        _write_lines(
            [f"Verifying {label}"]
            + [f"  {'ok' if c.ok else 'FAIL':<5} {c.name + ':':<13}{c.detail}" for c in checks]
        )
    if not ok:
        bad = [c for c in checks if not c.ok]
        _err(
            f"{label} failed: {', '.join(c.name for c in bad)}",
            f"regenerate it with `{PROG} bundle generate --live` (needs AWS credentials)",
        )
        return 1
    return 0


def cmd_bundle_diff(run: _Run) -> int:
    from .bedrock.catalog._fileformat import decode

    old, new = (
        decode(_read(p), source=CatalogSource.BUNDLED, path=p) for p in (run.args.old, run.args.new)
    )
    diff = catalog_diff(old, new)
    if run.json:
        return run.emit_json(diff)
    _write_lines(diff_markdown(diff))
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise Failure(f"cannot read {path}: {exc.strerror or exc}", "pass a catalog file") from None


def _access_json(access: ModelAccess) -> dict[str, Any]:
    return {
        "converse_id": access.invocation_id,
        "access_methods": [m.value for m in access.access_methods],
        "direct_model_id": access.direct_model_id,
        "regional_profile_id": access.regional_profile_id,
        "regional_profile_ids": list(access.regional_profile_ids),
        "global_profile_id": access.global_profile_id,
    }


def _access_key(access: ModelAccess) -> tuple[Any, ...]:
    return (access.direct_model_id, access.regional_profile_ids, access.global_profile_id)


_MODEL_FIELDS = (
    "name",
    "provider",
    "input_modalities",
    "output_modalities",
    "streaming_supported",
    "lifecycle_status",
    "inference_types",
)


def catalog_diff(old: Catalog, new: Catalog) -> dict[str, Any]:
    """What changed between two catalogs: models, (model, region) access and region outcomes."""
    added = sorted(set(new.models) - set(old.models))
    removed = sorted(set(old.models) - set(new.models))
    changed = []
    access_added, access_removed, access_changed = [], [], []
    for model_id in sorted(set(old.models) & set(new.models)):
        before, after = old.models[model_id], new.models[model_id]
        fields = {
            f: [_plain(getattr(before, f)), _plain(getattr(after, f))]
            for f in _MODEL_FIELDS
            if getattr(before, f) != getattr(after, f)
        }
        if fields:
            changed.append({"model_id": model_id, "name": after.name, "changes": fields})
        for region in sorted(set(before.regions) | set(after.regions)):
            a, b = before.regions.get(region), after.regions.get(region)
            if a is None and b is not None:
                access_added.append({"model_id": model_id, "region": region, **_access_json(b)})
            elif b is None and a is not None:
                access_removed.append({"model_id": model_id, "region": region, **_access_json(a)})
            elif a is not None and b is not None and _access_key(a) != _access_key(b):
                access_changed.append(
                    {
                        "model_id": model_id,
                        "region": region,
                        "old": _access_json(a),
                        "new": _access_json(b),
                    }
                )
    old_regions, new_regions = old.metadata.region_outcomes, new.metadata.region_outcomes

    def summary(catalog: Catalog) -> dict[str, Any]:
        meta = catalog.metadata
        return {
            "retrieved_at": _iso(meta.retrieved_at),
            "models": len(catalog),
            "regions_ok": len(meta.regions_ok),
            "regions_unavailable": len(meta.regions_unavailable),
            "regions_failed": len(meta.regions_failed),
        }

    return {
        "old": summary(old),
        "new": summary(new),
        "models_added": [_model_brief(new.models[m]) for m in added],
        "models_removed": [_model_brief(old.models[m]) for m in removed],
        "models_changed": changed,
        "access_added": access_added,
        "access_removed": access_removed,
        "access_changed": access_changed,
        "regions_added": sorted(set(new_regions) - set(old_regions)),
        "regions_removed": sorted(set(old_regions) - set(new_regions)),
        "regions_status_changed": [
            {
                "region": r,
                "old": old_regions[r].status.value,
                "new": new_regions[r].status.value,
                "reason": new_regions[r].reason or None,
            }
            for r in sorted(set(old_regions) & set(new_regions))
            if old_regions[r].status is not new_regions[r].status
        ],
    }


def _model_brief(model: ModelInfo) -> dict[str, Any]:
    return {
        "model_id": model.model_id,
        "name": model.name,
        "provider": model.provider,
        "regions": sorted(model.regions),
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _md(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value)) or "-"
    elif value is None:
        value = "-"
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    return str(value).replace("|", "\\|")


def _access_text(access: Mapping[str, Any]) -> str:
    parts = []
    if access["direct_model_id"]:
        parts.append("direct")
    parts += [f"`{p}`" for p in access["regional_profile_ids"]]
    if access["global_profile_id"]:
        parts.append(f"`{access['global_profile_id']}`")
    return ", ".join(parts) or "-"


def diff_markdown(diff: Mapping[str, Any]) -> list[str]:
    """The diff as a PR-ready Markdown summary."""
    old, new = diff["old"], diff["new"]
    lines = [
        "## Bedrock catalog changes",
        "",
        "| | data from | models | regions ok | unavailable | failed |",
        "|---|---|---|---|---|---|",
    ]
    for label, side in (("old", old), ("new", new)):
        lines.append(
            f"| {label} | {side['retrieved_at']} | {side['models']} | {side['regions_ok']} "
            f"| {side['regions_unavailable']} | {side['regions_failed']} |"
        )
    sections = (
        "models_added",
        "models_removed",
        "models_changed",
        "access_added",
        "access_removed",
        "access_changed",
        "regions_added",
        "regions_removed",
        "regions_status_changed",
    )
    if not any(diff[s] for s in sections):
        lines += ["", "No changes to models, access or regions."]
        return lines
    counts = ", ".join(f"{len(diff[s])} {s.replace('_', ' ')}" for s in sections if diff[s])
    lines += ["", f"**Summary:** {counts}."]
    for key, title in (("models_added", "Models added"), ("models_removed", "Models removed")):
        if diff[key]:
            lines += [
                "",
                f"### {title} ({len(diff[key])})",
                "",
                "| Model | Provider | ID | Regions |",
            ]
            lines.append("|---|---|---|---|")
            lines += [
                f"| {_md(m['name'])} | {_md(m['provider'])} | `{m['model_id']}` "
                f"| {len(m['regions'])} |"
                for m in diff[key]
            ]
    if diff["models_changed"]:
        lines += ["", f"### Models changed ({len(diff['models_changed'])})", ""]
        lines += ["| ID | Field | Old | New |", "|---|---|---|---|"]
        for item in diff["models_changed"]:
            for field_name, (before, after) in item["changes"].items():
                lines.append(
                    f"| `{item['model_id']}` | {field_name} | {_md(before)} | {_md(after)} |"
                )
    for key, title in (("access_added", "Access added"), ("access_removed", "Access removed")):
        if diff[key]:
            lines += ["", f"### {title}: (model, region) pairs ({len(diff[key])})", ""]
            lines += ["| ID | Region | Access |", "|---|---|---|"]
            lines += [
                f"| `{a['model_id']}` | {a['region']} | {_access_text(a)} |" for a in diff[key]
            ]
    if diff["access_changed"]:
        lines += ["", f"### Access changed ({len(diff['access_changed'])})", ""]
        lines += ["| ID | Region | Old | New |", "|---|---|---|---|"]
        lines += [
            f"| `{a['model_id']}` | {a['region']} | {_access_text(a['old'])} "
            f"| {_access_text(a['new'])} |"
            for a in diff["access_changed"]
        ]
    region_lines = []
    if diff["regions_added"]:
        region_lines.append("- added: " + ", ".join(diff["regions_added"]))
    if diff["regions_removed"]:
        region_lines.append("- removed: " + ", ".join(diff["regions_removed"]))
    for item in diff["regions_status_changed"]:
        why = f" ({_md(item['reason'])})" if item["reason"] else ""
        region_lines.append(f"- {item['region']}: {item['old']} -> {item['new']}{why}")
    if region_lines:
        lines += ["", "### Regions", "", *region_lines]
    return lines


# -- output helpers ------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _path(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _source_json(catalog: Catalog, now: datetime) -> dict[str, Any]:
    meta = catalog.metadata
    return {
        "source": meta.source.value,
        "retrieved_at": _iso(meta.retrieved_at),
        "age_seconds": int((now - meta.retrieved_at).total_seconds()),
    }


def _model_json(
    model: ModelInfo, *, region: str | None = None, only: Sequence[str] | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "model_id": model.model_id,
        "name": model.name,
        "provider": model.provider,
        "input_modalities": list(model.input_modalities),
        "output_modalities": list(model.output_modalities),
        "streaming": model.streaming_supported,
        "lifecycle_status": model.lifecycle_status,
        "legacy": model.is_legacy,
        "inference_types": list(model.inference_types),
    }
    if region is not None:
        item["access"] = _access_json(model.regions[region])
        item["regions"] = sorted(model.regions)
    else:
        shown = sorted(model.regions) if only is None else only
        item["regions"] = {r: _access_json(model.regions[r]) for r in shown}
    return item


def _human_time(moment: datetime) -> str:
    utc = moment.astimezone(timezone.utc)
    if (utc.hour, utc.minute, utc.second) == (0, 0, 0):
        return utc.strftime("%Y-%m-%d")
    return utc.strftime("%Y-%m-%d %H:%M UTC")


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} kB"
    return f"{size / 1024 / 1024:.1f} MB"


def _wrapped(row: tuple[str, str], *, width: int) -> list[tuple[str, str]]:
    """A (key, value) row as several rows of at most ``width`` value characters (words kept)."""
    key, value = row
    lines = textwrap.wrap(value, width=width, break_long_words=False, break_on_hyphens=False)
    return [(key if i == 0 else "", line) for i, line in enumerate(lines or [""])]


def _write_lines(lines: Iterable[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _print_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, shrink: Sequence[int]
) -> None:
    """Aligned columns, two spaces apart, fitting TABLE_WIDTH: the ``shrink`` columns are cut
    with "…", in that order, each down to a floor, before the next one is touched."""
    widths = [max([len(header[i])] + [len(r[i]) for r in rows]) for i in range(len(header))]
    excess = sum(widths) + 2 * (len(widths) - 1) - TABLE_WIDTH
    for index in shrink:
        if excess <= 0:
            break
        floor = max(len(header[index]), 12)
        cut = min(excess, widths[index] - floor)
        if cut > 0:
            widths[index] -= cut
            excess -= cut
    last = len(widths) - 1
    lines = []
    for row in [header, *rows]:
        cells = [_cut(cell, widths[i]) for i, cell in enumerate(row)]
        lines.append(
            "  ".join(c if i == last else c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()
        )
    _write_lines(lines)


if __name__ == "__main__":  # pragma: no cover - `python -m bestehorn_llmmanager` is the way
    sys.exit(main())
