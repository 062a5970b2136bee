"""The upload article's upload story, shared by its two twins (ch06_upload_stale and
ch06_upload_fixed): the handler of an answer sheet renames the uploaded
files through coroutines that each wait on a gen.Task, and caches the answers.

The storage service's HTTP call is a synchronous print here (the article used a
blocking requests.post), and the random part of the new name is fixed.
"""
import functools
import json

from tornado import gen

from twin import *

loop = new_loop()
redis = {}


@gen.coroutine
def rename_upload_file_func(answer, seq, q_cid):
    orig_key, orig_fname = answer.split("|")
    name, suffix = orig_fname.rsplit(".", 1)
    dest_key = "%s-%s-%s-123456.%s" % (seq, q_cid, name, suffix)
    log("    rename_upload_file_func: POST rename %s -> %s" % (orig_key, dest_key))
    raise gen.Return("%s|%s" % (dest_key, orig_fname))


@gen.coroutine
def rename_upload_file(answer, total_answer, seq, qid, option_id):
    log("  rename_upload_file(%s): yields gen.Task(rename_upload_file_func)" % qid)
    new_answer = yield gen.Task(rename_upload_file_func, answer, seq, qid)
    log("  rename_upload_file(%s): got %s" % (qid, new_answer))
    total_answer[qid] = {option_id: new_answer}


def upload_file_handel(total_answer, seq, result_processer=None):
    upload_rst = {}
    for qid, answer in list(total_answer.items()):
        option_id, value = list(answer.items())[0]
        rst = rename_upload_file(value, total_answer, seq, qid, option_id)
        upload_rst["%s %s" % (qid, option_id)] = rst
    if callable(result_processer):
        result_processer(upload_rst)


def cache(rid, total_answer):
    key = "assess_total_answer:%s" % rid
    redis[key] = json.dumps(total_answer, sort_keys=True)
    log("  redis SET %s = %s" % (key, redis[key]))


def upload_result_processor(rid, total_answer, rst_map):
    """The fix: cache once every renaming coroutine's future is done."""
    def set_redis_when_done(rid, total_answer, future_rst_map, future):
        v = future_rst_map.pop(future)
        log("  set_redis_when_done: %s finished, %d to go" % (v, len(future_rst_map)))
        if not future_rst_map:
            cache(rid, total_answer)

    future_rst_map = {v: k for k, v in rst_map.items()}
    call_back = functools.partial(set_redis_when_done, rid, total_answer, future_rst_map)
    for future in list(future_rst_map.keys()):
        future.add_done_callback(call_back)


def post(rid, fixed):
    """AssessHandler.post, the part the article is about."""
    total_answer = {
        "q1": {"o1": "tmp-a|photo.jpg"},
        "q2": {"o2": "tmp-b|clip.mp4"},
    }
    log("post: %d uploaded answers to rename" % len(total_answer))
    if fixed:
        upload_file_handel(total_answer, 7,
                           functools.partial(upload_result_processor, rid, total_answer))
    else:
        upload_file_handel(total_answer, 7)
        cache(rid, total_answer)
    log("post: returns")

    def later():
        log("after the renames: redis holds %s" % redis["assess_total_answer:%s" % rid])
        log("                  total_answer is %s" % json.dumps(total_answer, sort_keys=True))
        loop.stop()
    loop.call_later(0.5, later)


def main(fixed):
    loop.add_callback(post, 42, fixed)
    loop.start()
