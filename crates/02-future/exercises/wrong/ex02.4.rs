// wrong: no `if b.done(): return`, so a b that was done first is set a second time
let b = b.clone();
a.add_done_callback(move |a: &Future<T>| {
    match a.exception()? {
        Some(exc) => b.set_exception(exc)?,
        None => b.set_result(a.result()?)?,
    }
    Ok::<(), ch01_yield::Exception>(())
});
