//! The async-in-Tornado and fetch articles: coroutines waiting on real sockets.
//!
//! Both talk to a server on 127.0.0.1:0 served by the same loop, so every
//! step, on either side of the connection, shows in one recording.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::rc::Rc;

use ch00_trace::say;
use ch01_yield::Exception;
use ch02_future::Future;
use ch03_ioloop::IOLoop;

use crate::coroutine;

/// A listener on 127.0.0.1:0, served by `on_request(request) -> answer` on
/// the current loop: accept, read once, answer, then close or not.
fn serve(
    on_request: impl Fn(&str) -> Vec<u8> + 'static,
    close_after: bool,
) -> Result<Rc<TcpListener>, Exception> {
    let io_loop = IOLoop::current().unwrap();
    let listener = Rc::new(TcpListener::bind("127.0.0.1:0")?);
    listener.set_nonblocking(true)?;
    let on_request = Rc::new(on_request);
    let server = listener.clone();
    io_loop.add_handler(
        &*listener,
        move |_fd, _events| -> Result<(), Exception> {
            let (conn, _) = server.accept()?;
            conn.set_nonblocking(true)?;
            say!("server: accepted a connection");
            let io_loop = IOLoop::current().unwrap();
            io_loop.remove_handler(&*server);
            // The handler holds the connection; `&TcpStream` reads and writes.
            let conn = Rc::new(conn);
            let (stream, on_request) = (conn.clone(), on_request.clone());
            io_loop.add_handler(
                &*conn,
                move |_fd, _events| -> Result<(), Exception> {
                    let mut buf = [0u8; 4096];
                    let n = (&*stream).read(&mut buf)?;
                    let answer = on_request(&String::from_utf8_lossy(&buf[..n]));
                    IOLoop::current().unwrap().remove_handler(&*stream);
                    (&*stream).write_all(&answer)?;
                    if close_after {
                        // PY: conn.close(). The descriptor itself goes when
                        // the loop drops this handler; the peer sees EOF now.
                        stream.shutdown(Shutdown::Both)?;
                        say!("server: answered and closed");
                    }
                    Ok(())
                },
                IOLoop::READ,
            )?;
            Ok(())
        },
        IOLoop::READ,
    )?;
    Ok(listener)
}

// ANCHOR: get_data
/// The async-in-Tornado article's `get_data`: an asynchronous function returns a future, which
/// a READ handler resolves with what the server answered.
fn get_data(server: &TcpListener) -> Result<Future<String>, Exception> {
    let future = Future::new();
    let s = Rc::new(TcpStream::connect(server.local_addr()?)?);
    (&*s).write_all(b"hello\n")?;
    say!("get_data: connected and sent 'hello'");
    let io_loop = IOLoop::current().unwrap();
    let (sock, resolve) = (s.clone(), future.clone());
    io_loop.add_handler(
        &*s,
        move |_fd, _events| -> Result<(), Exception> {
            IOLoop::current().unwrap().remove_handler(&*sock);
            let mut buf = [0u8; 1024];
            let n = (&*sock).read(&mut buf)?;
            let data = String::from_utf8_lossy(&buf[..n]).trim().to_string();
            say!("handle_data: read '{data}'");
            sock.shutdown(Shutdown::Both)?; // s.close()
            resolve.set_result(data)?;
            Ok(())
        },
        IOLoop::READ,
    )?;
    Ok(future)
}

/// The async-in-Tornado article's `MainHandler.get`, as a plain coroutine.
fn get(server: Rc<TcpListener>) -> Future<String> {
    coroutine(move |co| async move {
        say!("get: waiting for get_data()");
        let data = co.yield_(get_data(&server)?).await?;
        say!("get: write('{data}') and finish()");
        Ok(data)
    })
}
// ANCHOR_END: get_data

pub(super) fn socket_fills_future() {
    let io_loop = super::new_loop();
    let server = serve(
        |request| {
            say!("server: got '{}', answers", request.trim());
            format!("data for {request}").into_bytes()
        },
        false,
    )
    .expect("a listener on 127.0.0.1");
    match io_loop.run_sync(move || get(server), None) {
        Ok(data) => say!("run_sync(get) returned '{data}'"),
        Err(exc) => say!("run_sync(get) raised {exc}"),
    }
    io_loop.close(true);
}

// ANCHOR: fetch
/// A small HTTP/1.0 GET whose future resolves to the response body: the
/// shape of `AsyncHTTPClient().fetch(url)`.
fn fetch(server: &TcpListener, path: &str) -> Result<Future<String>, Exception> {
    let future = Future::new();
    let s = Rc::new(TcpStream::connect(server.local_addr()?)?);
    s.set_nonblocking(true)?;
    (&*s).write_all(format!("GET {path} HTTP/1.0\r\n\r\n").as_bytes())?;
    say!("fetch: sent GET {path}");
    let (sock, resolve) = (s.clone(), future.clone());
    let mut response = Vec::new();
    IOLoop::current().unwrap().add_handler(
        &*s,
        move |_fd, _events| -> Result<(), Exception> {
            let mut chunk = [0u8; 4096];
            loop {
                match (&*sock).read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => response.extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                    Err(e) => return Err(e.into()),
                }
            }
            IOLoop::current().unwrap().remove_handler(&*sock);
            sock.shutdown(Shutdown::Both)?; // s.close()
            say!("fetch: response complete, {} bytes", response.len());
            let text = String::from_utf8_lossy(&response);
            let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
            resolve.set_result(body.to_string())?;
            Ok(())
        },
        IOLoop::READ,
    )?;
    Ok(future)
}

/// The fetch article's `fetch_coroutine(url)`.
fn fetch_coroutine(server: Rc<TcpListener>, path: &'static str) -> Future<String> {
    coroutine(move |co| async move {
        say!("fetch_coroutine('{path}')");
        let body = co.yield_(fetch(&server, path)?).await?;
        Ok(body) // PY: raise gen.Return(response.body)
    })
}
// ANCHOR_END: fetch

pub(super) fn http_fetch() {
    let io_loop = super::new_loop();
    const BODY: &str = "Hello, world";
    let server = serve(
        |request| {
            say!("server: {}", request.lines().next().unwrap_or(""));
            format!(
                "HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n{BODY}",
                BODY.len()
            )
            .into_bytes()
        },
        true,
    )
    .expect("a listener on 127.0.0.1");
    match io_loop.run_sync(move || fetch_coroutine(server, "/hello"), None) {
        Ok(body) => say!("fetch_coroutine returned '{body}'"),
        Err(exc) => say!("fetch_coroutine raised {exc}"),
    }
    io_loop.close(true);
}
