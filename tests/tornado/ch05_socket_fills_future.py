"""ch05_socket_fills_future: the async-in-Tornado article's handler, its get_data() reading a real socket.

The article's MainHandler.get yields get_data(), which connects to a server,
sends 'hello' and resolves its future from a READ handler. Here the server
is a listener on 127.0.0.1:0 served by the same loop, and get() is a plain
coroutine run with run_sync instead of a RequestHandler.
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
served = []


def on_accept(fd, events):
    conn, _ = listener.accept()
    conn.setblocking(False)
    served.append(conn)
    log("server: accepted a connection")
    loop.remove_handler(listener.fileno())

    def on_request(fd, events):
        request = conn.recv(1024)
        log("server: got %r, answers" % request.decode().strip())
        loop.remove_handler(conn.fileno())
        conn.sendall(b"data for " + request)

    loop.add_handler(conn.fileno(), on_request, loop.READ)


loop.add_handler(listener.fileno(), on_accept, loop.READ)


def get_data():
    # An asynchronous function returns a future.
    future = Future()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(listener.getsockname())
    s.send(b"hello\n")
    log("get_data: connected and sent 'hello'")

    def handle_data(fd, event):
        loop.remove_handler(fd)
        data = s.recv(1024)
        log("handle_data: read %r" % data.decode().strip())
        s.close()
        future.set_result(data.decode().strip())

    loop.add_handler(s.fileno(), handle_data, loop.READ)
    return future


@gen.coroutine
def get():
    log("get: waiting for get_data()")
    data = yield get_data()
    log("get: write(%r) and finish()" % data)
    raise gen.Return(data)


log("run_sync(get) returned %r" % loop.run_sync(get))
