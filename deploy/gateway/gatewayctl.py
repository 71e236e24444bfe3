"""The gateway (ADR 0019): nginx on one origin in front of the seven services and the web pages.

.venv/bin/python deploy/gateway/gatewayctl.py start      # render var/gateway/nginx.conf, start nginx
.venv/bin/python deploy/gateway/gatewayctl.py stop
.venv/bin/python deploy/gateway/gatewayctl.py render --target compose   # print a rendered config

The routes are data (`ROUTES` below): which paths are rate-limited, which take uploads, which
stay private. `nginx.conf.template` holds the rest. `GATEWAY_PORT` (8100) is where it listens,
`GATEWAY_CORS_ORIGINS` (space-separated) the origins allowed to call it from a browser.
"""

from __future__ import annotations

import getpass
import math
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from dvc_contracts.services import DEFAULT_PORTS as SERVICES

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TEMPLATE = HERE / "nginx.conf.template"
NGINX = "/usr/sbin/nginx"
DEFAULT_PORT = 8100


JSON_LIMIT = 256 * 1024
UPLOAD_LIMIT = 10 * 1024 * 1024


@dataclass(frozen=True)
class RateLimit:
    """A per-client limit: `per_minute` requests a minute, `burst` more at once, then 429."""

    zone: str
    per_minute: int
    burst: int

    @property
    def retry_after(self) -> int:
        """Seconds until the client may send one more request."""
        return math.ceil(60 / self.per_minute)


REGISTRATION = RateLimit("registration", per_minute=5, burst=5)
OTP = RateLimit("otp", per_minute=10, burst=5)
LOGIN = RateLimit("login", per_minute=10, burst=5)
STATUS = RateLimit("status", per_minute=20, burst=10)
VERIFICATION = RateLimit("verification", per_minute=20, burst=10)
RATE_LIMITS = (REGISTRATION, OTP, LOGIN, STATUS, VERIFICATION)


@dataclass(frozen=True)
class Route:
    """A path of a service (as the service sees it, a regular expression) that the gateway treats
    apart from the service's other paths."""

    service: str
    pattern: str
    limit: RateLimit | None = None
    upload: bool = False
    stream: bool = False


ROUTES: tuple[Route, ...] = (
    Route("identity", r"/v1/registrations", REGISTRATION),
    Route("identity", r"/v1/(registrations|sessions)/[^/]+/(verify|resend-otp)", OTP),
    Route("identity", r"/v1/sessions", LOGIN),
    Route("processing", r"/v1/public/dossiers/[^/]+", STATUS),
    Route("delivery", r"/v1/verify", VERIFICATION, upload=True),
    Route("delivery", r"/v1/verify/[^/]+", VERIFICATION),
    Route("intake", r"/v1/files", upload=True),
    Route("intake", r"/v1/drafts/[^/]+/attachments", upload=True),
    Route("processing", r"/v1/stream", stream=True),
)

# Operations a service offers to other services or to the machine's operator only: the gateway
# answers 404 for them. Every other operation of every service's OpenAPI document is reachable
# (tests/gateway/test_gateway.py checks both).
PRIVATE = (
    r"/metrics",
    r"/v1/internal/.*",
    r"/v1/dev/.*",
)

# Kubernetes: the Ingress controller forwards to the gateway from inside the cluster.
CLUSTER_NETWORKS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")


@dataclass
class Settings:
    """What differs between development, compose and Kubernetes."""

    listen: str = f"127.0.0.1:{DEFAULT_PORT}"
    upstreams: dict[str, str] = field(
        default_factory=lambda: {s: f"127.0.0.1:{p}" for s, p in SERVICES.items()}
    )
    web_root: str = str(REPO / "web")
    state_dir: str | None = str(REPO / "var" / "gateway")  # pid, logs and temp files (development)
    cors_origins: tuple[str, ...] = ()
    hsts: bool = False
    behind_proxy: bool = False
    workers: str = "1"
    mime_types: str = "/etc/nginx/mime.types"


def _human(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB" if size >= 1024 * 1024 else f"{size // 1024} KiB"


def _indent(lines: list[str], spaces: int) -> str:
    return "\n".join((" " * spaces + line) if line else "" for line in lines)


def _headers(settings: Settings) -> list[str]:
    lines = [
        "add_header X-Request-Id $dvc_request_id always;",
        "add_header X-Content-Type-Options nosniff always;",
        "add_header X-Frame-Options DENY always;",
        'add_header Content-Security-Policy "$dvc_csp" always;',
        "add_header Referrer-Policy same-origin always;",
        'add_header Permissions-Policy "camera=(), microphone=(), geolocation=()" always;',
        "add_header Access-Control-Allow-Origin $dvc_cors_origin always;",
        "add_header Access-Control-Allow-Methods $dvc_cors_methods always;",
        "add_header Access-Control-Allow-Headers $dvc_cors_headers always;",
        "add_header Access-Control-Max-Age $dvc_cors_max_age always;",
        "add_header Vary Origin always;",
    ]
    if settings.hsts:  # production only: a developer's plain-HTTP localhost must not be pinned
        lines.append('add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;')
    return lines


def _proxy(service: str) -> list[str]:
    """Pass a request matched by a regular-expression location to `service` without the prefix
    (nginx escapes the rewritten path and appends the query string)."""
    return [
        f"set $dvc_route {service};",
        f"rewrite ^/api/{service}(/.*)$ $1 break;",
        f"proxy_pass http://{service};",
    ]


def render(settings: Settings) -> str:
    """The nginx configuration for `settings`."""
    state = settings.state_dir
    values: dict[str, str] = {
        "user": f"user {getpass.getuser()};" if state and os.geteuid() == 0 else "",
        "workers": settings.workers,
        "pid_file": f"{state}/nginx.pid" if state else "/tmp/nginx.pid",
        "error_log": f"{state}/error.log" if state else "stderr",
        "access_log": f"{state}/access.log" if state else "/dev/stdout",
        "mime_types": settings.mime_types,
        "listen": settings.listen,
        "web_root": settings.web_root,
        "json_limit": f"{JSON_LIMIT // 1024}k",
        "json_limit_human": _human(JSON_LIMIT),
        "upload_limit_human": _human(UPLOAD_LIMIT),
    }
    temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    where = {kind: f"{state}/tmp/{kind}" if state else f"/tmp/nginx-{kind}" for kind in temp}
    values["temp_paths"] = _indent([f"{kind}_temp_path {path};" for kind, path in where.items()], 4)
    values["real_ip"] = _indent(
        [*(f"set_real_ip_from {net};" for net in CLUSTER_NETWORKS), "real_ip_header X-Forwarded-For;"]
        if settings.behind_proxy
        else [],
        4,
    )
    values["rate_zones"] = _indent(
        [
            f"limit_req_zone $binary_remote_addr zone={limit.zone}:10m rate={limit.per_minute}r/m;"
            for limit in RATE_LIMITS
        ],
        4,
    )
    values["cors_origins"] = _indent([f'"{origin}" $http_origin;' for origin in settings.cors_origins], 8)
    upstreams: list[str] = []
    for service, address in settings.upstreams.items():
        upstreams += [f"upstream {service} {{", f"    server {address};", "    keepalive 16;", "}"]
    values["upstreams"] = _indent(upstreams, 4)
    values["headers"] = _indent(_headers(settings), 12)
    services = "|".join(settings.upstreams)
    private = "|".join(PRIVATE)
    values["private"] = _indent(
        [
            f"location ~ ^/api/({services})({private})$ {{",
            "    default_type application/json;",
            '    return 404 \'{"code":"http_404","message":"Không tìm thấy địa chỉ yêu cầu."}\';',
            "}",
        ],
        8,
    )
    limited: list[str] = []
    for route in ROUTES:
        limited.append(f"location ~ ^/api/{route.service}({route.pattern})$ {{")
        body = _proxy(route.service)
        if route.limit:
            body = [
                f"limit_req zone={route.limit.zone} burst={route.limit.burst} nodelay;",
                f"set $dvc_retry_after {route.limit.retry_after};",
                *body,
            ]
        if route.upload:
            body = [f"client_max_body_size {UPLOAD_LIMIT // (1024 * 1024)}m;", *body]
        if route.stream:  # server-sent events: pass each frame at once, keep the stream open
            body = ["proxy_buffering off;", "proxy_read_timeout 1h;", *body]
        limited += ["    " + line for line in body] + ["}"]
    values["limited"] = _indent(limited, 8)
    routed: list[str] = []
    for service in settings.upstreams:
        # /api/<service>/<path> reaches the service as /<path>.
        routed += [
            f"location /api/{service}/ {{",
            f"    set $dvc_route {service};",
            f"    proxy_pass http://{service}/;",
            "}",
        ]
    values["services"] = _indent(routed, 8)
    return re.sub(r"\{\{ (\w+) \}\}", lambda m: values[m.group(1)], TEMPLATE.read_text())


@dataclass
class Gateway:
    """A development gateway: nginx as a child process with its files under `state_dir`."""

    settings: Settings
    process: subprocess.Popen[bytes] | None = None

    @property
    def state(self) -> Path:
        assert self.settings.state_dir
        return Path(self.settings.state_dir)

    @property
    def url(self) -> str:
        return f"http://{self.settings.listen}"

    def write(self) -> Path:
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.state / "tmp" / kind).mkdir(parents=True, exist_ok=True)
        conf = self.state / "nginx.conf"
        conf.write_text(render(self.settings))
        return conf

    def command(self, *extra: str) -> list[str]:
        return [
            NGINX,
            "-e",
            str(self.state / "error.log"),
            "-p",
            str(self.state),
            "-c",
            str(self.state / "nginx.conf"),
            *extra,
        ]

    def check(self) -> None:
        """nginx's own check of the rendered configuration (`nginx -t`)."""
        self.write()
        done = subprocess.run(self.command("-t", "-q"), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"nginx refuses the configuration: {done.stderr}")

    def start(self, timeout: float = 15) -> None:
        if answers(self.url + "/"):
            raise RuntimeError(f"something already listens on {self.url}")
        self.check()
        log = (self.state / "nginx.out").open("ab")
        self.process = subprocess.Popen(
            self.command(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while not answers(self.url + "/"):
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"nginx exited with {self.process.returncode}; see {self.state / 'error.log'}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"the gateway did not answer on {self.url} within {timeout}s")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish the requests in flight
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def __enter__(self) -> Gateway:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # nginx answered, whatever it said
    except OSError:
        return False


def development_settings(
    ports: dict[str, int] | None = None, port: int | None = None, state_dir: Path | None = None
) -> Settings:
    """The gateway of `make run` (or of a test's stack on other ports)."""
    ports = ports or {s: int(os.environ.get(f"{s.upper()}_PORT", p)) for s, p in SERVICES.items()}
    port = port or int(os.environ.get("GATEWAY_PORT", DEFAULT_PORT))
    return Settings(
        listen=f"127.0.0.1:{port}",
        upstreams={s: f"127.0.0.1:{p}" for s, p in ports.items()},
        state_dir=str(state_dir or REPO / "var" / "gateway"),
        cors_origins=tuple(os.environ.get("GATEWAY_CORS_ORIGINS", "").split()),
    )


def container_settings(target: str) -> Settings:
    """Compose and Kubernetes: the services by their DNS names, the pages baked into the image."""
    return Settings(
        listen="8100",
        upstreams={s: f"{s}:{p}" for s, p in SERVICES.items()},
        web_root="/usr/share/dvc/web",
        state_dir=None,
        hsts=target == "production",
        behind_proxy=target in ("kubernetes", "production"),
        workers="auto",
    )


# Rendered copies committed for the container images (a test checks they are fresh).
RENDERED = {
    "compose": HERE / "rendered" / "nginx.compose.conf",
    "kubernetes": REPO / "deploy" / "k8s" / "base" / "gateway" / "nginx.conf",
    "production": REPO / "deploy" / "k8s" / "overlays" / "production" / "gateway" / "nginx.conf",
}


def pid_file() -> Path:
    return REPO / "var" / "run" / "gateway.pid"


def start_detached(settings: Settings) -> str:
    """`make run`: start nginx in its own session, remembered in var/run/gateway.pid for `make
    stop`; a gateway already answering is left as it is. Returns its URL."""
    gateway = Gateway(settings)
    if answers(gateway.url + "/portal/"):
        return gateway.url
    stop_detached()
    gateway.start()
    assert gateway.process is not None
    pid_file().parent.mkdir(parents=True, exist_ok=True)
    pid_file().write_text(str(gateway.process.pid))
    return gateway.url


def stop_detached() -> bool:
    path = pid_file()
    if not path.exists():
        return False
    pid = int(path.read_text())
    path.unlink()
    try:
        os.kill(pid, signal.SIGQUIT)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    return True


def where(url: str) -> str:
    """The first lines `make run` prints: the one origin and what is on it."""
    return "\n".join(
        [
            f"  Gateway (one origin) {url}   (log: var/gateway/access.log)",
            f"    citizen portal    {url}/portal/",
            f"    officer console   {url}/console/",
            f"    e-result check    {url}/portal/xac-thuc.html",
            f"    API docs          {url}/api/<service>/docs, e.g. {url}/api/intake/docs",
        ]
    )


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "start"
    if command == "start":
        print(start_detached(development_settings()))
    elif command == "stop":
        print("gateway stopped" if stop_detached() else "gateway not running")
    elif command == "render":
        target = argv[argv.index("--target") + 1] if "--target" in argv else "development"
        settings = development_settings() if target == "development" else container_settings(target)
        sys.stdout.write(render(settings))
    elif command == "write-rendered":
        for target, path in RENDERED.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(container_settings(target)))
            print(path.relative_to(REPO))
    else:
        raise SystemExit(f"unknown command {command!r}: start, stop, render [--target T], write-rendered")


if __name__ == "__main__":
    main(sys.argv[1:])
