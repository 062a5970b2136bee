// wrong: the callbacks are numbered from 0 in the log, where Tornado's list is counted from 1
let count = callbacks.len();
let batch = report::CallbackBatch::begin();
for (index, callback) in callbacks.into_iter().enumerate() {
    batch.next();
    self.run_guarded(format_args!("{index} of {count}"), || {
        callback(self as &dyn Any)
    });
}
