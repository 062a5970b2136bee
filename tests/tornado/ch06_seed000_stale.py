"""ch06_seed000_stale: seed 000's handler as it was, caching the answers
before the renaming coroutines have finished."""
import seed000

seed000.main(fixed=False)
