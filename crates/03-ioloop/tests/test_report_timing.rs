//! When the loop lets go of a failed future nobody looked at, and so when it
//! is reported (the `ch03_report_after_batch` twin shows Tornado 4.5.3's
//! order): after the batch of due timeouts, when a kept handle goes, at once
//! on `remove_timeout`, and as soon as a handler returns it.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{Recording, record, say};
use ch02_future::{Future, PyError};
use ch03_ioloop::{FakeClock, IOLoop, TimeoutHandle};

fn failed(why: &str) -> Future<()> {
    Future::failed(PyError::new("ValueError", why))
}

/// The program's prints and log lines, in order, without iteration numbers
/// (log lines shortened to what failed, or to their start).
fn lines(recording: &Recording) -> Vec<String> {
    recording
        .lines_like(&["[it=0] LOG any"])
        .into_iter()
        .map(|line| {
            let text = line.split_once("] ").map_or(line.as_str(), |(_, t)| t);
            match text.split_once("was never retrieved: ValueError: ") {
                Some((_, why)) => format!("reported: {why}"),
                None if text.starts_with("LOG ") => "LOG other".to_string(),
                None => text.to_string(),
            }
        })
        .collect()
}

fn run(program: impl FnOnce(&IOLoop)) -> Recording {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        program(&io_loop);
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    recording
}

/// A failed future captured by the first of two due timeouts is reported
/// after the second ran (`due_timeouts = None` ends the batch).
#[test]
fn a_due_timeouts_capture_is_reported_after_the_batch() {
    let recording = run(|io_loop| {
        let held = failed("captured");
        io_loop.add_timeout(-1.0, move || {
            drop(held);
            say!("timeout 1");
        });
        let lp = io_loop.clone();
        io_loop.add_timeout(-1.0, move || {
            say!("timeout 2");
            lp.stop();
        });
    });
    assert_eq!(
        lines(&recording),
        ["timeout 1", "timeout 2", "reported: captured"]
    );
}

/// A handle kept after its timeout ran keeps what the callback captured:
/// reported when the handle goes (4.5.3 never clears `timeout.callback`).
#[test]
fn a_kept_handle_keeps_the_capture_until_it_goes() {
    let kept: Rc<RefCell<Option<TimeoutHandle>>> = Rc::default();
    let k = kept.clone();
    let recording = run(move |io_loop| {
        let held = failed("kept");
        let handle = io_loop.add_timeout(-1.0, move || {
            drop(held);
            say!("timeout ran");
        });
        *k.borrow_mut() = Some(handle);
        let (lp, k) = (io_loop.clone(), k.clone());
        io_loop.add_timeout(1.0, move || {
            say!("letting go of the handle");
            k.borrow_mut().take();
            say!("let go");
            lp.stop();
        });
    });
    assert_eq!(
        lines(&recording),
        [
            "timeout ran",
            "letting go of the handle",
            "reported: kept",
            "let go"
        ]
    );
}

/// `remove_timeout` on a timeout that already ran lets go of its callback
/// at once, even while another timeout's batch runs.
#[test]
fn remove_timeout_after_it_ran_reports_at_once() {
    let recording = run(|io_loop| {
        let held = failed("removed");
        let handle = io_loop.add_timeout(-1.0, move || drop(held));
        let lp = io_loop.clone();
        io_loop.add_timeout(1.0, move || {
            say!("removing");
            lp.remove_timeout(&handle);
            say!("removed");
            lp.stop();
        });
    });
    assert_eq!(
        lines(&recording),
        ["removing", "reported: removed", "removed"]
    );
}

/// A handler's returned future is ignored, as 4.5.3 ignores a handler's
/// return value: reported as never retrieved when the handler returns, in
/// its iteration, and never logged as "Exception in callback" (which a
/// callback's returned future is, one iteration later).
#[test]
fn a_handlers_returned_future_is_reported_when_the_handler_returns() {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    rustix::io::write(&writer, b"x").unwrap();
    let reader = Rc::new(reader);
    let r = reader.clone();
    let recording = run(move |io_loop| {
        let (lp, handled) = (io_loop.clone(), r.clone());
        io_loop
            .add_handler(
                &*r,
                move |_, _| {
                    lp.remove_handler(&*handled);
                    let stopper = lp.clone();
                    lp.add_callback(move || {
                        say!("next callback");
                        stopper.stop();
                    });
                    say!("handler returns");
                    failed("returned")
                },
                IOLoop::READ,
            )
            .unwrap();
    });
    assert_eq!(
        lines(&recording),
        ["handler returns", "reported: returned", "next callback"]
    );
}
