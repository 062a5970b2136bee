// wrong: a cancelled head is popped, but its cancellation is still counted
let mut heap = self.heap.borrow_mut();
let mut due = Vec::new();
while let Some(head) = heap.peek() {
    if head.timeout.is_cancelled() {
        heap.pop();
    } else if head.deadline <= now {
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
