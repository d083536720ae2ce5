// The benchmark's small JSON messages: 20,000 subtrees of @mdn/browser-compat-data 5.6.0's
// data.json (at any depth) whose JSON is 100 B to 2 KB, picked with a seeded shuffle, so every run and machine
// gets the same bytes. Used by the dictionary benchmark and the dictionary tests.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

const MIN = 100
const MAX = 2048

/** Deterministic PRNG (mulberry32). */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` messages (Buffers of JSON text), the same on every call. */
export function smallMessages(count = 20_000, seed = 1) {
  const data = require('@mdn/browser-compat-data')
  const found = []
  const walk = (node) => {
    for (const value of Object.values(node)) {
      if (value === null || typeof value !== 'object') continue
      const json = JSON.stringify(value)
      if (json.length < MIN) continue
      if (json.length <= MAX) found.push(json)
      walk(value)
    }
  }
  walk(data)
  const next = random(seed)
  for (let i = found.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[found[i], found[j]] = [found[j], found[i]]
  }
  if (found.length < count) throw new Error(`only ${found.length} messages in the corpus; asked for ${count}`)
  return found.slice(0, count).map((json) => Buffer.from(json))
}
