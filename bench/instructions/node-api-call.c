// The Node-API floor of the small-message calls: an addon function of the shape of squish's
// synchronous one-shot calls (an input, the output pool and three numbers in; the output's length
// out) that copies the input into the pool, read through Node-API as little as it can be. What it
// costs per call is what any Node-API binding pays above the C floor, before doing anything of
// its own (see bench/suite/instructions.mjs).
#include <node_api.h>
#include <string.h>

static napi_value call(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  void *input, *pool;
  size_t length, room;
  uint32_t offset;
  double max;
  uint32_t flags;
  napi_value result;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_buffer_info(env, argv[0], &input, &length);
  napi_get_buffer_info(env, argv[1], &pool, &room);
  napi_get_value_uint32(env, argv[2], &offset);
  napi_get_value_double(env, argv[3], &max);
  napi_get_value_uint32(env, argv[4], &flags);
  if (offset <= room && length <= room - offset) memcpy((char *)pool + offset, input, length);
  napi_create_uint32(env, (uint32_t)length, &result);
  return result;
}

// The Node-API floor of an async call's JavaScript thread: a promise made, and resolved with a
// Buffer over a copy of the input in a shared pool, as squish resolves a small output. It is
// resolved before the call returns, so the floor leaves out the wake-up from another thread.
static napi_ref pool_ref, subarray_ref;
static size_t used;

static napi_value settled(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], promise, pool, subarray, bounds[2], view;
  napi_deferred deferred;
  void *input, *data;
  size_t length, size;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_buffer_info(env, argv[0], &input, &length);
  napi_create_promise(env, &deferred, &promise);
  if (pool_ref == NULL || used + length > 8192) {
    if (pool_ref != NULL) napi_delete_reference(env, pool_ref);
    napi_create_buffer(env, 8192, &data, &pool);
    napi_create_reference(env, pool, 1, &pool_ref);
    used = 0;
  }
  napi_get_reference_value(env, pool_ref, &pool);
  napi_get_buffer_info(env, pool, &data, &size);
  if (subarray_ref == NULL) {
    napi_get_named_property(env, pool, "subarray", &subarray);
    napi_create_reference(env, subarray, 1, &subarray_ref);
  }
  napi_get_reference_value(env, subarray_ref, &subarray);
  memcpy((char *)data + used, input, length);
  napi_create_double(env, (double)used, &bounds[0]);
  napi_create_double(env, (double)(used + length), &bounds[1]);
  napi_call_function(env, pool, subarray, 2, bounds, &view);
  used = (used + length + 7) & ~(size_t)7;
  napi_resolve_deferred(env, deferred, view);
  return promise;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "call", NAPI_AUTO_LENGTH, call, NULL, &fn);
  napi_set_named_property(env, exports, "call", fn);
  napi_create_function(env, "settled", NAPI_AUTO_LENGTH, settled, NULL, &fn);
  napi_set_named_property(env, exports, "settled", fn);
  return exports;
}
