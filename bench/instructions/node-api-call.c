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

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "call", NAPI_AUTO_LENGTH, call, NULL, &fn);
  napi_set_named_property(env, exports, "call", fn);
  return exports;
}
