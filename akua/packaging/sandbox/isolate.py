"""The render child's walls, raised in two steps around loading the engines. Standard library only.

`enter()` runs first thing in a fresh interpreter, before kcl-lib or the Helm engine is
imported (helm-python-sdk starts a Go runtime with threads, after which `unshare` of a
user namespace fails):
  - rlimits: address space, CPU, file size, open files, no core dumps;
  - new user, mount, network, UTS and IPC namespaces (ctypes `unshare`, Python 3.11 has
    no os.unshare), our uid mapped to 1000 inside: no network interface but a downed
    loopback, our own hostname, mounts private to us;
  - kubectl (for the kustomize engine) bind-mounted read-only into the private root.

`seal()` runs after the engines are loaded and warmed up:
  - chroot into the private root (a directory the parent owns, that holds nothing but
    what the render needs), so no path leads to the data directory, /proc or /etc;
  - Landlock (Linux 5.13+, unprivileged): reads and writes only beneath the root,
    kubectl executable, and with ABI 4+ no TCP bind or connect;
  - no_new_privs and an empty capability set.

Where the OS refuses namespaces (some containers, hardened kernels), the render still
has the rlimits, the empty environment, the private working directory and Landlock when
the kernel has it; `Isolation` says what holds and the parent reports it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import struct
from dataclasses import asdict, dataclass

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_NO_NEW_PRIVS = 38
SYS_LANDLOCK_CREATE_RULESET = 444
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
LANDLOCK_EXECUTE = 1
LANDLOCK_READ_FILE = 4
INNER_UID = 1000
KUBECTL_INSIDE = "/.akua/bin/kubectl"
OPEN_FILES_LIMIT = 1024

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


@dataclass
class Isolation:
    """What holds in this child: reported to the parent with every answer."""

    namespaces: bool = False
    chroot: bool = False
    landlock: int = 0  # Landlock ABI in force, 0 when none
    landlock_net: bool = False
    reason: str = ""  # why namespaces were not available, when they were not

    def as_dict(self) -> dict:
        return asdict(self)


def set_limits(*, memory_mib: int, warmup_cpu_seconds: int, file_mib: int) -> None:
    """Address space, file size (the log KCL's `print` fills, too), open files, no core
    dumps, and a CPU budget for the warm-up that `limit_cpu` narrows for the job."""
    mem = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = file_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    _lower(resource.RLIMIT_NOFILE, OPEN_FILES_LIMIT)
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (warmup_cpu_seconds, hard))


def limit_cpu(seconds: int) -> None:
    """Allow `seconds` more CPU from now (SIGXCPU at the soft limit). The hard limit stays
    where it was, so the next job can be given its own budget; the parent's watchdog
    kills a child that ignores the signal."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    value = used + seconds
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (value, hard))


def _lower(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def enter(root: str, *, kubectl: str | None, namespaces: bool) -> Isolation:
    """Namespaces and mounts; call before any thread exists (before kcl-lib and helm load)."""
    state = Isolation()
    if not namespaces:
        state.reason = "turned off"
        return state
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC
    if _libc.unshare(flags) != 0:
        state.reason = f"unshare: {os.strerror(ctypes.get_errno())}"
        return state
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{INNER_UID} {uid} 1")
    _write("/proc/self/gid_map", f"{INNER_UID} {gid} 1")
    name = b"akua-render"
    _libc.sethostname(name, len(name))
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    if kubectl:
        target = os.path.join(root, KUBECTL_INSIDE.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w"):
            pass
        _mount(kubectl, target, None, MS_BIND)
        _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY)
    state.namespaces = True
    return state


def seal(root: str, state: Isolation, *, kubectl: str | None) -> str:
    """chroot (when in our own namespaces), Landlock, no privileges; returns the root as now seen."""
    seen = root
    if state.namespaces:
        os.chroot(root)
        os.chdir("/")
        seen = "/"
        state.chroot = True
    else:
        os.chdir(root)
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    exe = KUBECTL_INSIDE if state.namespaces else kubectl
    state.landlock, state.landlock_net = _landlock(seen, exe if kubectl else None)
    _drop_capabilities()
    return seen


def _landlock(root: str, executable: str | None) -> tuple[int, bool]:
    abi = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    if abi < 1:
        return 0, False
    fs = (1 << 13) - 1  # ABI 1: execute .. make_sym
    if abi >= 2:
        fs |= 1 << 13  # refer
    if abi >= 3:
        fs |= 1 << 14  # truncate
    if abi >= 5:
        fs |= 1 << 15  # ioctl on devices
    net = 3 if abi >= 4 else 0  # bind and connect TCP
    scoped = 3 if abi >= 6 else 0  # abstract unix sockets and signals outside the sandbox
    size = 8 if abi < 4 else (16 if abi < 6 else 24)
    attr = ctypes.create_string_buffer(struct.pack("QQQ", fs, net, scoped)[:size], size)
    ruleset = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, attr, size, 0)
    if ruleset < 0:
        return 0, False
    try:
        _allow(ruleset, root, fs & ~LANDLOCK_EXECUTE)
        if executable and os.path.exists(executable):
            _allow(ruleset, executable, LANDLOCK_EXECUTE | LANDLOCK_READ_FILE)
        if _libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi, bool(net)


def _allow(ruleset: int, path: str, access: int) -> None:
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        if not os.path.isdir(path):
            access &= (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)  # file rights only
        rule = ctypes.create_string_buffer(struct.pack("=Qi", access, fd), 12)
        if _libc.syscall(SYS_LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH, rule, 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
    finally:
        os.close(fd)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _drop_capabilities() -> None:
    """Empty effective, permitted and inheritable sets (they are full in our user namespace)."""
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    if _libc.capset(ctypes.byref(header), data) != 0:
        err = ctypes.get_errno()
        if err != errno.EPERM:
            raise OSError(err, "capset")


def _mount(source, target, fstype, flags: int) -> None:
    enc = lambda s: s.encode() if isinstance(s, str) else s  # noqa: E731
    if _libc.mount(enc(source), enc(target), enc(fstype), flags, None) != 0:
        raise OSError(ctypes.get_errno(), f"mount {target}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)
