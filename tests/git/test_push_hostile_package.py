"""Pushing hostile package code: the git client prints why it was refused, the server stays up.

Before the sandbox, the recursion push killed the process serving it (here: the test
process itself, which runs the live server), and the read_env push committed the
server's keys. Each push here is refused, with the reason on a `remote:` line, and a
request right after answers 200.
"""

from __future__ import annotations

import base64
import shutil
import urllib.parse
import urllib.request

import pytest

from akua.packaging import default_limits, set_default_limits
from installations.repository import Repository

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG_MAP = (
    'resources = [{{apiVersion = "v1", kind = "ConfigMap", metadata.name = "x", data = {}}}]\n'
)
LOOP = "f = lambda x: int -> int {\n    x * 3 + 1\n}\nn = sum([f(i) for i in range(3000000)])\n"

HOSTILE = {
    "read_env": (
        'import file as f\nkey = f.read_env("AKUA_ENCRYPTION_KEY")\n'
        + CONFIG_MAP.format("{k = key}"),
        "package.k:2: `file.read_env` is not allowed in a package",
    ),
    "write": (
        'import file\n_ = file.write("/tmp/x", "y")\n' + CONFIG_MAP.format("{}"),
        "package.k:2: `file.write` is not allowed in a package",
    ),
    "read_outside": (
        "import file\n" + CONFIG_MAP.format('{h = file.read("/etc/hostname")}'),
        "package.k:2:",
    ),
    "recursion": (
        "f = lambda n: int -> int {\n    f(n + 1)\n}\n" + CONFIG_MAP.format("{x = str(f(0))}"),
        "likely unbounded recursion in package.k",
    ),
    "loop": (LOOP + CONFIG_MAP.format("{}"), "s of CPU time (CPU time limit)"),
    "memory": ('s = "x" * 4000000000\n' + CONFIG_MAP.format("{x = s}"), "ran out of memory"),
    "output": (
        's = "x" * 1000000\nresources = [{apiVersion = "v1", kind = "ConfigMap",'
        ' metadata.name = "c${i}", data.x = s} for i in range(20)]\n',
        "(output size limit)",
    ),
    "resources": (
        'resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = "c${i}"}'
        " for i in range(150)]\n",
        "(resource count limit)",
    ),
}


@pytest.fixture
def small_limits():
    before = default_limits()
    # Small enough to be quick; the wall time leaves room for a loaded test machine.
    set_default_limits(before.but(cpu_seconds=2, wall_seconds=60, output_mib=8, resources=100))
    yield
    set_default_limits(before)


def _answers_200(url: str) -> int:
    """GET the repository's refs with the token of the URL (`http://x:<token>@host/...`)."""
    parts = urllib.parse.urlsplit(url)
    bare = parts._replace(netloc=parts.hostname + f":{parts.port}").geturl()
    auth = base64.b64encode(f"{parts.username}:{parts.password}".encode()).decode()
    request = urllib.request.Request(bare, headers={"Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def test_each_hostile_push_is_refused_and_the_server_stays_up(
    git, shop, owner_url, live, tmp_path, small_limits
):
    clone = git.clone(owner_url, tmp_path / "clone")
    before = Repository(shop.repo_path).head()
    refs_url = owner_url + "/info/refs?service=git-upload-pack"
    for name, (program, reason) in HOSTILE.items():
        (clone / "package.k").write_text(program)
        git.run("commit", "-qam", f"Hostile: {name}", cwd=clone)
        proc = git.run("push", "origin", "main", cwd=clone, check=False)
        assert proc.returncode != 0, (name, proc.stderr)
        assert "remote:   main: does not render: " in proc.stderr, (name, proc.stderr)
        assert reason in proc.stderr, (name, proc.stderr)
        assert "akua-sandbox" not in proc.stderr and "tree0" not in proc.stderr, proc.stderr
        assert _answers_200(refs_url) == 200, name
        git.run("reset", "-q", "--hard", "origin/main", cwd=clone)
    assert Repository(shop.repo_path).head() == before


@pytest.mark.skipif(not shutil.which("kubectl"), reason="needs kubectl")
def test_a_push_reaching_for_the_network_is_refused(git, shop, owner_url, live, tmp_path):
    clone = git.clone(owner_url, tmp_path / "clone")
    (clone / "overlay").mkdir()
    # The live server itself is the target: the render has no network to reach it.
    (clone / "overlay" / "kustomization.yaml").write_text(f"resources:\n- {live.url}/x.yaml\n")
    (clone / "package.k").write_text(
        'import akua.kustomize\nresources = kustomize.build(kustomize.Build {path = "overlay"})\n'
    )
    git.run("add", "-A", cwd=clone)
    git.run("commit", "-qm", "Fetch from the network", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode != 0
    assert "main: does not render: overlay: kubectl kustomize failed" in proc.stderr, proc.stderr
    assert _answers_200(owner_url + "/info/refs?service=git-upload-pack") == 200
