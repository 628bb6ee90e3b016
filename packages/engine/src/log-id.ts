import { randomBytes } from 'node:crypto'

/** A parsed log id: `<ms>-<seq>`, ordered by ms then seq, like a Redis Stream id. */
export interface LogId {
  ms: number
  seq: number
}

const ID = /^(\d{1,16})(?:-(\d{1,16}))?$/

/** Parses `<ms>-<seq>` (or `<ms>`, meaning seq 0); throws RangeError on anything else. */
export function parseLogId (id: string): LogId {
  const match = ID.exec(id)
  const ms = Number(match?.[1])
  const seq = Number(match?.[2] ?? 0)
  if (match === null || !Number.isSafeInteger(ms) || !Number.isSafeInteger(seq)) {
    throw new RangeError(`invalid log id: ${JSON.stringify(id)}`)
  }
  return { ms, seq }
}

export function formatLogId ({ ms, seq }: LogId): string {
  return `${ms}-${seq}`
}

/**
 * The id after `last` at the clock reading `ms`, as XADD '*' makes it: the same or an earlier
 * reading keeps the last ms with the next seq, so ids keep increasing when the clock goes back.
 */
export function nextLogId (last: LogId, ms: number): LogId {
  const at = Math.max(ms, last.ms)
  return { ms: at, seq: at === last.ms ? last.seq + 1 : 0 }
}

/** A new random epoch: a log's identity, replaced whenever the log is lost. */
export function newEpoch (): string {
  return randomBytes(9).toString('base64url')
}

const processEpochs = randomBytes(9).toString('base64url')
let epochs = 0

/**
 * A fresh epoch candidate with no system call: a random prefix per process and a counter, unique
 * like newEpoch's. Every append offers one (used only when the log has no epoch yet).
 */
export function nextEpoch (): string {
  return `${processEpochs}${(epochs++).toString(36)}`
}
