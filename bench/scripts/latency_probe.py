#!/usr/bin/env python3
"""Minimal-client cross-check of first-delivery latency at light load.

One SSE subscriber and one keep-alive publisher connection, both raw sockets; each publish is sent only
after the previous one was received and answered (closed loop, so nothing queues). Prints the
publish-to-receipt percentiles after a warm-up.

usage: latency_probe.py <publisher-token> <port> [warmup] [samples]
"""
import socket
import sys
import time

token, port = sys.argv[1], int(sys.argv[2])
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
samples = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
topic = b"https://probe.quicksilver.test/x"

sub = socket.create_connection(("127.0.0.1", port))
sub.sendall(b"GET /.well-known/mercure?topic=" + topic + b" HTTP/1.1\r\nHost: probe\r\n\r\n")
head = b""
while not (b"\r\n\r\n" in head and b":" in head.split(b"\r\n\r\n", 1)[1]):  # the head, then the opening comment
    head += sub.recv(65536)

pub = socket.create_connection(("127.0.0.1", port))
pub.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
body = b"topic=" + topic + b"&data=probe"
request = (b"POST /.well-known/mercure HTTP/1.1\r\nHost: probe\r\nAuthorization: Bearer " + token.encode()
           + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
           + str(len(body)).encode() + b"\r\n\r\n" + body)


def once():
    start = time.perf_counter()
    pub.sendall(request)
    got = b""
    while b"data: probe" not in got:
        got += sub.recv(65536)
    received = (time.perf_counter() - start) * 1000
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += pub.recv(65536)
    head, _, rest = answer.partition(b"\r\n\r\n")
    length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")))
    while len(rest) < length:
        rest += pub.recv(65536)
    return received


for _ in range(warmup):
    once()
times = sorted(once() for _ in range(samples))
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print("publish->receipt ms: p50 %.3f p90 %.3f p99 %.3f max %.3f (n=%d, after %d warm-up)"
      % (pick(0.5), pick(0.9), pick(0.99), times[-1], len(times), warmup))
