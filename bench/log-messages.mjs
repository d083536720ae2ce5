// Small JSON log messages of an exact size, generated with xorshift32 so that the Rust example
// (crates/core/examples/small_messages.rs) makes the same bytes. Used by the small-message benchmarks.

const NAMES = 'alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent'.split(' ')
const EVENTS = 'page_view click add_to_cart checkout login logout search signup'.split(' ')
const PATHS = '/api/v2/orders /api/v2/users /api/v2/cart /api/v2/search /static/app.js /health'.split(' ')
const TAGS = 'mobile desktop eu-west us-east beta returning new ab-test-7'.split(' ')
const STATUS = [200, 200, 200, 200, 201, 204, 304, 400, 404, 500]

/** Message `i`: a JSON array of log events, cut at exactly `size` bytes (xorshift32, as in Rust). */
export function message(i, size) {
  let x = Math.imul(i + 1, 0x9e3779b1) >>> 0
  const below = (n) => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x % n
  }
  const pick = (items) => items[below(items.length)]
  const d = (n, width = 2) => String(n).padStart(width, '0')
  let text = '['
  for (let r = 0; text.length < size; r++) {
    text +=
      `{"id":${i * 16 + r},"ts":"2024-05-${d(1 + below(28))}T${d(below(24))}:${d(below(60))}:${d(below(60))}` +
      `.${d(below(1000), 3)}Z","user":{"id":${below(100_000)},"name":"${pick(NAMES)}"},` +
      `"event":"${pick(EVENTS)}","path":"${pick(PATHS)}/${below(10_000)}","status":${pick(STATUS)},` +
      `"ms":${below(2000)},"tags":["${pick(TAGS)}","${pick(TAGS)}"]},`
  }
  return Buffer.from(text.slice(0, size))
}
