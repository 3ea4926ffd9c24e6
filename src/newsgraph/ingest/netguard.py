"""Which addresses newsgraph may fetch from: public internet hosts only, unless the operator allows more.

A URL given to ``ingest`` or to the API's ``POST /api/articles`` must not make the server read its own
loopback services, the private network it sits in or a cloud metadata address (server-side request
forgery). The check is made where the connection is opened, not on the URL: the host name is resolved
once, every address is classified, and the socket is connected to an address that passed — so neither a
redirect (each hop opens its own connection) nor a DNS answer that changes between check and connect
(rebinding) gets past it. TLS still verifies the certificate against the URL's host name.

An allow-list (``fetch_allow_hosts``) names hosts (``news.internal``, ``.corp.example`` for a domain and its
subdomains) or addresses and networks (``10.1.2.3``, ``10.0.0.0/8``) that may be fetched although they
are not public.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]


class RefusedAddress(Exception):
    """A connection to an address that is not public (and not allowed by the operator) was refused."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host``, in its order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_kind(address: IPAddress) -> str | None:
    """Why ``address`` is not a public internet address (``loopback``, ``private``…), or None if it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for kind in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if isinstance(address, ipaddress.IPv6Address) and (address.sixtofour or address.teredo):
        inner = address.sixtofour or address.teredo[1]  # type: ignore[index]
        return address_kind(inner)
    return None if address.is_global else "non-public"


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only, plus the operator's allow-list; ``resolver`` is replaceable for tests."""

    allow: tuple[str, ...] = ()
    resolver: Resolver = system_resolver
    _names: tuple[str, ...] = field(default=(), init=False, repr=False)
    _networks: tuple[IPNetwork, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        names, networks = [], []
        for entry in (e.strip().lower() for e in self.allow):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.append(entry.removeprefix("*"))
        object.__setattr__(self, "_names", tuple(names))
        object.__setattr__(self, "_networks", tuple(networks))

    def host_allowed(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == name or (name.startswith(".") and (host.endswith(name) or host == name[1:]))
                   for name in self._names)

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` that may be connected to; raises ``RefusedAddress`` if there are none
        (and OSError if the name does not resolve)."""
        resolved = list(self.resolver(host, port))
        if self.host_allowed(host):
            return resolved
        permitted, refused = [], []
        for raw in resolved:
            address = ipaddress.ip_address(raw.split("%", 1)[0])  # drop an IPv6 zone
            kind = address_kind(address)
            if kind is None or any(address in net for net in self._networks):
                permitted.append(raw)
            else:
                refused.append(f"{raw} ({kind})")
        if not permitted:
            what = ", ".join(refused) or "no address"
            raise RefusedAddress(
                f"refused to fetch from {host}: it resolves to {what}, not a public internet address; "
                "an operator can allow it with fetch_allow_hosts (NEWSGRAPH_FETCH_ALLOW_HOSTS)")
        return permitted


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to the addresses the policy permits for the host."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        try:
            addresses = self.policy.addresses(host, port)
        except OSError as err:  # no such host: a fetch failure like any other, not a refusal
            raise httpcore.ConnectError(f"cannot resolve {host}: {err}") from err
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:  # try the next address
                last = err
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
                            ) -> httpcore.NetworkStream:
        raise RefusedAddress("refused to fetch through a Unix socket")


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport whose connections go through ``GuardedBackend`` (no proxies, no Unix sockets)."""

    def __init__(self, policy: AddressPolicy, *, verify: ssl.SSLContext | bool = True,
                 limits: httpx.Limits = httpx.Limits()) -> None:
        super().__init__(verify=verify, limits=limits, trust_env=False)
        context = verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(verify=verify)
        self._pool = httpcore.ConnectionPool(
            ssl_context=context, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry, network_backend=GuardedBackend(policy))
