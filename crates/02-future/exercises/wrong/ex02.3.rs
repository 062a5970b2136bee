// wrong: no CallbackBatch, so what a callback captured is reported as soon as that callback returns
let count = callbacks.len();
for (index, callback) in callbacks.into_iter().enumerate() {
    let number = index + 1;
    self.run_guarded(format_args!("{number} of {count}"), || {
        callback(self as &dyn Any)
    });
}
