"""`manage.py serve [--port 8000]`: the web server and a django-q2 worker, together.

Both run as child processes of this one; it prints the URL and the demo logins, forwards
Ctrl-C / SIGTERM to both, and stops the other when one of them exits.

The web server is gunicorn with threaded workers, not `runserver`: git sends pushes over
1 MiB with a chunked request body, which only a real WSGI server decodes, and the git
view streams for as long as a clone takes. Static files are served by WhiteNoise.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from installations.management.commands.demo import login_lines


class Command(BaseCommand):
    help = "Start the web server and a background worker (django-q2 qcluster) together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args, host: str, port: int, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web_cmd = [
            sys.executable, "-m", "gunicorn", "akua.wsgi:application",
            "--bind", f"{host}:{port}",
            "--worker-class", "gthread",
            "--workers", str(options["web_workers"]),
            "--threads", "8",
            "--timeout", "120",
            "--access-logfile", "-",
            "--no-control-socket",
            "--chdir", str(settings.BASE_DIR),
        ]  # fmt: skip
        children = {}
        from clusters.demo import emulator_port
        from installations import demo as emulator_demo

        emulator = emulator_demo.start()  # only when `demo --emulator` registered it
        if emulator is not None:
            children["Kubernetes API emulator"] = emulator
            self.stdout.write(
                f"Kubernetes API emulator (not a real cluster) on port {emulator_port()}"
            )
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        # Clone URLs shown in the pages point at this server unless SITE_URL says otherwise.
        env = {
            **os.environ,
            "SITE_URL": os.environ.get("SITE_URL") or f"http://{shown_host}:{port}",
        }
        children["web server"] = subprocess.Popen(web_cmd, env=env)
        children["worker"] = subprocess.Popen([*manage, "qcluster"], env=env)
        self.stdout.write(self.style.SUCCESS(f"\nAkua is running at http://{shown_host}:{port}/"))
        lines = login_lines()
        if lines:
            self.stdout.write("Logins:")
            for line in lines:
                self.stdout.write(line)
        self.stdout.write("Admin: /admin/ — press Ctrl-C to stop.\n")

        stopping = False

        def stop(signum, _frame):
            nonlocal stopping
            stopping = True
            for proc in children.values():
                if proc.poll() is None:
                    proc.send_signal(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        code = 0
        try:
            while True:
                for label, proc in children.items():
                    rc = proc.poll()
                    if rc is not None:
                        if not stopping:
                            self.stderr.write(f"The {label} exited ({rc}); stopping.")
                            code = rc or 1
                            stop(signal.SIGTERM, None)
                        raise StopIteration
                time.sleep(0.3)
        except StopIteration:
            pass
        deadline = time.monotonic() + 15
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        sys.exit(code)
