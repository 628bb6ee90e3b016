import { formatLogId, parseLogId } from './log-id.js'
import type { MapChange, TakeOptions } from './types.js'

/** Argument checks shared by both engines, so that both reject the same bad input. */

/** A time to live in whole milliseconds (at least 1). */
export function ttlMs (value: number, what = 'ttlMs'): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${what} must be a positive number, got ${value}`)
  return Math.ceil(value)
}

/** A claim's member: any non-empty string (the empty one marks a window's start on Redis). */
export function claimMember (value: string): string {
  if (value === '') throw new RangeError('a claim\'s member must not be empty')
  return value
}

export function positiveInt (value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${value}`)
  return value
}

/** A read limit: 0 or more entries. */
export function limit (value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`limit must be a non-negative integer, got ${value}`)
  return value
}

export function integer (value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`)
  return value
}

/** A map change in canonical form: every field named once, `maxFields` a positive integer or absent. */
export function mapChange (change: MapChange): Required<Omit<MapChange, 'maxFields' | 'count'>> & Pick<MapChange, 'maxFields' | 'count'> {
  const set = change.set ?? {}
  const remove = change.delete ?? []
  const expect = change.expect ?? {}
  const named = new Set<string>()
  for (const field of [...Object.keys(set), ...remove]) {
    if (named.has(field)) throw new RangeError(`a map change names the field ${JSON.stringify(field)} twice`)
    named.add(field)
  }
  for (const [field, value] of Object.entries(set)) {
    if (typeof value !== 'string') throw new RangeError(`map field ${JSON.stringify(field)} must be set to a string`)
  }
  const maxFields = change.maxFields === undefined ? undefined : positiveInt(change.maxFields, 'maxFields')
  const count = change.count
  if (count !== undefined) {
    if (named.has(count.field)) throw new RangeError(`the count field ${JSON.stringify(count.field)} is also set or deleted`)
    integer(count.by, 'count.by')
    if (count.max !== undefined) integer(count.max, 'count.max')
  }
  return { set, delete: remove, expect, maxFields, count }
}

/** `<ms>-<seq>` in its canonical form (`5` is `5-0`, no leading zeros); RangeError on anything else. */
export function entryId (id: string): string {
  return formatLogId(parseLogId(id))
}

/** The most entries one `Queues.take` hands out. */
export const MAX_TAKE = 1000

/** A queue's consumer: any non-empty string. */
export function consumerName (value: string): string {
  if (typeof value !== 'string' || value === '') throw new RangeError('a queue consumer\'s name must be a non-empty string')
  return value
}

/** `TakeOptions` checked: 1 to MAX_TAKE entries, at least one delay, each a whole number of ms, 0 or more. */
export function takeOptions ({ count, retryAfterMs }: TakeOptions): TakeOptions {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_TAKE) throw new RangeError(`count must be an integer from 1 to ${MAX_TAKE}, got ${count}`)
  if (!Array.isArray(retryAfterMs) || retryAfterMs.length === 0) throw new RangeError('retryAfterMs must hold at least one delay')
  for (const ms of retryAfterMs) {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`retryAfterMs must hold integers of 0 or more, got ${ms}`)
  }
  return { count, retryAfterMs }
}
