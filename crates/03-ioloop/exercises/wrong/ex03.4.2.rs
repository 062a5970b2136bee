// wrong: every failure is logged, a broken pipe too, where Tornado ignores EPIPE from a handler
use crate::callbacks::Name;
use ch01_yield::catch_panic;

emit(EventKind::Handler, || {
    format!("handler h{id} fires: {}", mask_name(events))
});
let outcome = catch_panic(|| match func.try_borrow_mut() {
    Ok(mut handler) => handler(fd, events, self),
    Err(_) => Ok(()),
})
.and_then(|result| result);
let Err(exc) = outcome else {
    return;
};
let current = self.inner.handlers.handler(fd).map(|(id, _)| id);
match current {
    Some(id) => self.handle_callback_exception(&Name::new("h", id), &exc),
    None => self.handle_callback_exception(&"None", &exc),
}
