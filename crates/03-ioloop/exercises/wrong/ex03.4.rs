// wrong: the failure is logged under the name the handler had when it was called, even if it removed itself meanwhile
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
if exc
    .downcast_ref::<io::Error>()
    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
{
    return;
}
self.handle_callback_exception(&Name::new("h", id), &exc);
