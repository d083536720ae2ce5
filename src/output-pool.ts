import * as workerThreads from 'node:worker_threads'

/** Node's own Buffer pool size. */
export const POOL_SIZE = 8 * 1024

/**
 * Memory for small outputs, which many Buffers share. It is untransferable, as Node's own Buffer
 * pool is: posting one of those Buffers with its memory in a transfer list copies it rather than
 * emptying every other Buffer in the pool. (Runtimes without `markAsUntransferable` transfer it.)
 */
export function newPool(): Buffer {
  const pool = Buffer.allocUnsafeSlow(POOL_SIZE)
  workerThreads.markAsUntransferable?.(pool.buffer)
  return pool
}
