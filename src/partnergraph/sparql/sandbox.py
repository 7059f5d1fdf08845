"""Defence in depth for query workers: no network sockets, enforced by the kernel.

The lexical guard (:mod:`partnergraph.sparql.guard`) refuses ``SERVICE`` with a clear
message, but a lexical check cannot follow every way a parser tokenises a query (``<``
is both an operator and the start of an IRI). pyoxigraph has a built-in HTTP client
for ``SERVICE``, so a query that slipped past the guard could reach the network.

A query worker therefore installs a seccomp filter before it opens the store: the
``socket`` and ``io_uring_setup`` system calls fail with ``EACCES``, so the worker can
neither connect anywhere nor resolve a host name. The connection to the parent is a
socket pair made before the filter, so it keeps working. Linux on x86-64 and AArch64
only; elsewhere :func:`deny_network` returns False and the guard is the only layer.
"""

from __future__ import annotations

import ctypes
import platform
import struct
import sys

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
_OFF_NR, _OFF_ARCH = 0, 4
_LD_W_ABS = 0x00 | 0x00 | 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x05 | 0x10 | 0x00  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x05 | 0x30 | 0x00  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06 | 0x00
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_EACCES = 13
_X32_BIT = 0x40000000

#: machine -> (audit arch, socket, io_uring_setup, seccomp syscall number)
_ARCH = {
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}

_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1


def _stmt(code: int, k: int) -> bytes:
    return struct.pack("HBBI", code, 0, 0, k)


def _jump(code: int, k: int, jt: int, jf: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _program(arch: int, nr_socket: int, nr_io_uring: int) -> list[bytes]:
    deny = _RET_ERRNO | _EACCES
    return [
        _stmt(_LD_W_ABS, _OFF_ARCH),
        _jump(_JEQ_K, arch, 1, 0),
        _stmt(_RET_K, _RET_ALLOW),  # another ABI: leave it alone (cannot happen here)
        _stmt(_LD_W_ABS, _OFF_NR),
        _jump(_JGE_K, _X32_BIT, 3, 0),  # x32 system calls: refuse all
        _jump(_JEQ_K, nr_socket, 2, 0),
        _jump(_JEQ_K, nr_io_uring, 1, 0),
        _stmt(_RET_K, _RET_ALLOW),
        _stmt(_RET_K, deny),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> bool:
    """Forbid new sockets in this process (and its threads). True if the filter is on."""
    if not sys.platform.startswith("linux"):
        return False
    spec = _ARCH.get(platform.machine())
    if spec is None:
        return False
    arch, nr_socket, nr_io_uring, nr_seccomp = spec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prog = _program(arch, nr_socket, nr_io_uring)
        buf = ctypes.create_string_buffer(b"".join(prog))
        fprog = _SockFprog(len(prog), ctypes.cast(buf, ctypes.c_void_p))
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        # seccomp(2) with TSYNC covers threads that already exist; prctl is the fallback.
        rc = libc.syscall(nr_seccomp, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC,
                          ctypes.byref(fprog))
        if rc != 0:
            rc = libc.prctl(22, 2, ctypes.byref(fprog), 0, 0)  # PR_SET_SECCOMP, MODE_FILTER
        return rc == 0
    except (OSError, AttributeError):
        return False


def network_is_denied() -> bool:
    """True if this process cannot make a socket (used by tests and the health page)."""
    import socket

    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False


def limit_memory(max_bytes: int) -> bool:
    """Cap the memory this process may allocate (``RLIMIT_DATA``: heap and private mappings,
    thread stacks included). An allocation past the cap fails, and Oxigraph then stops the
    process, so one query can never take the machine's memory. True if the cap is on."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))
    except (ImportError, ValueError, OSError):
        return False
    return True
