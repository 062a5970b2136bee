// wrong: the clean-up is written before the `return`, so an exception thrown in (or close) skips it
fn is_value_error(exc: &Exception) -> bool {
    exc.downcast_ref::<crate::PyError>()
        .is_some_and(|e| e.name == "ValueError")
}
Gen::new(|co| async move {
    say!("  body: starts");
    let mut total = 0;
    loop {
        let value = match co.yield_(total).await {
            Ok(value) => value,
            Err(exc) if is_value_error(&exc) => {
                say!("  body: caught {exc}");
                Some(0)
            }
            Err(exc) => return Err(exc),
        };
        match value {
            None => {
                say!("  body: finally runs");
                return Ok(total);
            }
            Some(value) => total += value,
        }
    }
})
