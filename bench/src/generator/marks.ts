/**
 * The bench's message text: `~B<step>:<µs>~`, the step it belongs to and when it was sent, in µs
 * since the run's epoch (the host's monotonic clock, the same in every process). Receivers find marks in the raw
 * bytes of a WebSocket message without parsing JSON, so one scan serves a single frame, a
 * coalesced array of frames and a Socket.IO packet alike, at the same cost for both systems.
 */
const TILDE = 0x7e
const COLON = 0x3a

export interface Clock { nowUs (): number }

/** Microseconds of the system-wide monotonic clock (the same in every process on the host). */
export function monotonicUs (): number {
  const [seconds, nanos] = process.hrtime()
  return seconds * 1e6 + Math.floor(nanos / 1000)
}

/**
 * Microseconds since `epochUs` (a monotonicUs() reading of the launcher). CLOCK_MONOTONIC is one
 * clock for all processes, unlike performance.timeOrigin, which each process estimates at its
 * start (measured apart by tens of ms here).
 */
export function createClock (epochUs: number): Clock {
  return { nowUs: () => monotonicUs() - epochUs }
}

export const markText = (step: number, us: number): string => `~B${step}:${us}~`

const B = 0x42

/**
 * The next `~B` in `data` from `from`, or -1. A search for the byte (memchr) and a look at the
 * next: a fraction of what a search for the two-character string costs (its conversion per call).
 */
function nextMark (data: Buffer, from: number): number {
  let at = data.indexOf(TILDE, from)
  while (at !== -1 && data[at + 1] !== B) at = data.indexOf(TILDE, at + 1)
  return at
}

/** Calls `found(step, sentUs)` for every mark in `data`; returns how many it found. */
export function scanMarks (data: Buffer, found: (step: number, sentUs: number) => void): number {
  let count = 0
  let at = nextMark(data, 0)
  while (at !== -1) {
    let i = at + 2
    let step = 0
    let c = data[i]
    while (c !== undefined && c >= 0x30 && c <= 0x39) { step = step * 10 + c - 0x30; c = data[++i] }
    if (c === COLON) {
      let us = 0
      c = data[++i]
      while (c !== undefined && c >= 0x30 && c <= 0x39) { us = us * 10 + c - 0x30; c = data[++i] }
      if (c === TILDE) { found(step, us); count++ }
    }
    at = nextMark(data, i)
  }
  return count
}

/** The same scan over a string (for the real client libraries, which hand over decoded text). */
export function scanText (text: string, found: (step: number, sentUs: number) => void): number {
  return scanMarks(Buffer.from(text, 'latin1'), found)
}
