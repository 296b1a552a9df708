"""The one way the server fetches or posts to a URL that a person typed.

Published calendars (a person's "secret address in iCal format") and webhook endpoints (an admin's
receiver) are addresses typed into a form: fetched naively, they let anyone make the server read its
own network (a metadata service, an admin port on loopback, a database on 10.x). Every such request
goes through `request()`, which

- takes http and https only;
- resolves the host itself and refuses any address that is not public (private, loopback, link-local,
  multicast, reserved), then connects to the address it checked, so a second DNS answer cannot
  swap in another (the TLS name and the Host header stay the typed host);
- checks every redirect hop the same way and follows at most `max_redirects` of them (webhooks: none);
- stops after `timeout` seconds overall and refuses a body larger than `max_bytes` without reading
  the rest.

`settings.OUTBOUND_ALLOW_LOOPBACK` lets loopback through (the test servers the tests start); private
and link-local addresses stay refused whatever it says.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


class OutboundError(Exception):
    """A request that could not be made or was refused; `str()` is a message for the person."""


class Refused(OutboundError):
    """Refused by the rules above (scheme, address, size, redirects): retrying will not help."""


class Unreachable(OutboundError):
    """The server did not answer in time or the connection failed: retrying later may help."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    url: str = ""  # the address that answered, after redirects


def _address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return bool(getattr(settings, "OUTBOUND_ALLOW_LOOPBACK", False))
    return address.is_global and not address.is_multicast


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for a URL that may be fetched, else `Refused`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Refused(_("That is not a valid web address.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(_("Only http:// and https:// addresses can be used."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Refused(_("That web address has no host name."))
    if parts.username or parts.password:
        raise Refused(_("Addresses with a user name or password in them cannot be used."))
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unreachable(_("The host %(host)s could not be found.") % {"host": host}) from error
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses or not all(_address_allowed(a) for a in addresses):
        raise Refused(
            _("%(host)s is an address on a private network; only public addresses can be used.")
            % {"host": host}
        )
    # IPv4 first: a test server on 127.0.0.1 answers where "localhost" may resolve to ::1 first.
    addresses.sort(key=lambda a: a.version)
    return scheme, host, port, str(addresses[0])


def _pool(scheme: str, host: str, port: int, address: str, timeout: float):
    kwargs = dict(
        port=port, timeout=urllib3.Timeout(connect=timeout, read=timeout), retries=False, maxsize=1
    )
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            **kwargs,
        )
    return urllib3.HTTPConnectionPool(address, **kwargs)


def request(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = 0,
) -> Response:
    """Make one guarded request (see the module's docstring). Any status comes back as a Response;
    only what breaks the rules (`Refused`) or the network (`Unreachable`) raises."""
    deadline = time.monotonic() + timeout
    method = method.upper()
    for hop in range(max_redirects + 1):
        scheme, host, port, address = check_url(url)
        default_port = 443 if scheme == "https" else 80
        sent = {
            "Host": host if port == default_port else f"{host}:{port}",
            "User-Agent": "Mentoring",
            **(headers or {}),
        }
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        left = deadline - time.monotonic()
        if left <= 0:
            raise Unreachable(_("The server did not answer in time."))
        pool = _pool(scheme, host, port, address, left)
        try:
            answer = pool.urlopen(
                method,
                path,
                body=body,
                headers=sent,
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
            got = _read(answer, max_bytes=max_bytes, deadline=deadline)
        except urllib3.exceptions.HTTPError as error:
            raise Unreachable(
                _("The server at %(host)s could not be reached.") % {"host": host}
            ) from error
        finally:
            pool.close()
        names = {k.lower(): v for k, v in answer.headers.items()}
        location = names.get("location")
        if answer.status in _REDIRECTS and location and max_redirects:
            if hop == max_redirects:
                raise Refused(_("The address redirected too many times."))
            url = urljoin(url, location)
            if answer.status == 303 or (answer.status in (301, 302) and method == "POST"):
                method, body = "GET", None
            continue
        return Response(status=answer.status, headers=names, body=got, url=url)
    raise Refused(_("The address redirected too many times."))  # pragma: no cover


def _read(answer, *, max_bytes: int, deadline: float) -> bytes:
    too_big = Refused(
        _("The answer is larger than %(size)s MB; it was not read.")
        % {"size": f"{max_bytes / 1024 / 1024:g}"}
    )
    declared = answer.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        answer.release_conn()
        raise too_big
    chunks, size = [], 0
    try:
        for chunk in answer.stream(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise too_big
            if time.monotonic() > deadline:
                raise Unreachable(_("The server did not answer in time."))
            chunks.append(chunk)
    finally:
        answer.release_conn()
    return b"".join(chunks)
