import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The p-th percentile (0..100) by nearest rank; NaN for no values. */
export function percentile (values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]!
}

export const MiB = 1024 * 1024

/** Where each run appends its figures (one JSON line per scenario), git-ignored. */
export const FIGURES_FILE = fileURLToPath(new URL('../results/figures.jsonl', import.meta.url))

interface Commenter { comment (...args: unknown[]): void }

/**
 * Prints the figures of a scenario as one `figures <scenario> k=v …` line (in the TAP output) and
 * appends them, with the time, to results/figures.jsonl: docs/reliability.md quotes them.
 */
export function report (t: Commenter, scenario: string, figures: Record<string, number | string | boolean>): void {
  const line = Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : String(v)}`).join(' ')
  t.comment(`figures ${scenario} ${line}`)
  try {
    mkdirSync(join(FIGURES_FILE, '..'), { recursive: true })
    appendFileSync(FIGURES_FILE, JSON.stringify({ scenario, at: new Date().toISOString(), ...figures }) + '\n')
  } catch { /* figures are printed anyway */ }
}
