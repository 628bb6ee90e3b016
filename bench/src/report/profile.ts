import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

// `node bench/dist/report/profile.js <file.cpuprofile> [top] [--window fromMs,toMs | --at fromUs,toUs]`: where a V8 CPU profile's time goes,
// by function (self time) and by package or file (self time), as text tables.

interface Node {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  hitCount?: number
  children?: number[]
}
interface Profile { nodes: Node[], startTime: number, endTime: number, samples?: number[], timeDeltas?: number[] }

export interface ProfileSummary {
  totalMs: number
  /** Time with the function anywhere on the stack (each sample counted once per function). */
  inclusive: Array<{ name: string, where: string, ms: number, share: number }>
  byFunction: Array<{ name: string, where: string, ms: number, share: number }>
  byArea: Array<{ area: string, ms: number, share: number }>
}

/** The package (or workspace file) a script URL belongs to. */
function areaOf (url: string): string {
  if (url === '') return '(native/V8)'
  if (url.startsWith('node:')) return url.split('/')[0]!
  const modules = url.lastIndexOf('node_modules/')
  if (modules !== -1) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/')
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  const match = /\/(services|packages)\/([^/]+)\/dist\/(.+)$/.exec(url)
  return match === null ? basename(url) : `${match[1]}/${match[2]}: ${match[3]}`
}

/** `window`: only samples between these ms after the profile started. */
export function summarize (profile: Profile, top = 25, window?: [number, number]): ProfileSummary {
  const self = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let at = 0
  for (let i = 0; i < samples.length; i++) {
    at += (deltas[i] ?? 0) / 1000
    if (window !== undefined && (at < window[0] || at > window[1])) continue
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i] ?? 0) / 1000)
  }
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const nodeById = new Map(profile.nodes.map((n) => [n.id, n]))
  const keyOf = (node: Node): { key: string, name: string, where: string } => {
    const { functionName, url, lineNumber } = node.callFrame
    const name = functionName === '' ? '(anonymous)' : functionName
    const where = url === '' ? '' : `${areaOf(url)}:${lineNumber + 1}`
    return { key: `${name} ${where}`, name, where }
  }
  const inclusive = new Map<string, { name: string, where: string, ms: number }>()
  for (const [id, ms] of self) {
    if (nodeById.get(id)?.callFrame.functionName === '(idle)') continue
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(nodeById.get(at)!)
      if (seen.has(k.key)) continue
      seen.add(k.key)
      const entry = inclusive.get(k.key) ?? { name: k.name, where: k.where, ms: 0 }
      entry.ms += ms
      inclusive.set(k.key, entry)
    }
  }
  const byFunction = new Map<string, { name: string, where: string, ms: number }>()
  const byArea = new Map<string, number>()
  let totalMs = 0
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') continue
    totalMs += ms
    const name = functionName === '' ? '(anonymous)' : functionName
    const where = url === '' ? '' : `${areaOf(url)}:${lineNumber + 1}`
    const key = `${name} ${where}`
    const entry = byFunction.get(key) ?? { name, where, ms: 0 }
    entry.ms += ms
    byFunction.set(key, entry)
    const area = ['(garbage collector)', '(program)'].includes(functionName) ? functionName : areaOf(url)
    byArea.set(area, (byArea.get(area) ?? 0) + ms)
  }
  return {
    totalMs,
    inclusive: [...inclusive.values()].filter((f) => f.name !== '(root)').sort((a, b) => b.ms - a.ms).slice(0, top).map((f) => ({ ...f, share: f.ms / totalMs })),
    byFunction: [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((f) => ({ ...f, share: f.ms / totalMs })),
    byArea: [...byArea.entries()].map(([area, ms]) => ({ area, ms, share: ms / totalMs })).sort((a, b) => b.ms - a.ms).slice(0, top)
  }
}

/** A window as a command line gives it: `--window fromMs,toMs` or `--at fromUs,toUs`. */
export type WindowArg = { kind: 'window' | 'at', range: [number, number] } | undefined

/** Takes `--window` or `--at` and its value out of `args` (wherever they stand). */
export function takeWindow (args: string[]): WindowArg {
  for (const kind of ['window', 'at'] as const) {
    const at = args.indexOf(`--${kind}`)
    if (at !== -1) return { kind, range: args.splice(at, 2)[1]!.split(',').map(Number) as [number, number] }
  }
  return undefined
}

/**
 * The window in ms after the profile started: `--window` as it is, or `--at` in µs of the host's
 * monotonic clock (what the bench logs for a step: one window for every process's profile,
 * however late each one's profiler started).
 */
export function windowOf (arg: WindowArg, profile: { startTime: number }): [number, number] | undefined {
  if (arg === undefined) return undefined
  return arg.kind === 'window' ? arg.range : [(arg.range[0] - profile.startTime) / 1000, (arg.range[1] - profile.startTime) / 1000]
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(basename(process.argv[1]))) {
  const args = process.argv.slice(2)
  const windowArg = takeWindow(args)
  const [file, topArg] = args
  if (file === undefined) throw new Error('usage: profile.js <file.cpuprofile> [top] [--window fromMs,toMs | --at fromUs,toUs]')
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const summary = summarize(profile, Number(topArg ?? 25), windowOf(windowArg, profile))
  console.log(`busy ${summary.totalMs.toFixed(0)} ms (idle excluded)\n\nby area (self time):`)
  for (const a of summary.byArea) console.log(`${(a.share * 100).toFixed(1).padStart(5)} %  ${a.ms.toFixed(0).padStart(6)} ms  ${a.area}`)
  console.log('\nby function (inclusive: on the stack):')
  for (const f of summary.inclusive) console.log(`${(f.share * 100).toFixed(1).padStart(5)} %  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`)
  console.log('\nby function (self time):')
  for (const f of summary.byFunction) console.log(`${(f.share * 100).toFixed(1).padStart(5)} %  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`)
}
