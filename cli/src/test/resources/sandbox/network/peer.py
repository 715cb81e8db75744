"""The peer the sandboxed programs talk to, run outside the sandbox.

Arguments: the sockets to serve, each one of the following, optionally preceded by "LABEL=" (the
name the greeting and the log use instead of the specification):
  unix:PATH           an AF_UNIX stream socket at PATH (108 bytes at most)
  unix:@NAME          an abstract AF_UNIX stream socket
  tcp:ADDR:PORT       a TCP socket (PORT 0: an ephemeral one; ADDR may be an IPv6 address)
  tcp-full:ADDR:PORT  a TCP socket whose accept queue is kept full: nobody accepts, and two
                      connections of its own fill the queue, so that a further connect stalls
  udp:ADDR:PORT       a UDP socket

Prints "listening SPEC PORT" for each socket (PORT 0 for unix sockets), then "ready". Then it
greets each peer that connects with "hello from SPEC" and prints "accepted SPEC", prints
"datagram SPEC TEXT" for each datagram, and ends when its stdin closes.
"""

import os
import selectors
import socket
import sys


def open_socket(spec):
    kind, _, where = spec.partition(":")
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if where.startswith("@"):
            s.bind("\0" + where[1:])
        elif len(where) >= 108:
            # Python wants room for a NUL in sun_path: a path that fills it is bound from its
            # directory.
            os.chdir(os.path.dirname(where))
            s.bind(os.path.basename(where))
        else:
            s.bind(where)
        s.listen(16)
        return s, 0
    host, _, port = where.rpartition(":")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if kind == "udp":
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((host, int(port)))
        return s, s.getsockname()[1]
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((host, int(port)))
    if kind == "tcp-full":
        # A backlog of 0 queues one connection; the kernel drops the SYNs of the next ones.
        s.listen(0)
        fillers = []
        for _ in range(2):
            c = socket.socket(family, socket.SOCK_STREAM)
            c.setblocking(False)
            c.connect_ex(s.getsockname())
            fillers.append(c)
        return (s, fillers), s.getsockname()[1]
    s.listen(16)
    return s, s.getsockname()[1]


def main():
    selector = selectors.DefaultSelector()
    keep = []
    for arg in sys.argv[1:]:
        label, _, spec = arg.rpartition("=")
        spec = spec if label else arg
        s, port = open_socket(spec)
        spec = label or spec
        keep.append(s)
        if not isinstance(s, tuple):
            selector.register(s, selectors.EVENT_READ, spec)
        print("listening", spec, port, flush=True)
    selector.register(sys.stdin, selectors.EVENT_READ, None)
    print("ready", flush=True)
    while True:
        for key, _ in selector.select():
            spec = key.data
            if spec is None:
                if not os.read(sys.stdin.fileno(), 4096):
                    return
                continue
            s = key.fileobj
            if s.type == socket.SOCK_DGRAM:
                data, _ = s.recvfrom(65536)
                print("datagram", spec, data.decode(), flush=True)
                continue
            c, _ = s.accept()
            try:
                c.sendall(("hello from " + spec + "\n").encode())
            except OSError:
                # A peer that connects only to see whether it can goes away at once.
                pass
            c.close()
            print("accepted", spec, flush=True)


main()
