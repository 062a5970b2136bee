//! The async-in-Tornado article's socket read handler: register a READ handler on a connected
//! socket and read when the loop says it is readable.
//!
//! The article's `get_data` connects to a server, sends `hello\n`, and calls
//! `io_loop.add_handler(s, handle_data, io_loop.READ)`; `handle_data`
//! removes the handler and reads. Here we are the server too: a listener on
//! 127.0.0.1 accepts the connection (a READ handler on the listener), then
//! a READ handler reads what the client sent, and reads once more when the
//! client closes, to see the end of the stream.
//!
//! Run it with `cargo run -p ch03-ioloop --example read_handler`;
//! the Tornado version is `tests/tornado/ch03_read_handler.py`.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;

use ch01_yield::Exception;
use ch03_ioloop::IOLoop;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let io_loop = IOLoop::new()?;
    let listener = Rc::new(TcpListener::bind("127.0.0.1:0")?);
    listener.set_nonblocking(true)?;
    let mut client = TcpStream::connect(listener.local_addr()?)?;
    client.write_all(b"hello\n")?;
    println!(
        "client connected to {} and sent hello",
        listener.local_addr()?
    );
    let client = Rc::new(RefCell::new(Some(client)));

    let (lp, server) = (io_loop.clone(), listener.clone());
    let accept = move |_fd, events| -> Result<(), Exception> {
        let (conn, peer) = server.accept()?;
        conn.set_nonblocking(true)?;
        println!("accept: events={events}, a connection from {peer}");
        lp.remove_handler(&server);

        let conn = Rc::new(conn);
        let (lp2, reader, client) = (lp.clone(), conn.clone(), client.clone());
        // The article's handle_data(sock, event).
        let handle_data = move |_fd, events| -> Result<(), Exception> {
            let mut buf = [0u8; 1024];
            let n = (&*reader).read(&mut buf)?;
            if n > 0 {
                print!("handle_data: events={events}, read {n} bytes: ");
                println!("{}", String::from_utf8_lossy(&buf[..n]).trim());
                client.borrow_mut().take(); // the client closes its socket
            } else {
                println!("handle_data: events={events}, read 0 bytes: the peer closed");
                lp2.remove_handler(&reader);
                lp2.stop();
            }
            Ok(())
        };
        lp.add_handler(&conn, handle_data, IOLoop::READ)?;
        Ok(())
    };
    io_loop.add_handler(&listener, accept, IOLoop::READ)?;
    println!("start ioloop");
    io_loop.start()?;
    println!("ioloop stopped");
    io_loop.close(true);
    Ok(())
}
