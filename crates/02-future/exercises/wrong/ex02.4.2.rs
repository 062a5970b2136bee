// wrong: the copy goes through result() alone, so a's exception never reaches b
let b = b.clone();
a.add_done_callback(move |a: &Future<T>| {
    if b.done() {
        return Ok(());
    }
    b.set_result(a.result()?)?;
    Ok::<(), ch01_yield::Exception>(())
});
