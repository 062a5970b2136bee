"""ch06_seed000_fixed: seed 000's fix, caching once every renaming
coroutine's future is done."""
import seed000

seed000.main(fixed=True)
