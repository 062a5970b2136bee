"""ch05_http_fetch: the fetch article's fetch_coroutine, against a tiny local server.

The article's fetch_coroutine yields AsyncHTTPClient().fetch(url). Here fetch()
is a small HTTP/1.0 client on a raw socket and a READ handler, and the server
is a listener on 127.0.0.1:0 served by the same loop: the shape of the article
with every step visible.
"""
import socket

from tornado import gen
from tornado.concurrent import Future

from twin import *

loop = new_loop()
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(8)
listener.setblocking(False)
BODY = b"Hello, world"


def on_accept(fd, events):
    conn, _ = listener.accept()
    conn.setblocking(False)
    log("server: accepted a connection")

    def on_request(fd, events):
        request = conn.recv(4096).decode()
        log("server: %s" % request.splitlines()[0])
        loop.remove_handler(conn.fileno())
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY))
        conn.close()
        log("server: answered and closed")

    loop.add_handler(conn.fileno(), on_request, loop.READ)


loop.add_handler(listener.fileno(), on_accept, loop.READ)


def fetch(path):
    """An HTTP GET whose future resolves to the response body."""
    future = Future()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(listener.getsockname())
    s.setblocking(False)
    s.sendall(("GET %s HTTP/1.0\r\n\r\n" % path).encode())
    log("fetch: sent GET %s" % path)
    chunks = []

    def on_response(fd, events):
        while True:
            try:
                chunk = s.recv(4096)
            except BlockingIOError:
                return
            if not chunk:
                break
            chunks.append(chunk)
        loop.remove_handler(fd)
        s.close()
        response = b"".join(chunks)
        log("fetch: response complete, %d bytes" % len(response))
        future.set_result(response.split(b"\r\n\r\n", 1)[1])

    loop.add_handler(s.fileno(), on_response, loop.READ)
    return future


@gen.coroutine
def fetch_coroutine(path):
    log("fetch_coroutine(%r)" % path)
    body = yield fetch(path)
    raise gen.Return(body)


log("fetch_coroutine returned %r" % loop.run_sync(lambda: fetch_coroutine("/hello")).decode())
