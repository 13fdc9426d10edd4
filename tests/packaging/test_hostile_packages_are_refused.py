"""Hostile package code is a failed render that says why, never a leak or a crashed caller.

Before the sandbox, each of these was a leak (the server's keys in a ConfigMap, files
beside the package through a chart's links), a crash of the rendering process
(unbounded recursion: SIGSEGV), or a render without end. The limits here are small so
the suite stays fast; the defaults are in akua.packaging.sandbox.limits.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from akua.packaging import Limits, PackagingError, render
from tests.packaging.fixture_packages import write_package

FAST = Limits(cpu_seconds=2, wall_seconds=10)
# 3M lambda calls: 30 s of CPU in half a gigabyte (the issue's 50M loop runs out of memory first)
LOOP = "f = lambda x: int -> int {\n    x * 3 + 1\n}\nn = sum([f(i) for i in range(3000000)])\n"


def _refused(tmp_path, package_k: str, *, limits=FAST, files=None, toml="") -> PackagingError:
    pkg = write_package(tmp_path / "pkg", package_k, files=files, toml_extra=toml)
    with pytest.raises(PackagingError) as err:
        render(pkg, {}, limits=limits)
    return err.value


def _config_map(data: str) -> str:
    return f'resources = [{{apiVersion = "v1", kind = "ConfigMap", metadata.name = "x", data = {data}}}]\n'


@pytest.mark.parametrize(
    "program, call, line",
    [
        ('import file\nsecret = file.read_env("AKUA_ENCRYPTION_KEY")\n', "file.read_env", 2),
        ('import file as f\n\n\nkey = f.read_env("SECRET_KEY")\n', "file.read_env", 4),
        ('import file as f\nget = f.read_env\nurl = get("DATABASE_URL")\n', "file.read_env", 2),
        ('import \\\n    file\nk = file.read_env("SECRET_KEY")\n', "file.read_env", 3),
        ('import\tfile as f\nk = f.read_env("SECRET_KEY")\n', "file.read_env", 2),
        ("import file\nschema S:\n    x: str = \"${file.read_env('HOME')}\"\n", "file.read_env", 3),
        ('import file\nw = file.write("/tmp/akua-pwned", "x")\n', "file.write", 2),
        ('import file\nd = lambda {\n    file.delete("package.k")\n}\n', "file.delete", 3),
        ('import file\nm = file.mkdir("x")\n', "file.mkdir", 2),
        ('import file\nc = file.cp("a", "b")\n', "file.cp", 2),
        ('import file\nc = file.mv("a", "b")\n', "file.mv", 2),
        ('import file\nc = file.append("a", "b")\n', "file.append", 2),
        ('import json\nj = json.dump_to_file({}, "x.json")\n', "json.dump_to_file", 2),
        ('import yaml as y\nj = y.dump_all_to_file([], "x.yaml")\n', "yaml.dump_all_to_file", 2),
        ("import datetime\nnow = datetime.now()\n", "datetime.now", 2),
        ("import crypto\nid = crypto.uuid()\n", "crypto.uuid", 2),
        ("import net\nhost = net.fqdn()\n", "net.fqdn", 2),
    ],
)
def test_host_functions_are_refused_at_their_line(tmp_path, program, call, line):
    err = _refused(tmp_path, program + "resources = []\n")
    assert (err.file, err.line) == (str(tmp_path / "pkg" / "package.k"), line)
    assert f"`{call}` is not allowed in a package" in err.message


def test_a_host_function_in_a_local_module_is_refused_too(tmp_path):
    err = _refused(
        tmp_path,
        "import lib.util\nresources = []\n",
        files={"lib/util.k": 'import file\nkey = file.read_env("SECRET_KEY")\n'},
    )
    assert (err.file, err.line) == (str(tmp_path / "pkg" / "lib" / "util.k"), 2)


def test_a_host_function_in_a_nested_package_is_refused(tmp_path):
    write_package(
        tmp_path / "inner", 'import file\nresources = [file.read_env("SECRET_KEY")]\n', name="inner"
    )
    err = _refused(
        tmp_path,
        'import akua.pkg\nresources = pkg.render(pkg.Render {package = "inner"})\n',
        toml='\n[dependencies.inner]\npath = "../inner"\n',
    )
    assert (err.file, err.line) == (str(tmp_path / "inner" / "package.k"), 2)


def test_the_pure_functions_of_a_guarded_module_are_allowed(tmp_path):
    program = 'import json as j\nimport crypto\ns = j.encode({a = 1})\nh = crypto.sha256("x")\n'
    pkg = write_package(tmp_path / "pkg", program + _config_map("{s = s, h = h[:8]}"))
    assert render(pkg, {}).resources[0]["data"] == {"s": '{"a": 1}', "h": "2d711642"}


@pytest.mark.parametrize(
    "link",
    [
        "/etc/hostname",  # a file of the server, by absolute path
        "{data}/encryption_key",  # a key file beside the package (the data directory)
        "../../../encryption_key",  # the same key, by a relative path out of the chart
    ],
)
def test_a_chart_cannot_read_files_outside_the_package(tmp_path, link):
    """Helm follows links in a chart: before the sandbox, this ConfigMap held the file."""
    (tmp_path / "encryption_key").write_text("the-key\n")
    secrets = {"the-key", Path("/etc/hostname").read_text().strip()}
    chart = tmp_path / "pkg" / "charts" / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
        'data:\n  k: {{ .Files.Get "key.txt" | quote }}\n'
    )
    os.symlink(link.format(data=tmp_path), chart / "key.txt")
    pkg = write_package(
        tmp_path / "pkg",
        "import charts.c\nresources = c.template()\n",
        toml_extra='\n[dependencies.c]\npath = "./charts/c"\n',
    )
    try:
        seen = str(render(pkg, {}, limits=FAST).resources)
    except PackagingError as exc:
        seen = str(exc)
    assert not any(secret in seen for secret in secrets), seen


def test_a_dependency_reached_through_a_link_is_refused(tmp_path):
    """The parent copies dependencies: it must not follow a link out of the package."""
    chart = tmp_path / "elsewhere"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    pkg = write_package(
        tmp_path / "pkg",
        "import charts.c\nresources = c.template()\n",
        toml_extra='\n[dependencies.c]\npath = "./vendor/c"\n',
    )
    (pkg / "vendor").mkdir()
    os.symlink(chart, pkg / "vendor" / "c")
    with pytest.raises(PackagingError, match="vendor/c is a symbolic link"):
        render(pkg, {}, limits=FAST)


def test_unbounded_recursion_is_a_crash_report_not_a_crash(tmp_path):
    program = "f = lambda n: int -> int {\n    f(n + 1)\n}\n" + _config_map("{x = str(f(0))}")
    err = _refused(tmp_path, program)
    assert str(err).startswith("the render crashed (signal SIG")
    assert str(err).endswith("likely unbounded recursion in package.k")


def test_a_long_loop_stops_at_the_cpu_limit(tmp_path):
    # A generous wall time: on a loaded machine 2 s of CPU can take many seconds.
    err = _refused(tmp_path, LOOP + _config_map("{}"), limits=FAST.but(wall_seconds=120))
    assert str(err) == "the render used more than 2 s of CPU time (CPU time limit)"


def test_a_long_loop_stops_at_the_wall_time_limit(tmp_path):
    err = _refused(
        tmp_path, LOOP + _config_map("{}"), limits=Limits(cpu_seconds=30, wall_seconds=1.5)
    )
    assert str(err) == "the render took longer than 1.5 s (wall time limit)"


def test_the_issue_s_50m_iteration_loop_stops_at_a_limit(tmp_path):
    """Before: 38 s and 4.8 GB. Its list of 50M numbers outgrows the default memory first."""
    err = _refused(tmp_path, "n = sum([i for i in range(50000000)])\n" + _config_map("{}"))
    assert str(err) == "the render ran out of memory (limit 2048 MiB)"


def test_one_huge_allocation_stops_at_the_memory_limit(tmp_path):
    err = _refused(tmp_path, 's = "x" * 4000000000\n' + _config_map("{x = s}"))
    assert str(err) == "the render ran out of memory (limit 2048 MiB)"


def test_a_growing_memory_bomb_stops_at_the_memory_limit(tmp_path):
    program = "big = [[i] * 1000 for i in range(10000000)]\n" + _config_map("{n = str(len(big))}")
    err = _refused(tmp_path, program, limits=Limits(cpu_seconds=30, wall_seconds=30))
    assert str(err) == "the render ran out of memory (limit 2048 MiB)"


def test_an_output_bomb_stops_at_the_output_limit(tmp_path):
    program = (
        's = "x" * 1000000\n'
        'resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = "c${i}", data.x = s}'
        " for i in range(20)]\n"
    )
    err = _refused(tmp_path, program, limits=FAST.but(output_mib=8))
    assert str(err) == "the render's output is larger than 8 MiB (output size limit)"


def test_a_resource_bomb_stops_at_the_resource_count_limit(tmp_path):
    program = (
        'resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = "c${i}"}'
        " for i in range(150)]\n"
    )
    err = _refused(tmp_path, program, limits=FAST.but(resources=100))
    assert str(err) == "the render produced 150 resources, more than 100 (resource count limit)"


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        body = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not shutil.which("kubectl"), reason="needs kubectl")
def test_a_package_cannot_reach_the_network(tmp_path):
    """A kustomization naming a URL on this machine: the render has no network to reach it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/cm.yaml"
    try:
        err = _refused(
            tmp_path,
            'import akua.kustomize\nresources = kustomize.build(kustomize.Build {path = "overlay"})\n',
            files={"overlay/kustomization.yaml": f"resources:\n- {url}\n"},
        )
    finally:
        server.shutdown()
    assert "kubectl kustomize failed" in str(err)
    assert _Counting.hits == []
