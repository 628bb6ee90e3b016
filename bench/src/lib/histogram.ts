/**
 * Latency histogram with 1 % relative precision from 1 µs to ~100 s in ~1,850 buckets, small
 * enough to pass between processes and merge by adding.
 */
const GROWTH = Math.log(1.01)
const SIZE = Math.ceil(Math.log(1e8) / GROWTH) + 1

export interface Histogram {
  counts: number[]
  total: number
  max: number
}

export const emptyHistogram = (): Histogram => ({ counts: new Array<number>(SIZE).fill(0), total: 0, max: 0 })

/** Records a latency in milliseconds. */
export function record (h: Histogram, ms: number): void {
  const us = Math.max(1, ms * 1000)
  const index = Math.min(SIZE - 1, Math.floor(Math.log(us) / GROWTH))
  h.counts[index]!++
  h.total++
  if (ms > h.max) h.max = ms
}

export function merge (into: Histogram, other: Histogram): Histogram {
  for (let i = 0; i < SIZE; i++) into.counts[i]! += other.counts[i] ?? 0
  into.total += other.total
  into.max = Math.max(into.max, other.max)
  return into
}

/** The latency (ms) at quantile `q` (0..1): the upper edge of its bucket; NaN when empty. */
export function quantile (h: Histogram, q: number): number {
  if (h.total === 0) return NaN
  const rank = Math.ceil(q * h.total)
  let seen = 0
  for (let i = 0; i < SIZE; i++) {
    seen += h.counts[i]!
    if (seen >= rank) return Math.min(h.max, Math.exp((i + 1) * GROWTH) / 1000)
  }
  return h.max
}

/** A compact form for IPC: only the non-empty buckets. */
export const pack = (h: Histogram): { buckets: Array<[number, number]>, total: number, max: number } =>
  ({ buckets: h.counts.flatMap((c, i) => c > 0 ? [[i, c] as [number, number]] : []), total: h.total, max: h.max })

export function unpack (packed: ReturnType<typeof pack>): Histogram {
  const h = emptyHistogram()
  for (const [i, c] of packed.buckets) h.counts[i] = c
  h.total = packed.total
  h.max = packed.max
  return h
}
