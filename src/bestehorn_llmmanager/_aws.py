"""What the catalog fetcher (control plane) and LLMManager (runtime) share about talking to AWS.

The one home of: the one-attempt botocore ``Config``, the connect/read timeouts of both planes,
the error-code sets by meaning, error details taken from a botocore exception, the per-region
client cache, and the backoff (with its randomness and its sleep injected, never patched).

It never decides what an error means for a caller (the fetcher and the manager each map these
facts to their own outcomes), and it imports botocore/boto3 only inside the functions that need
them, so importing it costs nothing on the query path.
"""

from __future__ import annotations

import logging
import random as _random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._redact import mask_account_ids
from ._version import __version__

logger = logging.getLogger(__name__)

__all__ = [
    "BOTOCORE_TOTAL_MAX_ATTEMPTS",
    "IMDS_PROBE_TIMEOUT_SECONDS",
    "CONTROL_CONNECT_TIMEOUT_SECONDS",
    "CONTROL_READ_TIMEOUT_SECONDS",
    "CREDENTIAL_CODES",
    "DENIED_CODES",
    "EXPIRED_CODES",
    "RUNTIME_CONNECT_TIMEOUT_SECONDS",
    "RUNTIME_MAX_POOL_CONNECTIONS",
    "RUNTIME_READ_TIMEOUT_SECONDS",
    "THROTTLE_CODES",
    "TRANSIENT_CODES",
    "UNAVAILABLE_CODES",
    "UNAVAILABLE_MESSAGES",
    "USER_AGENT_EXTRA",
    "Backoff",
    "BotocoreErrors",
    "ClientCache",
    "ErrorDetails",
    "botocore_errors",
    "client_config",
    "error_code",
    "error_details",
    "is_throttle_or_transient",
    "new_session",
    "normalise_code",
    "resolve_credentials",
]

# -- timeouts and the client config ---------------------------------------------------------------

#: botocore's own attempt count: one. Each caller is the only retry layer (the fetcher retries a
#: request with `Backoff`; the manager fails over to the next target), so retries never multiply
#: across layers and every attempt a caller reports is exactly one request sent.
BOTOCORE_TOTAL_MAX_ATTEMPTS = 1

#: Control plane (ListFoundationModels/ListInferenceProfiles). Connecting to a reachable AWS
#: endpoint takes tens of milliseconds; a proxy that drops SYNs or a VPC without a Bedrock
#: endpoint never answers, and each of 30+ regions would pay the whole connect timeout. Two
#: seconds is far above any real handshake and keeps a dead network from costing a minute.
CONTROL_CONNECT_TIMEOUT_SECONDS = 2.0
#: The read timeout also bounds how long a worker stuck on a hung connection lives.
CONTROL_READ_TIMEOUT_SECONDS = 10.0

#: Runtime (Converse/ConverseStream). Reads are long: a large answer (or the gap between stream
#: events of a slow model) can take minutes; connecting never should.
RUNTIME_CONNECT_TIMEOUT_SECONDS = 10.0
RUNTIME_READ_TIMEOUT_SECONDS = 300.0
#: Connections per runtime client, so many threads sharing one manager do not queue for one.
RUNTIME_MAX_POOL_CONNECTIONS = 50

#: Appended to botocore's User-Agent, so AWS-side logs can tell this library's calls apart.
USER_AGENT_EXTRA = f"bestehorn-llmmanager/{__version__}"


def client_config(
    *,
    connect_timeout: float,
    read_timeout: float,
    max_pool_connections: int = 10,
    user_agent_extra: str = USER_AGENT_EXTRA,
) -> Any:
    """A botocore ``Config`` that makes exactly one HTTP attempt per call.

    ``standard`` retry mode with ``total_max_attempts=1`` (see BOTOCORE_TOTAL_MAX_ATTEMPTS);
    the timeouts are in seconds. Imports botocore.
    """
    from botocore.config import Config

    return Config(
        retries={"mode": "standard", "total_max_attempts": BOTOCORE_TOTAL_MAX_ATTEMPTS},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        max_pool_connections=max_pool_connections,
        user_agent_extra=user_agent_extra,
    )


# -- error codes by meaning ------------------------------------------------------------------------

#: Throttling, by every spelling AWS services use (botocore's standard retry list).
THROTTLE_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "ServiceQuotaExceededException",  # Bedrock runtime: too many tokens per minute
    }
)
#: A failure of the service side that the same request may not meet again: retry or fail over.
#: Includes the throttle codes. The model-side codes are the runtime's (a model that is loading,
#: timing out or failing mid-stream in one region).
TRANSIENT_CODES = THROTTLE_CODES | frozenset(
    {
        "RequestTimeout",
        "RequestTimeoutException",
        "PriorRequestNotComplete",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalServerException",
        "InternalFailure",
        "ModelNotReadyException",
        "ModelTimeoutException",
        "ModelStreamErrorException",
        "ModelErrorException",
    }
)
#: The credentials are expired: nothing signed with them will work anywhere, so stop at once.
EXPIRED_CODES = frozenset({"ExpiredTokenException", "ExpiredToken", "RequestExpired"})
#: HTTP 400 codes about the caller's credentials or clock, not about the request's content.
CREDENTIAL_CODES = EXPIRED_CODES | frozenset(
    {
        "InvalidSignatureException",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "MissingAuthenticationTokenException",
        "InvalidClientTokenId",
    }
)
#: The caller may not use this model or region (runtime: skip the (model, region) for a while).
#: An opt-in region the account has not enabled answers UnrecognizedClientException "The
#: security token included in the request is invalid", exactly like a bad key would.
DENIED_CODES = frozenset({"AccessDeniedException", "UnrecognizedClientException"})
#: Control plane: the account cannot use the region at all (opt-in, denied). In a multi-region
#: fetch a region is the likelier cause of an "invalid token" than the key, so these mean
#: "region unavailable", not "credentials broken".
UNAVAILABLE_CODES = DENIED_CODES | frozenset(
    {"InvalidClientTokenId", "OptInRequired", "AccessDenied"}
)
#: Lower-case message fragments that mean the same as UNAVAILABLE_CODES under another code.
UNAVAILABLE_MESSAGES = ("security token included in the request is invalid",)


def normalise_code(code: str) -> str:
    """``throttlingException`` -> ``ThrottlingException`` (in-stream errors are lower-camel)."""
    return code[:1].upper() + code[1:]


def is_throttle_or_transient(code: str, status: int) -> bool:
    """True when the same request may succeed on a later attempt (5xx and 429 included)."""
    return code in TRANSIENT_CODES or status >= 500 or status == 429


@dataclass(frozen=True, slots=True)
class ErrorDetails:
    """What a botocore error says, with account ids masked out of the message.

    Args:
        code: the AWS error code, normalised (``ThrottlingException``); for a transport error
            (no HTTP answer) the exception's class name, e.g. ``EndpointConnectionError``.
        message: the service's message (or the exception text), account ids masked.
        status: the HTTP status, 0 when no HTTP answer arrived.
        request_id: AWS's request id when the answer carried one, else "".
    """

    code: str
    message: str
    status: int = 0
    request_id: str = ""

    @property
    def is_transient(self) -> bool:
        """True when retrying (or failing over) may succeed; see is_throttle_or_transient."""
        return is_throttle_or_transient(self.code, self.status)

    @property
    def is_unavailable(self) -> bool:
        """True when a control-plane answer means the account cannot use the region."""
        lowered = self.message.lower()
        return self.code in UNAVAILABLE_CODES or any(m in lowered for m in UNAVAILABLE_MESSAGES)


def error_details(exc: BaseException) -> ErrorDetails:
    """The ErrorDetails of any exception; a ClientError's come from its parsed response."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and isinstance(response.get("Error"), dict):
        error = response["Error"]
        metadata = response.get("ResponseMetadata") or {}
        status = metadata.get("HTTPStatusCode") or 0
        return ErrorDetails(
            code=normalise_code(str(error.get("Code") or "")),
            message=mask_account_ids(str(error.get("Message") or exc)),
            status=int(status) if isinstance(status, int) else 0,
            request_id=str(metadata.get("RequestId") or ""),
        )
    return ErrorDetails(code=type(exc).__name__, message=mask_account_ids(str(exc)))


def error_code(exc: BaseException) -> str:
    """The normalised AWS error code of ``exc``, or its class name when no answer arrived."""
    return error_details(exc).code


@dataclass(frozen=True, slots=True)
class BotocoreErrors:
    """botocore's exception classes by meaning, for ``except`` clauses (see botocore_errors).

    Args:
        client_error: an HTTP answer with an error code (``ClientError``).
        param_validation: botocore refused the arguments before sending anything.
        no_credentials: no (or only partial) credentials to sign with.
        connection: no usable HTTP answer: refused or dropped connections, connect/read
            timeouts, and (while the first event of a stream is read) urllib3's own errors and
            the event-stream parser's, which botocore does not wrap.
        timeouts: the subset of ``connection`` that is a connect or read timeout.
        connect_failures: the subset of ``connection`` that failed before any byte was sent
            (refused, unresolvable, connect timeout): the endpoint itself is unreachable.
    """

    client_error: type[Exception]
    param_validation: type[Exception]
    no_credentials: tuple[type[Exception], ...]
    connection: tuple[type[Exception], ...]
    timeouts: tuple[type[Exception], ...]
    connect_failures: tuple[type[Exception], ...]


_ERRORS: list[BotocoreErrors] = []  # filled once, on first use (imports botocore)


def botocore_errors() -> BotocoreErrors:
    """The BotocoreErrors, importing botocore (and urllib3) on the first call only."""
    if not _ERRORS:
        from botocore import eventstream, exceptions
        from urllib3 import exceptions as urllib3_exceptions

        _ERRORS.append(
            BotocoreErrors(
                client_error=exceptions.ClientError,
                param_validation=exceptions.ParamValidationError,
                no_credentials=(exceptions.NoCredentialsError, exceptions.PartialCredentialsError),
                connection=(
                    exceptions.ConnectionError,
                    exceptions.HTTPClientError,
                    urllib3_exceptions.HTTPError,
                    eventstream.ParserError,
                ),
                timeouts=(exceptions.ConnectTimeoutError, exceptions.ReadTimeoutError),
                connect_failures=(
                    exceptions.EndpointConnectionError,  # refused, unresolvable
                    exceptions.ConnectTimeoutError,
                    exceptions.ProxyConnectionError,
                ),
            )
        )
    return _ERRORS[0]


# -- clients ---------------------------------------------------------------------------------------


class ClientCache:
    """One botocore client per region for one service, created once and shared by threads.

    boto3 Sessions are not thread-safe, so creation is serialised; the clients themselves are
    thread-safe. ``session`` None means ``new_session()`` (boto3's default credential chain that
    skips an instance-metadata address which does not answer), made on first use.
    ``on_create(client)`` runs once per new client (e.g. to register event hooks) before any
    thread can see it.
    """

    def __init__(
        self,
        session: Any,
        service: str,
        *,
        config: Any = None,
        endpoint_url: str | None = None,
        on_create: Callable[[Any], None] | None = None,
    ) -> None:
        self._session = session
        self._service = service
        self._config = config
        self._endpoint_url = endpoint_url
        self._on_create = on_create
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def session(self) -> Any:
        """The boto3 session the clients come from (created on first use when none was given)."""
        with self._lock:
            return self._ensure_session()

    def _ensure_session(self) -> Any:
        if self._session is None:
            self._session = new_session()  # boto3's default chain, minus a dead IMDS probe
        return self._session

    def get(self, region: str) -> Any:
        """The client for ``region``, created on first use."""
        client = self._clients.get(region)
        if client is not None:
            return client
        with self._lock:
            client = self._clients.get(region)
            if client is None:
                client = self._ensure_session().client(
                    self._service,
                    region_name=region,
                    config=self._config,
                    endpoint_url=self._endpoint_url,
                )
                if self._on_create is not None:
                    self._on_create(client)
                self._clients[region] = client
            return client

    __call__ = get

    def __len__(self) -> int:
        return len(self._clients)


# -- backoff ---------------------------------------------------------------------------------------


class Backoff:
    """Exponential backoff with jitter, its randomness and sleep injected.

    The delay before retry ``i`` (0 for the first retry) is, like botocore's standard retry::

        t_i = (floor + (1 - floor) * rand(0, 1)) * min(base * multiplier ** i, cap)

    ``floor`` 0 is "full jitter" (the fetcher's), 0.5 is "equal jitter" (the manager's rounds).
    ``multiplier`` is 2 unless a caller sets it (0.9's ``RetryConfig.backoff_multiplier``).
    ``random`` returns a float in [0, 1); ``sleep`` takes seconds.
    """

    def __init__(
        self,
        base: float,
        cap: float,
        *,
        floor: float = 0.0,
        random: Callable[[], float] = _random.random,
        sleep: Callable[[float], None] = time.sleep,
        multiplier: float = 2.0,
    ) -> None:
        for name, value in (("base", base), ("cap", cap)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise ValueError(f"{name}: expected a number of seconds >= 0, got {value!r}")
        if isinstance(floor, bool) or not isinstance(floor, (int, float)) or not 0 <= floor <= 1:
            raise ValueError(f"floor: expected a fraction in [0, 1], got {floor!r}")
        self.base = float(base)
        self.cap = float(cap)
        self.floor = float(floor)
        if (
            isinstance(multiplier, bool)
            or not isinstance(multiplier, (int, float))
            or not (multiplier > 0)
        ):
            raise ValueError(f"multiplier: expected a number > 0, got {multiplier!r}")
        self.multiplier = float(multiplier)
        self._random = random
        self._sleep = sleep

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (0-based); see the class formula."""
        ceiling = min(self.cap, self.base * self.multiplier ** min(retry, 62))
        return float((self.floor + (1.0 - self.floor) * self._random()) * ceiling)

    def sleep(self, seconds: float) -> None:
        """Sleep through the injected ``sleep``."""
        if seconds > 0:
            self._sleep(seconds)

    def __repr__(self) -> str:
        return f"Backoff(base={self.base}, cap={self.cap}, floor={self.floor})"


# -- credentials -----------------------------------------------------------------------------------

#: How long a new session waits for the EC2 instance-metadata address to accept a TCP connection
#: before the credential chain skips it. On EC2 the link-local address accepts in well under a
#: millisecond; off EC2, where a firewall drops the packets, botocore's own probes (a token PUT,
#: then a GET, one second each) cost two seconds per process with nothing to show for it.
IMDS_PROBE_TIMEOUT_SECONDS = 0.25

_IMDS_DEFAULT = "http://169.254.169.254/"
_IMDS_DEFAULT_IPV6 = "http://[fd00:ec2::254]/"


def new_session(**kwargs: Any) -> Any:
    """A ``boto3.Session`` whose credential chain skips an instance-metadata address that does not
    answer within IMDS_PROBE_TIMEOUT_SECONDS; otherwise exactly boto3's default chain.

    What stays as botocore does it: environment keys, profiles (SSO, credential_process,
    assume-role, web identity), ECS/EKS container credentials (``AWS_CONTAINER_CREDENTIALS_*``),
    and the IMDS provider itself whenever the address accepts a connection quickly. Nothing is
    changed when IMDS is disabled (``AWS_EC2_METADATA_DISABLED=true``), when the user set
    ``AWS_METADATA_SERVICE_TIMEOUT`` / ``metadata_service_timeout`` (their choice wins), or when a
    proxy would carry the IMDS request (a direct probe would say nothing about that path).
    Sessions the caller passes in are never modified; only the ones this library creates.
    """
    import boto3
    import botocore.session

    core = botocore.session.get_session()
    # The boto3 Session first: it sets the profile, and the credential chain (built on first
    # use) must be the one of that profile.
    session = boto3.Session(botocore_session=core, **kwargs)
    try:
        _probe_imds_first(core)
    except Exception:  # never break credential resolution: keep botocore's chain as it is
        logger.debug("instance-metadata probe not installed", exc_info=True)
    return session


def _probe_imds_first(core: Any) -> None:
    import os

    from botocore.credentials import CredentialProvider
    from botocore.utils import get_environ_proxies, resolve_imds_endpoint_mode

    if os.environ.get("AWS_EC2_METADATA_DISABLED", "false").lower() == "true":
        return
    if os.environ.get("AWS_METADATA_SERVICE_TIMEOUT") or core.get_scoped_config().get(
        "metadata_service_timeout"
    ):
        return
    base = core.get_config_variable("ec2_metadata_service_endpoint") or (
        _IMDS_DEFAULT_IPV6 if resolve_imds_endpoint_mode(core) == "ipv6" else _IMDS_DEFAULT
    )
    if get_environ_proxies(base):
        return
    resolver = core.get_component("credential_provider")
    names = [p.METHOD for p in resolver.providers]
    if "iam-role" not in names:
        return
    index = names.index("iam-role")
    imds = resolver.providers[index]

    class _ProbedInstanceMetadata(CredentialProvider):
        METHOD = imds.METHOD
        CANONICAL_NAME = imds.CANONICAL_NAME

        def load(self) -> Any:
            if not _accepts_connection(base, IMDS_PROBE_TIMEOUT_SECONDS):
                logger.debug(
                    "instance metadata at %s did not accept a connection within %.2f s; "
                    "skipping it in the credential chain",
                    base,
                    IMDS_PROBE_TIMEOUT_SECONDS,
                )
                return None
            return imds.load()

    resolver.providers[index] = _ProbedInstanceMetadata()


def _accepts_connection(url: str, timeout: float) -> bool:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return True  # unparseable: let botocore report it
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_credentials(session: Any) -> Any:
    """Resolve ``session``'s credentials once, up front, so a missing key fails once and fast.

    Returns botocore's frozen credentials. Raises NoCredentialsError (with the reason, account
    ids masked) when there are none or they cannot be loaded (e.g. an expired SSO token).
    """
    from botocore.exceptions import BotoCoreError

    from ._errors import NoCredentialsError

    try:
        credentials = session.get_credentials()
        frozen = credentials.get_frozen_credentials() if credentials is not None else None
    except BotoCoreError as error:
        raise NoCredentialsError(
            f"AWS credentials could not be resolved ({type(error).__name__}: "
            f"{mask_account_ids(str(error))})"
        ) from error
    if frozen is None or not frozen.access_key or not frozen.secret_key:
        raise NoCredentialsError()
    return frozen
