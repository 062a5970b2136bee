// wrong: a timeout is due only once its deadline has passed (`<`), not when it equals now
let mut heap = self.heap.borrow_mut();
let mut due = Vec::new();
while let Some(head) = heap.peek() {
    if head.timeout.is_cancelled() {
        heap.pop();
        self.cancellations
            .set(self.cancellations.get().saturating_sub(1));
    } else if head.deadline < now {
        due.extend(heap.pop().map(|e| e.timeout));
    } else {
        break;
    }
}
if self.cancellations.get() > 512 && self.cancellations.get() > (heap.len() >> 1) {
    self.cancellations.set(0);
    heap.retain(|e| !e.timeout.is_cancelled());
}
due
