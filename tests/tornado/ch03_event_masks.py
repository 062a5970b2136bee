"""ch03_event_masks: a handler gets epoll's mask unchanged: a hang-up alone, an error alone.

A pipe's read end whose writer closed, with nothing to read, reports EPOLLHUP
alone (0x10, no READ); a connected UDP socket refused by an ICMP message
reports EPOLLERR alone (0x8); a pipe with data left and its writer closed
reports READ|EPOLLHUP (0x11). 4.5.3's EPollIOLoop hands `events` from
`epoll.poll()` to the handler as they are.
"""
import os
import socket

from twin import *

loop = new_loop()

empty_r, empty_w = os.pipe()
os.close(empty_w)
full_r, full_w = os.pipe()
os.write(full_w, b"x")
os.close(full_w)
probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
probe.bind(("127.0.0.1", 0))
closed_port = probe.getsockname()[1]
probe.close()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)


def on_empty_pipe(fd, events):
    log("pipe, writer closed, nothing to read: events=0x%x" % events)
    loop.remove_handler(fd)
    udp.connect(("127.0.0.1", closed_port))
    udp.send(b"ping")
    log("udp socket sent a datagram to a closed port")
    loop.add_handler(udp.fileno(), on_refused_udp, loop.READ)


def on_refused_udp(fd, events):
    log("udp socket refused by ICMP: events=0x%x" % events)
    loop.remove_handler(fd)
    loop.add_handler(full_r, on_full_pipe, loop.READ)


def on_full_pipe(fd, events):
    log("pipe, writer closed, one byte left: events=0x%x" % events)
    loop.remove_handler(fd)
    loop.stop()


loop.add_handler(empty_r, on_empty_pipe, loop.READ)
loop.start()
