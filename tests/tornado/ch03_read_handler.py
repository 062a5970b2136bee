"""ch03_read_handler: the async-in-Tornado article's READ handler on a real TCP connection."""
import socket

from twin import *

loop = new_loop()
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(8)
listener.setblocking(False)
client = socket.create_connection(listener.getsockname())
client.sendall(b"hello\n")
log("client connected and sent hello")
conns = []


def handle_data(fd, events):
    conn = conns[0]
    data = conn.recv(1024)
    if data:
        log("handle_data: events=%d, read %d bytes: %s" % (events, len(data), data.decode().strip()))
        client.close()
        log("the client closes its socket")
    else:
        log("handle_data: events=%d, read 0 bytes: the peer closed" % events)
        loop.remove_handler(fd)
        conn.close()
        loop.stop()


def accept(fd, events):
    conn, _ = listener.accept()
    conn.setblocking(False)
    conns.append(conn)
    log("accept: events=%d, a new connection" % events)
    loop.remove_handler(listener.fileno())
    loop.add_handler(conn.fileno(), handle_data, loop.READ)


loop.add_handler(listener.fileno(), accept, loop.READ)
log("start ioloop")
loop.start()
log("ioloop stopped")
