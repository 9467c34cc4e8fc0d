"""A local Bedrock control-plane server on 127.0.0.1 that the real boto3 client talks to over HTTP,
with per-region fault injection and request counters; a test tool that never calls AWS.

It serves ``GET /foundation-models`` (ListFoundationModels, with its ``by*`` filters) and
``GET /inference-profiles`` (ListInferenceProfiles, with ``type``, ``maxResults`` and
``nextToken``) per region, reading the region from the SigV4 credential scope of each request. The
world is a directory laid out like ``bedrock-snapshot-2026-10`` (``<region>/list-foundation-models
.json`` and ``<region>/list-inference-profiles.json``) or a dict built in memory. A region that is
not in the world answers like an opt-in region the account has not enabled:
``UnrecognizedClientException`` "The security token included in the request is invalid."

Extension point: other operations (e.g. the runtime's ``POST /model/{modelId}/converse``) are added
with ``server.add_route(method, path_regex, operation, handler)``. ``handler(request)`` receives a
:class:`Request` (method, path, query, headers, body, region, path parameters, the server) and
returns a :class:`Response` (status, JSON-able or bytes body, headers, or an iterable of byte
chunks sent with chunked transfer encoding). Routes get the same region parsing, counters, latency
and fault injection as the built-in operations. Paths matching no route answer 404
``UnknownOperationException``. A module such as ``tests/bedrock_runtime.py`` can expose
``install(server)`` that registers its routes.

Standalone: ``python -m tests.bedrock_server --snapshot DIR --port 8765 [--latency 0.05]
[--page-size 10] [--runtime]`` prints the endpoint URL and serves until interrupted;
``--runtime`` adds the Converse routes of ``tests/bedrock_runtime.py``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import json
import re
import socket
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

MODELS_FILE = "list-foundation-models.json"
PROFILES_FILE = "list-inference-profiles.json"

LIST_FOUNDATION_MODELS = "ListFoundationModels"
LIST_INFERENCE_PROFILES = "ListInferenceProfiles"

#: HTTP status AWS sends with each error code.
ERROR_STATUS: dict[str, int] = {
    "ThrottlingException": 429,
    "AccessDeniedException": 403,
    "UnrecognizedClientException": 403,
    "MissingAuthenticationTokenException": 403,
    "ExpiredTokenException": 403,
    "ValidationException": 400,
    "InternalServerException": 500,
    "ServiceUnavailableException": 503,
    "ResourceNotFoundException": 404,
    "UnknownOperationException": 404,
}

INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid."

# SigV4: "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/bedrock/aws4_request, ..."
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/\s,]+/\d{8}/([^/\s,]+)/([^/\s,]+)/aws4_request")

_FILTERS = {  # ListFoundationModels query parameter -> the summary field it filters on
    "byProvider": "providerName",
    "byCustomizationType": "customizationsSupported",
    "byOutputModality": "outputModalities",
    "byInferenceType": "inferenceTypesSupported",
}


@dataclass(frozen=True)
class RegionWorld:
    """What one region answers: its model summaries and all its inference profile summaries."""

    models: tuple[Mapping[str, Any], ...] = ()
    profiles: tuple[Mapping[str, Any], ...] = ()


@dataclass
class Request:
    """One parsed request, as a route handler sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    region: str
    operation: str
    path_params: dict[str, str]
    server: BedrockServer

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass
class Response:
    """A handler's answer; ``body`` is JSON-encoded unless it is bytes. ``chunks`` streams."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None
    #: Seconds between the bytes of the body: sent one byte at a time (a trickling endpoint).
    trickle: float | None = None


def error_response(code: str, message: str, status: int | None = None) -> Response:
    """An error the way AWS sends it: JSON ``message`` plus the ``x-amzn-ErrorType`` header."""
    return Response(
        status=status or ERROR_STATUS.get(code, 400),
        body={"message": message},
        headers={"x-amzn-ErrorType": code},
    )


@dataclass(frozen=True)
class RequestRecord:
    """One request the server received (faulty or not)."""

    region: str
    operation: str
    query: Mapping[str, str]
    page: int | None  # 1-based page of ListInferenceProfiles, else None
    status: int = 0


Handler = Callable[[Request], Response]


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    operation: str
    handler: Handler


@dataclass
class _Fault:
    # throttle | server_error | access_denied | unrecognized | hang | malformed | error | body
    # | trickle
    kind: str
    remaining: int | None  # None: forever
    operation: str | None = None
    page: int | None = None
    status: int | None = None
    code: str | None = None
    message: str | None = None
    release: threading.Event | None = None
    body: Any = None
    interval: float = 0.0

    def matches(self, operation: str, page: int | None) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.operation is not None and self.operation != operation:
            return False
        return self.page is None or self.page == page


class _QuietServer(ThreadingHTTPServer):
    """Says nothing when a client hangs up first (a timed-out or cancelled call, as tests make).

    Anything else a handler raises is still printed, as socketserver does.
    """

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class BedrockServer:
    """The local Bedrock server. Start it with ``start()`` or ``with``; ``url`` is its endpoint."""

    def __init__(
        self,
        world: Mapping[str, RegionWorld | Mapping[str, Any]] | None = None,
        *,
        page_size: int = 10,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if page_size < 1:
            raise ValueError(f"page_size: must be >= 1, got {page_size!r}")
        self.world: dict[str, RegionWorld] = {
            region: _as_region_world(answer) for region, answer in (world or {}).items()
        }
        self.page_size = page_size
        self.default_latency = latency
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._latency: dict[str, float] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._counts: Counter[tuple[str, str]] = Counter()
        self._records: list[RequestRecord] = []
        self._routes: list[_Route] = []
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self.add_route("GET", r"/foundation-models", LIST_FOUNDATION_MODELS, _list_models)
        self.add_route("GET", r"/inference-profiles", LIST_INFERENCE_PROFILES, _list_profiles)

    # construction ---------------------------------------------------------------------------

    @classmethod
    def from_directory(cls, path: str | Path, **kwargs: Any) -> BedrockServer:
        """Serve every ``<region>/`` directory of a snapshot-like tree."""
        root = Path(path)
        world: dict[str, RegionWorld] = {}
        for region_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            models_path, profiles_path = region_dir / MODELS_FILE, region_dir / PROFILES_FILE
            if not models_path.exists() and not profiles_path.exists():
                continue
            models = _read_list(models_path, "modelSummaries")
            profiles = _read_list(profiles_path, "inferenceProfileSummaries")
            world[region_dir.name] = RegionWorld(tuple(models), tuple(profiles))
        if not world:
            raise ValueError(f"{root}: no <region>/{MODELS_FILE} found")
        return cls(world, **kwargs)

    # lifecycle ------------------------------------------------------------------------------

    def start(self) -> BedrockServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        server = self

        class _Handler(_RequestHandler):
            bedrock = server

        httpd = _QuietServer((self._host, self._port), _Handler)
        # Handler threads are joined on close (see stop), so no test leaks a thread.
        httpd.daemon_threads = False
        httpd.block_on_close = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="bedrock-server",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release every hang, close every connection and join every handler thread."""
        httpd = self._httpd
        if httpd is None:
            return
        self._stopping.set()
        with self._lock:
            for faults in self._faults.values():
                for fault in faults:
                    if fault.release is not None:
                        fault.release.set()
            self._changed.notify_all()
        httpd.shutdown()
        # Clients keep connections alive; a handler waiting for their next request would block
        # the join below until they hang up, so hang up on them first.
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _hang_up(connection)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> BedrockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start()")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    # routes ---------------------------------------------------------------------------------

    def add_route(self, method: str, path_regex: str, operation: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` and paths fully matching ``path_regex``.

        Named groups become ``request.path_params`` (URL-decoded). Later routes win over earlier
        ones, so a module can override a built-in operation.
        """
        pattern = re.compile(path_regex)
        with self._lock:
            self._routes.insert(0, _Route(method.upper(), pattern, operation, handler))

    # fault injection --------------------------------------------------------------------------

    def set_latency(self, region: str | None, seconds: float) -> None:
        """Delay every answer of ``region`` (None: every region) by ``seconds``."""
        with self._lock:
            if region is None:
                self.default_latency = seconds
            else:
                self._latency[region] = seconds

    def throttle(
        self,
        region: str,
        times: int | None = 1,
        *,
        operation: str | None = None,
        page: int | None = None,
    ) -> None:
        """Answer ThrottlingException (429) to the next ``times`` matching calls (None: always)."""
        self._add(region, _Fault("throttle", times, operation, page))

    def server_error(
        self,
        region: str,
        times: int | None = 1,
        *,
        status: int = 500,
        operation: str | None = None,
        page: int | None = None,
    ) -> None:
        """Answer InternalServerException (500) or ServiceUnavailableException (503)."""
        self._add(region, _Fault("server_error", times, operation, page, status=status))

    def deny_access(self, region: str, *, operation: str | None = None) -> None:
        """Answer AccessDeniedException (403) to every matching call."""
        self._add(region, _Fault("access_denied", None, operation))

    def unrecognized_client(self, region: str, *, operation: str | None = None) -> None:
        """Answer UnrecognizedClientException (403), like a not-enabled opt-in region."""
        self._add(region, _Fault("unrecognized", None, operation))

    def fail_with(
        self,
        region: str,
        code: str,
        message: str,
        times: int | None = 1,
        *,
        status: int | None = None,
        operation: str | None = None,
        page: int | None = None,
    ) -> None:
        """Answer any AWS error code (e.g. ExpiredTokenException) to matching calls."""
        fault = _Fault("error", times, operation, page, status=status, code=code, message=message)
        self._add(region, fault)

    def hang(
        self,
        region: str,
        *,
        operation: str | None = None,
        times: int | None = None,
    ) -> threading.Event:
        """Block matching calls until the returned Event is set or the server stops."""
        release = threading.Event()
        self._add(region, _Fault("hang", times, operation, release=release))
        return release

    def malformed_json(
        self,
        region: str,
        times: int | None = None,
        *,
        operation: str | None = None,
        page: int | None = None,
    ) -> None:
        """Answer 200 with a body that is not valid JSON."""
        self._add(region, _Fault("malformed", times, operation, page))

    def answer_with(
        self,
        region: str,
        body: Any,
        times: int | None = None,
        *,
        operation: str | None = None,
        page: int | None = None,
    ) -> None:
        """Answer 200 with ``body`` (bytes as is, anything else as JSON) to matching calls."""
        self._add(region, _Fault("body", times, operation, page, body=body))

    def trickle(
        self,
        region: str,
        interval: float = 0.5,
        *,
        operation: str | None = None,
        times: int | None = None,
    ) -> None:
        """Answer 200 with the real body, sent one byte every ``interval`` seconds.

        Each byte arrives well inside any read timeout, so only a bound on the whole response
        ends such a call. The server stops trickling (and hangs up) when it stops.
        """
        self._add(region, _Fault("trickle", times, operation, interval=interval))

    def clear_faults(self, region: str | None = None) -> None:
        """Remove faults and latency (of one region, or all), releasing hangs."""
        with self._lock:
            regions = list(self._faults) if region is None else [region]
            for name in regions:
                for fault in self._faults.pop(name, []):
                    if fault.release is not None:
                        fault.release.set()
                self._latency.pop(name, None)
            if region is None:
                self._latency.clear()

    def _add(self, region: str, fault: _Fault) -> None:
        with self._lock:
            self._faults.setdefault(region, []).append(fault)

    # counters ---------------------------------------------------------------------------------

    def count(self, region: str | None = None, operation: str | None = None) -> int:
        """Requests received, optionally only for one region and/or operation."""
        with self._lock:
            return sum(
                n
                for (r, o), n in self._counts.items()
                if (region is None or r == region) and (operation is None or o == operation)
            )

    @property
    def counts(self) -> dict[tuple[str, str], int]:
        """A copy of the per (region, operation) request counters."""
        with self._lock:
            return dict(self._counts)

    def records(
        self, region: str | None = None, operation: str | None = None
    ) -> list[RequestRecord]:
        """The requests received, in arrival order, optionally filtered."""
        with self._lock:
            return [
                r
                for r in self._records
                if (region is None or r.region == region)
                and (operation is None or r.operation == operation)
            ]

    def wait_for_count(
        self,
        n: int,
        region: str | None = None,
        operation: str | None = None,
        timeout: float = 5.0,
    ) -> bool:
        """Wait (on a condition, not a sleep loop) until ``count(region, operation) >= n``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                total = sum(
                    c
                    for (r, o), c in self._counts.items()
                    if (region is None or r == region) and (operation is None or o == operation)
                )
                left = deadline - time.monotonic()
                if total >= n:
                    return True
                if left <= 0:
                    return False
                self._changed.wait(left)

    def reset(self) -> None:
        """Forget counters and records, and clear every fault and latency."""
        self.clear_faults()
        with self._lock:
            self._counts.clear()
            self._records.clear()

    def profile_pages(self, region: str, page_size: int | None = None) -> int:
        """How many ListInferenceProfiles(SYSTEM_DEFINED) pages ``region`` answers."""
        size = page_size or self.page_size
        n = sum(1 for p in self.world[region].profiles if p.get("type") == "SYSTEM_DEFINED")
        return max(1, -(-n // size))

    # dispatch ---------------------------------------------------------------------------------

    def _dispatch(
        self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes
    ) -> Response:
        split = urlsplit(raw_path)
        query = parse_qs(split.query, keep_blank_values=True)
        route, params = self._match(method, split.path)
        operation = route.operation if route is not None else "Unknown"
        match = _CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
        if match is None:
            return error_response(
                "MissingAuthenticationTokenException", "Missing Authentication Token"
            )
        region = match.group(1)
        page = _page_of(query, self.page_size) if operation == LIST_INFERENCE_PROFILES else None
        with self._lock:
            self._counts[(region, operation)] += 1
            record_index = len(self._records)
            self._records.append(
                RequestRecord(region, operation, {k: v[0] for k, v in query.items()}, page)
            )
            self._changed.notify_all()
            latency = self._latency.get(region, self.default_latency)
            fault = next(
                (f for f in self._faults.get(region, []) if f.matches(operation, page)), None
            )
            if fault is not None and fault.remaining is not None:
                fault.remaining -= 1
        if latency > 0:
            self._stopping.wait(latency)
        response = self._answer(
            fault=fault,
            route=route,
            params=params,
            method=method,
            path=split.path,
            query=query,
            headers=headers,
            body=body,
            region=region,
            operation=operation,
        )
        with self._lock:
            old = self._records[record_index]
            self._records[record_index] = RequestRecord(
                old.region, old.operation, old.query, old.page, response.status
            )
        return response

    def _answer(
        self,
        *,
        fault: _Fault | None,
        route: _Route | None,
        params: dict[str, str],
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: Mapping[str, str],
        body: bytes,
        region: str,
        operation: str,
    ) -> Response:
        if fault is not None:
            injected = self._fault_response(fault)
            if injected is not None:
                return injected
        if route is None:
            return error_response("UnknownOperationException", f"Unknown operation {method} {path}")
        if region not in self.world:
            return error_response("UnrecognizedClientException", INVALID_TOKEN_MESSAGE)
        request = Request(method, path, query, headers, body, region, operation, params, self)
        try:
            response = route.handler(request)
        except _ValidationError as error:
            return error_response("ValidationException", str(error))
        if fault is not None and fault.kind == "trickle":
            response.trickle = fault.interval
        return response

    def _fault_response(self, fault: _Fault) -> Response | None:
        kind = fault.kind
        if kind == "throttle":
            return error_response(
                "ThrottlingException", "Too many requests, please wait before trying again."
            )
        if kind == "server_error":
            status = fault.status or 500
            code = "ServiceUnavailableException" if status == 503 else "InternalServerException"
            return error_response(code, "Internal server error", status)
        if kind == "access_denied":
            return error_response(
                "AccessDeniedException",
                "You don't have access to the model with the specified model ID.",
            )
        if kind == "unrecognized":
            return error_response("UnrecognizedClientException", INVALID_TOKEN_MESSAGE)
        if kind == "error":
            return error_response(
                fault.code or "ValidationException", fault.message or "", fault.status
            )
        if kind == "body":
            return Response(200, fault.body)
        if kind == "malformed":
            return Response(200, b'{"modelSummaries": [{"modelId": ', {})
        if kind == "hang":
            assert fault.release is not None
            fault.release.wait()  # stop() sets it too
            if self._stopping.is_set():
                raise _DropConnection
        return None

    def _match(self, method: str, path: str) -> tuple[_Route | None, dict[str, str]]:
        with self._lock:
            routes = list(self._routes)
        for route in routes:
            found = route.pattern.fullmatch(path)
            if found is not None and route.method == method.upper():
                return route, {k: unquote(v) for k, v in found.groupdict().items() if v is not None}
        return None, {}

    def _track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            if not open_:
                self._connections.discard(connection)
            elif self._stopping.is_set():  # accepted just before stop() looked at connections
                _hang_up(connection)
            else:
                self._connections.add(connection)


def _hang_up(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)


class _ValidationError(Exception):
    pass


class _DropConnection(Exception):
    """Close the connection without an answer (the server is stopping during a hang)."""


class _RequestHandler(BaseHTTPRequestHandler):
    bedrock: BedrockServer
    protocol_version = "HTTP/1.1"  # keep-alive, like AWS: boto3 reuses its pooled connections
    # Headers and body go out in separate writes; with Nagle on, each answer would wait for the
    # client's delayed ACK (~40 ms on Linux) and dwarf any latency a test injects.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.bedrock._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.bedrock._track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()}
        try:
            response = self.bedrock._dispatch(self.command, self.path, headers, body)
        except _DropConnection:
            self.close_connection = True
            return
        self._send(response)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        headers = {"Content-Type": "application/json", "x-amzn-RequestId": str(uuid.uuid4())}
        headers.update(response.headers)
        if response.chunks is not None:
            headers["Transfer-Encoding"] = "chunked"
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            for chunk in response.chunks:
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            return
        if isinstance(response.body, bytes):
            payload = response.body
        else:
            payload = json.dumps({} if response.body is None else response.body).encode()
        headers["Content-Length"] = str(len(payload))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if response.trickle is None:
            self.wfile.write(payload)
            return
        self.close_connection = True
        for index in range(len(payload)):
            self.wfile.write(payload[index : index + 1])
            self.wfile.flush()
            if self.bedrock._stopping.wait(response.trickle):
                return  # the server is stopping: hang up mid-body


# endpoints that are not servers -----------------------------------------------------------------


def refused_endpoint() -> str:
    """The URL of a loopback port where nothing listens: every connection is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class SilentEndpoint:
    """A loopback port that never completes a TCP handshake: connects hang until they time out.

    Like a firewall that drops packets (a proxy-only network, a VPC without the endpoint): the
    socket listens with a backlog of zero and one connection that is never accepted fills it, so
    the kernel drops every further SYN. Use with ``with``; ``url`` is the endpoint.
    """

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._filler = socket.socket()

    def __enter__(self) -> SilentEndpoint:
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self._filler.settimeout(1.0)
        self._filler.connect(self._listener.getsockname())
        return self

    def __exit__(self, *exc: object) -> None:
        self._filler.close()
        self._listener.close()

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class MetadataServer:
    """A minimal EC2 instance-metadata service (IMDSv2) on loopback, for credential-chain tests.

    Serves the token PUT and the role credentials the way IMDS does; ``requests`` counts what it
    received. Point botocore at it with ``AWS_EC2_METADATA_SERVICE_ENDPOINT=server.url``.
    """

    ROLE = "test-role"

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self) -> None:
                outer.requests.append(("PUT", self.path))
                ok = self.path == "/latest/api/token"
                self._reply(200 if ok else 404, b"token-abc" if ok else b"")

            def do_GET(self) -> None:
                outer.requests.append(("GET", self.path))
                base = "/latest/meta-data/iam/security-credentials/"
                if self.path == base:
                    self._reply(200, outer.ROLE.encode())
                elif self.path == base + outer.ROLE:
                    expiry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
                    document = {
                        "Code": "Success",
                        "AccessKeyId": "ASIAIMDSKEY",
                        "SecretAccessKey": "imds-secret",
                        "Token": "imds-token",
                        "Expiration": expiry,
                    }
                    self._reply(200, json.dumps(document).encode())
                else:
                    self._reply(404, b"")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> MetadataServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"


# built-in operations ----------------------------------------------------------------------------


def _list_models(request: Request) -> Response:
    models: Iterable[Mapping[str, Any]] = request.server.world[request.region].models
    for name, field_name in _FILTERS.items():
        wanted = request.param(name)
        if wanted is None:
            continue
        if name == "byProvider":
            models = [m for m in models if str(m.get(field_name, "")).lower() == wanted.lower()]
        else:
            models = [m for m in models if wanted in (m.get(field_name) or ())]
    return Response(body={"modelSummaries": list(models)})


def _list_profiles(request: Request) -> Response:
    wanted_type = request.param("type")
    profiles = [
        p
        for p in request.server.world[request.region].profiles
        if wanted_type is None or p.get("type", "SYSTEM_DEFINED") == wanted_type
    ]
    size = request.server.page_size
    max_results = request.param("maxResults")
    if max_results is not None:
        if not max_results.isdigit() or not 1 <= int(max_results) <= 1000:
            raise _ValidationError("maxResults must be between 1 and 1000")
        # Like AWS, a page may hold fewer items than maxResults.
        size = min(size, int(max_results))
    offset = _offset_of(request.param("nextToken"))
    if offset > len(profiles):
        raise _ValidationError("Invalid nextToken")
    body: dict[str, Any] = {"inferenceProfileSummaries": profiles[offset : offset + size]}
    if offset + size < len(profiles):
        body["nextToken"] = _token_for(offset + size)
    return Response(body=body)


def _token_for(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _offset_of(token: str | None) -> int:
    if not token:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["offset"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise _ValidationError("Invalid nextToken") from None
    if not isinstance(offset, int) or offset < 0:
        raise _ValidationError("Invalid nextToken")
    return offset


def _page_of(query: Mapping[str, Sequence[str]], page_size: int) -> int | None:
    token = (query.get("nextToken") or [None])[0]
    try:
        offset = _offset_of(token)
    except _ValidationError:
        return None
    size = page_size
    max_results = (query.get("maxResults") or [None])[0]
    if max_results and max_results.isdigit() and int(max_results) > 0:
        size = min(size, int(max_results))
    return offset // size + 1


def _read_list(path: Path, key: str) -> list[Mapping[str, Any]]:
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data.get(key, []) if isinstance(data, dict) else data
    return list(items)


def _as_region_world(answer: RegionWorld | Mapping[str, Any]) -> RegionWorld:
    if isinstance(answer, RegionWorld):
        return answer
    models = answer.get("models", answer.get("modelSummaries", ()))
    profiles = answer.get("profiles", answer.get("inferenceProfileSummaries", ()))
    return RegionWorld(tuple(models), tuple(profiles))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bedrock_server", description=__doc__)
    parser.add_argument("--snapshot", required=True, help="directory of <region>/ answers")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each call")
    parser.add_argument("--page-size", type=int, default=10)
    parser.add_argument(
        "--runtime",
        action="store_true",
        help="also serve Converse and ConverseStream (tests/bedrock_runtime.py); point "
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME at the same URL",
    )
    args = parser.parse_args(argv)
    server = BedrockServer.from_directory(
        args.snapshot,
        page_size=args.page_size,
        latency=args.latency,
        host=args.host,
        port=args.port,
    )
    if args.runtime:
        from tests.bedrock_runtime import install

        install(server)
    with server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
