import type { ChatMessage } from '@webchat/shared'
import { dayLabel, sameDay } from './format.js'

/** Messages of one author this close together share one header. */
export const GROUP_MS = 5 * 60_000

export type Row =
  | { kind: 'day', key: string, label: string }
  | { kind: 'message', key: string, message: ChatMessage, continued: boolean }

/** Whether `next` continues the group of `prev` (same author, same day, within GROUP_MS). */
export function continues (prev: ChatMessage | undefined, next: ChatMessage): boolean {
  return prev !== undefined && prev.user.id === next.user.id && next.ts - prev.ts < GROUP_MS &&
    next.ts >= prev.ts && sameDay(prev.ts, next.ts)
}

/** The rows that show `next` after `prev`: a day separator when the day changes, then the message. */
export function rowsAfter (prev: ChatMessage | undefined, next: ChatMessage, now: number): Row[] {
  const rows: Row[] = []
  if (prev === undefined || !sameDay(prev.ts, next.ts)) rows.push({ kind: 'day', key: `day-${next.id}`, label: dayLabel(next.ts, now) })
  rows.push({ kind: 'message', key: next.id, message: next, continued: continues(prev, next) })
  return rows
}

/** Rows for a whole list of messages, oldest first. */
export function buildRows (messages: readonly ChatMessage[], now: number): Row[] {
  const rows: Row[] = []
  let prev: ChatMessage | undefined
  for (const m of messages) {
    rows.push(...rowsAfter(prev, m, now))
    prev = m
  }
  return rows
}
