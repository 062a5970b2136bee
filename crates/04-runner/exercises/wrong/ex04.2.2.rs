// wrong: the moment is not special: it is a done future like any other, so the generator goes straight on
let _ = future;
false
