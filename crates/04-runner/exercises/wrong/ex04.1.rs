// wrong: an object of no yieldable type is taken for `yield None`, a moment, instead of a BadYieldError
match yielded {
    Yielded::Future(future) => Ok(future),
    Yielded::Object(_) => Ok(erase(moment())),
    Yielded::YieldPoint(_) => Err(GenError::BadYield {
        repr: "<YieldPoint>".to_string(),
    }),
}
