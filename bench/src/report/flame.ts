import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { takeWindow, windowOf } from './profile.js'

// `node bench/dist/report/flame.js <file.cpuprofile> <out.svg> [--window fromMs,toMs | --at fromUs,toUs] [--title text]`:
// a flame graph of a V8 CPU profile (node --cpu-prof), frames merged by function and file along
// each stack, width proportional to time, idle left out. Self-contained SVG with hover titles.

interface ProfileNode { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }
interface Profile { nodes: ProfileNode[], startTime: number, samples?: number[], timeDeltas?: number[] }
interface Frame { name: string, ms: number, children: Map<string, Frame> }

const W = 1200
const ROW = 16

function label (node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const name = functionName === '' ? '(anonymous)' : functionName
  if (url === '') return name
  const modules = url.lastIndexOf('node_modules/')
  const file = modules !== -1
    ? url.slice(modules + 'node_modules/'.length)
    : /\/(services|packages)\/(.+)$/.exec(url)?.[2] ?? url.replace(/^node:internal\//, 'node:').replace(/^file:\/\/.*\//, '')
  return `${name} ${file}:${lineNumber + 1}`
}

export function flameGraph (profile: Profile, title: string, window?: [number, number]): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const root: Frame = { name: 'all', ms: 0, children: new Map() }
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let at = 0
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i] ?? 0) / 1000
    at += ms
    if (window !== undefined && (at < window[0] || at > window[1])) continue
    const leaf = byId.get(samples[i]!)
    if (leaf === undefined || leaf.callFrame.functionName === '(idle)') continue
    const stack: string[] = []
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)!
      if (node.callFrame.functionName !== '(root)') stack.push(label(node))
    }
    root.ms += ms
    let frame = root
    for (let j = stack.length - 1; j >= 0; j--) {
      const name = stack[j]!
      let child = frame.children.get(name)
      if (child === undefined) frame.children.set(name, child = { name, ms: 0, children: new Map() })
      child.ms += ms
      frame = child
    }
  }
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
  const rects: string[] = []
  let depth = 0
  const draw = (frame: Frame, x: number, level: number): void => {
    const width = (frame.ms / root.ms) * W
    if (width < 0.3) return
    depth = Math.max(depth, level)
    const hue = frame.name.includes('node_modules') || /^\S+ (ioredis|ws|fastify|jose|pino|socket\.io|engine\.io)/.test(frame.name) ? 35
      : frame.name.includes('node:') ? 200 : frame.name.startsWith('(') ? 0 : 100
    const share = `${((frame.ms / root.ms) * 100).toFixed(1)} %, ${frame.ms.toFixed(0)} ms`
    rects.push(`<g><title>${esc(frame.name)} (${share})</title><rect x="${x.toFixed(1)}" y="${level}" width="${width.toFixed(1)}" height="${ROW - 1}" fill="hsl(${hue},60%,${62 + (level % 3) * 6}%)"/>` +
      (width > 40 ? `<text x="${(x + 3).toFixed(1)}" y="${level + 11}">${esc(frame.name.slice(0, Math.floor(width / 6.5)))}</text>` : '') + '</g>')
    let cx = x
    for (const child of [...frame.children.values()].sort((a, b) => b.ms - a.ms)) {
      draw(child, cx, level + ROW)
      cx += (child.ms / root.ms) * W
    }
  }
  draw(root, 0, 30)
  const height = depth + ROW + 10
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="monospace" font-size="10">\n` +
    `<rect width="${W}" height="${height}" fill="#fff"/><text x="4" y="18" font-size="13" font-family="sans-serif">${esc(title)} (${root.ms.toFixed(0)} ms busy; hover for names)</text>\n` +
    rects.join('\n') + '\n</svg>\n'
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(basename(process.argv[1]))) {
  const args = process.argv.slice(2)
  const take = (flag: string): string | undefined => {
    const at = args.indexOf(flag)
    return at === -1 ? undefined : args.splice(at, 2)[1]
  }
  const title = take('--title')
  const windowArg = takeWindow(args)
  const [file, out] = args
  if (file === undefined || out === undefined) throw new Error('usage: flame.js <file.cpuprofile> <out.svg> [--window fromMs,toMs | --at fromUs,toUs] [--title text]')
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  writeFileSync(out, flameGraph(profile, title ?? basename(file), windowOf(windowArg, profile)))
}
