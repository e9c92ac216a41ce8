"""A real static web server for the benchmark: nginx on 127.0.0.1 at a free port.

Why nginx: ``python -m http.server`` is single-threaded and would be the bottleneck (every
crawler would measure the server, not itself). nginx serves small static files at tens of
thousands of requests per second on one worker, so the crawlers are what is measured.

nginx runs in the foreground (``daemon off``) as our child, with its own prefix, config, pid and
logs under the benchmark's work folder, and is stopped (SIGTERM, then SIGKILL) when the context
exits, on failure and on Ctrl-C too.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_CONF = """\
worker_processes 1;
worker_rlimit_nofile 8192;
daemon off;
master_process on;
{user}
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    types {{
        text/html html htm;
        text/css css;
        image/png png;
        application/pdf pdf;
        application/msword doc;
        application/vnd.openxmlformats-officedocument.wordprocessingml.document docx;
        application/vnd.ms-excel xls;
    }}
    default_type application/octet-stream;
    charset utf-8;
    log_format bench '$msec $status $request_uri';
    {access_log}
    log_not_found off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 120s;
    keepalive_requests 1000000;
    client_body_temp_path {work}/tmp_body;
    server {{
        listen 127.0.0.1:{port} reuseport;
        server_name bench;
        root {root};
        index index.html;
        # LinkChecker throttles every host to ~3 requests/s unless the server answers with a
        # "LinkChecker" header (then its maxrequestspersecond setting applies): see crawl.py.
        add_header LinkChecker bench always;
    }}
}}
"""


def nginx_binary() -> str | None:
    for cand in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if cand and os.path.exists(cand):
            return cand
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ready(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def server_errors(work: Path) -> list[str]:
    """Lines of nginx's error log at level crit or worse: the server failed, not the crawler."""
    try:
        text = (work.resolve() / "error.log").read_text(errors="replace")
    except OSError:
        return []
    return [ln for ln in text.splitlines() if any(f"[{lvl}]" in ln for lvl in ("crit", "alert", "emerg"))]


@contextmanager
def nginx(root: Path, work: Path, access_log: bool = False) -> Iterator[tuple[int, str]]:
    """Serve ``root`` with nginx on 127.0.0.1; yields (port, version).

    ``access_log`` writes ``work/access.log`` (time, status, URI per request) for diagnosis; the
    benchmark keeps it off.
    """
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("未找到 nginx：请先安装（apt-get install -y nginx-light）")
    work = work.resolve()
    version = subprocess.run([binary, "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
    work.mkdir(parents=True, exist_ok=True)
    (work / "error.log").unlink(missing_ok=True)  # one log per run, for server_errors()
    proc: subprocess.Popen[bytes] | None = None
    port = 0
    try:
        for _attempt in range(5):
            port = free_port()
            conf = work / "nginx.conf"
            # As root nginx would drop its workers to "nobody"; keep them as us so the files
            # we just wrote are readable whatever the umask.
            user = "user root;" if os.geteuid() == 0 else ""
            log_line = f"access_log {work}/access.log bench;" if access_log else "access_log off;"
            conf.write_text(
                _CONF.format(work=work, port=port, root=root.resolve(), user=user, access_log=log_line)
            )
            with open(work / "stderr.log", "wb") as log:
                proc = subprocess.Popen(
                    [binary, "-p", str(work), "-c", str(conf)], stdout=log, stderr=log, start_new_session=True
                )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and proc.poll() is None and not _ready(port):
                time.sleep(0.05)
            if proc.poll() is None and _ready(port):
                break
            _stop(proc)
            proc = None
        if proc is None:
            err = (
                (work / "error.log").read_text(errors="replace")[-2000:]
                if (work / "error.log").exists()
                else ""
            )
            raise RuntimeError(f"nginx 启动失败：{err}")
        yield port, version
    finally:
        if proc is not None:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: master and worker together
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
