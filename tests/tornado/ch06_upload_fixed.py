"""ch06_upload_fixed: the upload article's fix, caching once every renaming
coroutine's future is done."""
import upload

upload.main(fixed=True)
