//! The tour (placeholder until the chapters land).
fn main() {}
