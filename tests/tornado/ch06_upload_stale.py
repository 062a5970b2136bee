"""ch06_upload_stale: the upload article's handler as it was, caching the answers
before the renaming coroutines have finished."""
import upload

upload.main(fixed=False)
