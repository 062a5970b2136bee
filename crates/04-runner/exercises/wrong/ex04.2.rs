// wrong: every done Future<()> is taken for the moment, where Tornado compares identity (`is moment`)
use crate::any_future::Erased;

future.done()
    && (future.as_any().is::<Future<()>>() || future.as_any().is::<Erased<()>>())
