"""The one HTTP client: SPARQL queries, updates and Graph Store requests to a remote store.

Every request has a timeout and pdkg's User-Agent; HTTP Basic and Digest auth both work (the
scheme is the one the server's 401 challenge names, as Virtuoso's ``/sparql-auth`` asks Digest);
429 and 503 are retried with back-off, honouring ``Retry-After``, within the timeout; an
endpoint may cap its requests per minute (the Wikidata client does); every failure becomes one
:class:`~pdkg.errors.EndpointError` with the server's own first line.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from pdkg.errors import EndpointError
from pdkg.version import __version__

log = logging.getLogger(__name__)

USER_AGENT = f"pdkg/{__version__} (https://w3id.org/pdkg; paradiplomacy knowledge graph)"
RETRY_STATUSES = frozenset({429, 503})
MAX_RETRY_WAIT = 30.0
HINTS = {
    401: " (check --user and PDKG_ENDPOINT_PASSWORD)",
    403: " (the endpoint forbids this request)",
    404: " (is this the query URL? Oxigraph: /query, Fuseki: /DATASET/query)",
    429: " (too many requests; retries exhausted)",
    503: " (service unavailable; retries exhausted)",
}


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL endpoint and how to talk to it. The password never appears in repr or messages."""

    url: str
    timeout: float = 60.0
    retries: int = 3
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    default_graph: str | None = None
    allow_truncated: bool = False
    per_minute: float | None = None  # at most this many requests a minute to this host

    def __repr__(self) -> str:
        return f"Endpoint({self.shown!r}, timeout={self.timeout:g}, user={self.user!r})"

    @property
    def shown(self) -> str:
        """The URL without any user:password part, for messages and logs."""
        return shown(self.url)


def shown(url: str) -> str:
    """A URL without credentials, query or fragment, for messages and logs.

    >>> shown("http://dba:secret@127.0.0.1:8890/sparql-auth?x=1")
    'http://127.0.0.1:8890/sparql-auth'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass(frozen=True)
class Response:
    """A successful answer: status, headers (names lowercased) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


def send(
    endpoint: Endpoint,
    *,
    url: str | None = None,
    method: str = "POST",
    body: bytes | None = None,
    content_type: str | None = None,
    accept: str | None = None,
) -> Response:
    """Send one request to ``url`` (default: the endpoint's URL) with the endpoint's credentials.

    Raises:
        EndpointError: refused (any status >= 400 after the retries), unreachable, or too slow.
    """
    target = url or endpoint.url
    where = shown(target)
    deadline = time.monotonic() + endpoint.timeout
    opener = _opener(endpoint, target)
    for attempt in range(endpoint.retries + 1):
        _pace(endpoint, target)
        request = urllib.request.Request(target, data=body, method=method)
        request.add_header("User-Agent", USER_AGENT)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        try:
            with opener.open(request, timeout=endpoint.timeout) as answer:
                headers = {k.lower(): v for k, v in answer.headers.items()}
                return Response(answer.status, headers, answer.read())
        except urllib.error.HTTPError as exc:
            wait = _retry_wait(exc, attempt)
            if exc.code in RETRY_STATUSES and attempt < endpoint.retries:
                if time.monotonic() + wait > deadline:
                    raise EndpointError(
                        where,
                        f"HTTP {exc.code}, and waiting {wait:.0f} s to retry would pass "
                        "the timeout",
                        status=exc.code,
                    ) from None
                log.warning("HTTP %s from %s; retrying in %.1f s", exc.code, where, wait)
                time.sleep(wait)
                continue
            raise EndpointError(
                where,
                f"{method} refused with HTTP {exc.code} {exc.reason}{HINTS.get(exc.code, '')}"
                + _said(exc),
                status=exc.code,
            ) from None
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise _unreachable(where, exc, endpoint.timeout) from None
        except ValueError as exc:  # urllib's auth handlers: a scheme they cannot answer
            raise EndpointError(where, f"cannot authenticate ({exc})") from None
    raise EndpointError(where, f"still refusing after {endpoint.retries} retries")


_LAST_REQUEST: dict[str, float] = {}
_PACING = threading.Lock()


def _pace(endpoint: Endpoint, url: str) -> None:
    """Sleep until a request to ``url``'s host keeps within ``endpoint.per_minute``."""
    if not endpoint.per_minute:
        return
    host = urlsplit(url).netloc
    gap = 60.0 / endpoint.per_minute
    with _PACING:
        now = time.monotonic()
        start = max(now, _LAST_REQUEST.get(host, now - gap) + gap)
        _LAST_REQUEST[host] = start
    if start > now:
        log.info("pacing: waiting %.2f s before the next request to %s", start - now, host)
        time.sleep(start - now)


def _opener(endpoint: Endpoint, url: str) -> urllib.request.OpenerDirector:
    if endpoint.user is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, endpoint.user, endpoint.password or "")
    # urllib tries Digest first (handler_order 490) and hands a Basic challenge to Basic
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords),
        urllib.request.HTTPBasicAuthHandler(passwords),
    )


def _unreachable(where: str, exc: BaseException, timeout: float) -> EndpointError:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return EndpointError(where, f"no answer within {timeout:g} s")
    if isinstance(exc, urllib.error.URLError):
        return EndpointError(where, f"cannot connect ({reason})")
    return EndpointError(where, f"connection failed ({exc})")


def _said(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return f": {lines[0][:200]}" if lines and not lines[0].startswith("<") else ""


def _retry_wait(exc: urllib.error.HTTPError, attempt: int) -> float:
    header = exc.headers.get("Retry-After") if exc.headers else None
    if header:
        if header.strip().isdigit():
            return min(float(header), MAX_RETRY_WAIT)
        try:
            when = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_WAIT)
    return min(2.0**attempt, MAX_RETRY_WAIT)
