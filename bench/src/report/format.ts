import type { BenchRun, RunRecord, ScenarioResult } from '../scenarios/results.js'

const NAMES: Record<string, string> = {
  webchat: 'webchat',
  socketio: 'Socket.IO 4.8',
  'socketio-auth': 'Socket.IO 4.8 + auth',
  'socketio-streams': 'Socket.IO 4.8 + streams',
  'webchat-base': 'webchat (before)'
}
/** A system's name in the report. */
export const name = (s: string): string => NAMES[s] ?? s

export const n0 = (x: number): string => Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–'
export const n1 = (x: number): string => Number.isFinite(x) ? x.toFixed(1) : '–'
export const n2 = (x: number): string => Number.isFinite(x) ? x.toFixed(2) : '–'
export const pct = (x: number): string => Number.isFinite(x) ? `${(x * 100).toFixed(x < 0.01 ? 3 : 1)} %` : '–'
export const ms = (x: number): string => !Number.isFinite(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')

export const median = (xs: number[]): number => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b)
  if (v.length === 0) return NaN
  const mid = Math.floor(v.length / 2)
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}

/** Every pass's result of `kind` on `system`. */
export function results<K extends ScenarioResult['kind']> (run: BenchRun, kind: K, system: string): Array<{ pass: number, result: Extract<ScenarioResult, { kind: K }> }> {
  return run.records
    .filter((r): r is RunRecord & { result: ScenarioResult } => r.scenario === kind && r.system === system && r.result !== undefined)
    .map((r) => ({ pass: r.pass, result: r.result as Extract<ScenarioResult, { kind: K }> }))
}

export const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `|${head.map((h, i) => i === 0 ? ':--' : '--:').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
