"""Bench: clone time and push-to-rendered-commit time over HTTP for a repository with a long history.

    .venv/bin/python bench/git.py [--renders 500] [--rounds 5]

Builds one installation of demo/packages/webapp with `--renders` rendered input changes
(each an "Update inputs" commit plus a "render sha256:…" commit), serves Akua from a
threaded WSGI server in this process and drives the real `git` client against it:

- clone: `git clone` of the whole history, median of `--rounds`;
- push to rendered commit: edit inputs.yaml, commit, `git push` (checks: validate + render
  in the pre-receive callback), the render (inline: AKUA_TASKS_SYNC) and `git pull` until
  the render commit is local, median of `--rounds`.

Throw-away AKUA_DATA_DIR, SQLite, local disk. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import threading
import time

import _django

ROOT = _django.ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    data_dir = _django.setup("akua-bench-git-")
    logging.getLogger("django.request").setLevel(logging.ERROR)

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    from catalog.actions import publish_package_version
    from installations import actions
    from installations.git.tokens import create_token
    from installations.repository import Repository

    vendor_ws, customer, user = _django.tenants()
    version = publish_package_version(vendor_ws, ROOT / "demo" / "packages" / "webapp", user=user)
    inst = actions.create_installation(
        package_version=version,
        customer_workspace=customer,
        name="bench",
        inputs={"replicas": 1},
        user=user,
    )
    inst.refresh_from_db()

    print(f"Building {args.renders} renders of history…", flush=True)
    start = time.perf_counter()
    for i in range(args.renders):
        inputs, head = actions.current_inputs(inst)
        actions.update_inputs(inst, {**inputs, "replicas": 2 + i % 19}, user=user, base_sha=head)
    build = time.perf_counter() - start
    repo = Repository(inst.repo_path)
    commits = int(repo._out("rev-list", "--count", "HEAD"))
    print(
        f"  {args.renders} renders in {build:.1f}s ({build / args.renders * 1000:.0f} ms each); "
        f"{commits} commits, {repo.disk_usage() / 1e6:.1f} MB on disk"
    )

    class Quiet(WSGIRequestHandler):
        def log_message(self, *a):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(get_wsgi_application())  # sets logging up again: quieten after it
    logging.getLogger("django.request").setLevel(logging.ERROR)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _, token = create_token(user, customer, name="bench")
    url = f"http://x:{token}@127.0.0.1:{server.server_port}/git/bench/{inst.pk}.git"
    home = data_dir / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }

    def git(*a, cwd=None):
        subprocess.run(["git", *a], cwd=cwd, env=env, check=True, capture_output=True)

    clones = []
    for i in range(args.rounds):
        dest = data_dir / f"clone-{i}"
        t = time.perf_counter()
        git("clone", "--quiet", url, str(dest))
        clones.append(time.perf_counter() - t)
    print(
        f"clone ({commits} commits): median {statistics.median(clones) * 1000:.0f} ms, "
        f"min {min(clones) * 1000:.0f} ms, max {max(clones) * 1000:.0f} ms"
    )

    clone = data_dir / "clone-0"
    rounds, pushes = [], []
    for i in range(args.rounds):
        path = clone / "inputs.yaml"
        text = path.read_text()
        key = "replicas: "
        at = text.index(key) + len(key)
        end = text.index("\n", at)
        current = int(text[at:end])
        path.write_text(text[:at] + str(1 + (current % 19) + 1) + text[end:])
        git("commit", "-qam", f"Bench push {i}", cwd=clone)
        t = time.perf_counter()
        git("push", "-q", "origin", "main", cwd=clone)
        pushed = time.perf_counter() - t
        git("pull", "-q", "--ff-only", cwd=clone)
        subject = subprocess.run(
            ["git", "log", "-1", "--format=%an %s"],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        if not subject.startswith("Akua render"):
            print(f"  round {i}: no render commit after the pull: {subject.strip()}")
        rounds.append(time.perf_counter() - t)
        pushes.append(pushed)
    print(
        f"push to rendered commit pulled: median {statistics.median(rounds) * 1000:.0f} ms "
        f"(the push itself, with checks and the inline render: median "
        f"{statistics.median(pushes) * 1000:.0f} ms)"
    )
    server.shutdown()
    Repository(inst.repo_path).fsck()
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
