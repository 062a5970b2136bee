//! The upload article's upload story: a handler renames uploaded files through
//! coroutines that each wait on a `gen.Task`, and caches the answers. As it
//! was, it caches before the renames are done (stale); the fix caches when
//! every renaming coroutine's future is done (fresh).
//!
//! The storage service's HTTP call is a synchronous print, as the article's
//! blocking `requests.post` was; the random part of the new name is fixed.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use ch00_trace::say;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, coroutine_with_callback};

use crate::{ResultCallback, task};

/// `total_answer`: question id → (option id, answer), shared and updated
/// in place as the Python dict is. Sorted, as `json.dumps(sort_keys=True)`
/// prints it.
type TotalAnswer = Rc<RefCell<BTreeMap<String, (String, String)>>>;

/// The Redis cache: key → value.
type Redis = Rc<RefCell<BTreeMap<String, String>>>;

// ANCHOR: rename
/// `@gen.coroutine def rename_upload_file_func(answer, seq, q_cid)`, called
/// by `gen.Task` with its `callback=`: the decorator delivers the result to
/// `callback` one iteration after the body returned.
fn rename_upload_file_func(
    answer: String,
    seq: u32,
    q_cid: String,
    callback: ResultCallback,
) -> Future<String> {
    let deliver = move |new_answer: String| {
        if let Err(exc) = callback.call(new_answer) {
            log::error!(target: "tornado.application", "Exception in callback: {exc}");
        }
    };
    coroutine_with_callback(deliver, move |_co| async move {
        let (orig_key, orig_fname) = answer.split_once('|').unwrap_or((&answer, ""));
        let (name, suffix) = orig_fname.rsplit_once('.').unwrap_or((orig_fname, ""));
        let dest_key = format!("{seq}-{q_cid}-{name}-123456.{suffix}");
        say!("    rename_upload_file_func: POST rename {orig_key} -> {dest_key}");
        Ok(format!("{dest_key}|{orig_fname}"))
    })
}

/// `@gen.coroutine def rename_upload_file(...)`: waits for the renaming
/// through `gen.Task`, then writes the new name into `total_answer`.
fn rename_upload_file(
    answer: String,
    total_answer: TotalAnswer,
    seq: u32,
    qid: String,
    option_id: String,
) -> Future<()> {
    coroutine(move |co| async move {
        say!("  rename_upload_file({qid}): yields gen.Task(rename_upload_file_func)");
        let q_cid = qid.clone();
        let new_answer: String = co
            .yield_(task(move |callback| {
                rename_upload_file_func(answer, seq, q_cid, callback);
                Ok(())
            }))
            .await?;
        say!("  rename_upload_file({qid}): got {new_answer}");
        total_answer
            .borrow_mut()
            .insert(qid, (option_id, new_answer));
        Ok(())
    })
}
// ANCHOR_END: rename

/// The futures of the renaming coroutines, by `"qid option_id"`.
type UploadResults = BTreeMap<String, Future<()>>;

/// `future_rst_map`: each renaming future with its `"qid option_id"`.
type FutureRstMap = Rc<RefCell<Vec<(Future<()>, String)>>>;

/// `upload_file_handel`: starts one renaming coroutine per answer and, if
/// given a `result_processer`, hands it their futures. It does not wait.
fn upload_file_handel(
    total_answer: &TotalAnswer,
    seq: u32,
    result_processer: Option<Box<dyn FnOnce(UploadResults)>>,
) {
    let mut upload_rst = UploadResults::new();
    // PY: `for qid, answer in total_answer.items()`, a snapshot of it.
    let answers: Vec<_> = total_answer.borrow().clone().into_iter().collect();
    for (qid, (option_id, answer)) in answers {
        let key = format!("{qid} {option_id}");
        let rst = rename_upload_file(answer, total_answer.clone(), seq, qid, option_id);
        upload_rst.insert(key, rst);
    }
    if let Some(result_processer) = result_processer {
        result_processer(upload_rst);
    }
}

/// `json.dumps(total_answer, sort_keys=True)`.
fn json(total_answer: &TotalAnswer) -> String {
    let entries: Vec<String> = total_answer
        .borrow()
        .iter()
        .map(|(qid, (option_id, answer))| format!("\"{qid}\": {{\"{option_id}\": \"{answer}\"}}"))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// `redis_client.set_key('assess_total_answer:{rid}', json.dumps(total_answer))`.
fn cache(redis: &Redis, rid: u32, total_answer: &TotalAnswer) {
    let key = format!("assess_total_answer:{rid}");
    let value = json(total_answer);
    say!("  redis SET {key} = {value}");
    redis.borrow_mut().insert(key, value);
}

// ANCHOR: fix
/// The article's fix, `upload_result_processor`: a done-callback on every
/// renaming coroutine's future; the last one to finish caches the answers.
fn upload_result_processor(
    redis: Redis,
    rid: u32,
    total_answer: TotalAnswer,
    rst_map: UploadResults,
) {
    // PY: `future_rst_map = {v: k for k, v in rst_map.items()}`; a future
    // is not a map key in Rust, so the pairs sit in a list.
    let future_rst_map: FutureRstMap = Rc::new(RefCell::new(
        rst_map.into_iter().map(|(k, v)| (v, k)).collect(),
    ));
    let futures: Vec<Future<()>> = future_rst_map
        .borrow()
        .iter()
        .map(|(f, _)| f.clone())
        .collect();
    for future in futures {
        let (redis, total_answer, future_rst_map) =
            (redis.clone(), total_answer.clone(), future_rst_map.clone());
        // PY: `set_redis_when_done(rid, total_answer, future_rst_map, future)`.
        future.add_done_callback(move |future: &Future<()>| {
            let mut pending = future_rst_map.borrow_mut();
            let Some(index) = pending.iter().position(|(f, _)| f.ptr_eq(future)) else {
                return;
            };
            let (_, v) = pending.remove(index);
            say!(
                "  set_redis_when_done: {v} finished, {} to go",
                pending.len()
            );
            if pending.is_empty() {
                cache(&redis, rid, &total_answer);
            }
        });
    }
}
// ANCHOR_END: fix

/// `AssessHandler.post`, the part the article is about.
fn post(redis: Redis, rid: u32, fixed: bool) {
    let total_answer: TotalAnswer = Rc::new(RefCell::new(BTreeMap::from([
        (
            "q1".to_string(),
            ("o1".to_string(), "tmp-a|photo.jpg".to_string()),
        ),
        (
            "q2".to_string(),
            ("o2".to_string(), "tmp-b|clip.mp4".to_string()),
        ),
    ])));
    say!(
        "post: {} uploaded answers to rename",
        total_answer.borrow().len()
    );
    if fixed {
        let (redis, answers) = (redis.clone(), total_answer.clone());
        upload_file_handel(
            &total_answer,
            7,
            Some(Box::new(move |rst_map| {
                upload_result_processor(redis, rid, answers, rst_map)
            })),
        );
    } else {
        upload_file_handel(&total_answer, 7, None);
        cache(&redis, rid, &total_answer);
    }
    say!("post: returns");

    let io_loop = IOLoop::current().unwrap();
    io_loop.clone().call_later(0.5, move || {
        let key = format!("assess_total_answer:{rid}");
        say!(
            "after the renames: redis holds {}",
            redis.borrow().get(&key).cloned().unwrap_or_default()
        );
        say!("                  total_answer is {}", json(&total_answer));
        io_loop.stop();
    });
}

fn run(fixed: bool) {
    let io_loop = IOLoop::with_clock(FakeClock::new(1000.0)).expect("a new IOLoop");
    io_loop.make_current();
    let redis = Redis::default();
    io_loop.add_callback(move || post(redis, 42, fixed));
    io_loop.start().expect("the loop starts");
}

/// The upload article as it was: the answers are cached before they are renamed.
pub(super) fn stale() {
    run(false);
}

/// The upload article fixed: the answers are cached once every rename is done.
pub(super) fn fixed() {
    run(true);
}
