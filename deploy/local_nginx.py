"""Serve a built site with the site's nginx rules on 127.0.0.1, in the foreground.

    .venv/bin/python deploy/local_nginx.py /srv/wellness/current --port 8080

Fills in deploy/nginx-test.conf in a temporary prefix (configuration, pid,
logs, temp files: nothing outside it is written) and runs Debian's nginx as a
child process (``nginx -p <prefix> -c <conf> -g 'daemon off;'``). The tests
(tests/test_serving.py, tests/browser/test_csp.py) use :class:`NginxServer`.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
NGINX_CANDIDATES = ("/usr/sbin/nginx",)
BROTLI_MODULE_CANDIDATES = (
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
    "/usr/share/nginx/modules/ngx_http_brotli_static_module.so",
)
# The files of deploy/ that nginx reads, copied to <prefix>/conf/wellness/.
CONFIG_FILES = ("site.conf", "locations.conf", "security-headers.conf", "editor-headers.conf",
                "mime.types", "brotli.conf")


def find_nginx():
    for candidate in (os.environ.get("NGINX"), *NGINX_CANDIDATES, shutil.which("nginx")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_brotli_module():
    for candidate in BROTLI_MODULE_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(prefix, root, port, brotli_module=None, server_block=None):
    """Write <prefix>/conf/nginx.conf (from nginx-test.conf) and the site's rules beside it.

    ``server_block``: nginx text that replaces the template's server block
    (the tests use it to run nginx.production.conf).
    """
    prefix = Path(prefix)
    conf = prefix / "conf"
    (conf / "wellness").mkdir(parents=True, exist_ok=True)
    (prefix / "temp").mkdir(exist_ok=True)
    for name in CONFIG_FILES:
        shutil.copyfile(DEPLOY / name, conf / "wellness" / name)
    if brotli_module is None:
        # Without the module, brotli_static is an unknown directive: serve .gz only.
        (conf / "wellness" / "brotli.conf").write_text(
            "# libnginx-mod-http-brotli-static is not installed: .gz only\n")
    load = f"load_module {brotli_module};" if brotli_module else ""
    # Workers run as root when nginx is started by root: the files are in a
    # temporary folder that other users cannot read. Otherwise the directive
    # would only be ignored with a warning.
    user = "user root;" if os.geteuid() == 0 else ""
    text = (DEPLOY / "nginx-test.conf").read_text(encoding="utf-8")
    for name, value in {"@LOAD_MODULES@": load, "@USER@": user, "@PREFIX@": str(prefix),
                        "@PORT@": str(port), "@ROOT@": str(root)}.items():
        text = text.replace(name, value)
    if server_block is not None:
        text, count = re.subn(r"^    server \{\n.*?^    \}\n", lambda _: server_block, text,
                              count=1, flags=re.MULTILINE | re.DOTALL)
        if count != 1:
            raise ValueError("nginx-test.conf has no server block to replace")
    (conf / "nginx.conf").write_text(text, encoding="utf-8")
    return conf / "nginx.conf"


class NginxServer:
    """nginx serving ``root`` on http://127.0.0.1:<port> until :meth:`stop`."""

    def __init__(self, root, port=None, *, prefix=None, nginx=None, brotli=True,
                 server_block=None):
        self.nginx = nginx or find_nginx()
        if self.nginx is None:
            raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
        self.root = Path(root)
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._own_prefix = prefix is None
        self.prefix = Path(prefix or tempfile.mkdtemp(prefix="nginx-"))
        self.brotli_module = find_brotli_module() if brotli else None
        self.conf = write_config(self.prefix, self.root, self.port, self.brotli_module,
                                 server_block)
        self.process = None

    def command(self):
        return [self.nginx, "-p", str(self.prefix), "-e", str(self.prefix / "error.log"),
                "-c", str(self.conf), "-g", "daemon off;"]

    def error_log(self):
        path = self.prefix / "error.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def start(self, timeout=10):
        # Its own messages go to a file: a pipe nobody reads could fill and block it.
        with open(self.prefix / "nginx.out", "wb") as output:
            self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                            stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = (self.prefix / "nginx.out").read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"nginx stopped at start:\n{output}{self.error_log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on {self.base}:\n{self.error_log()}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown of master and workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._own_prefix:
            shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="the folder to serve, e.g. output/ or <target>/current")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    # absolute(), not resolve(): a symlink such as <target>/current must stay one,
    # so that nginx follows each switch.
    server = NginxServer(Path(args.root).absolute(), port=args.port)
    print(f"Serving {args.root} on {server.base}/ with deploy/site.conf (Ctrl+C to stop)")
    # `kill <pid>` stops nginx too, like Ctrl+C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.start()
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
