import type { FanoutResult } from '../scenarios/results.js'
import { name } from './format.js'

export interface Series { label: string, color: string, dashed: boolean, points: Array<{ x: number, y: number, held: boolean }> }

const W = 860
const H = 480
const M = { left: 70, right: 200, top: 40, bottom: 56 }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

/** Series of p99 latency against offered deliveries a second, one per system and pass. */
export function fanoutSeries (runs: Array<{ system: string, pass: number, result: FanoutResult }>): Series[] {
  const colors: Record<string, string> = { webchat: '#1f6feb', socketio: '#d1242f', 'socketio-streams': '#8250df', 'socketio-auth': '#bf8700' }
  const sorted = [...runs].sort((a, b) => a.system.localeCompare(b.system) || a.pass - b.pass)
  return sorted.map(({ system, pass, result }) => ({
    label: `${name(system)}, pass ${pass}`,
    color: colors[system] ?? '#6e7781',
    dashed: pass % 2 === 0,
    points: result.steps.map((s) => ({ x: s.offered, y: Math.max(0.1, s.latency.p99), held: s.held }))
  }))
}

/** A self-contained SVG line chart, both axes logarithmic: deliveries/s (x) and ms (y). */
export function latencyChart (series: Series[], title: string): string {
  const xs = series.flatMap((s) => s.points.map((p) => p.x))
  const xMin = Math.min(10_000, ...xs) / 1.25
  const xMax = Math.max(100_000, ...xs) * 1.25
  const yMin = 0.5
  const yMax = Math.max(1000, ...series.flatMap((s) => s.points.map((p) => p.y))) * 1.2
  const px = (x: number): number => M.left + (Math.log10(x / xMin) / Math.log10(xMax / xMin)) * (W - M.left - M.right)
  const py = (y: number): number => H - M.bottom - (Math.log10(Math.max(y, yMin) / yMin) / Math.log10(yMax / yMin)) * (H - M.top - M.bottom)
  const parts: string[] = []
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`)
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`)
  parts.push(`<text x="${M.left}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`)
  // Grid and axes.
  for (let y = 1; y <= yMax; y *= 10) {
    for (const m of [1, 2, 5]) {
      const v = y * m
      if (v < yMin || v > yMax) continue
      parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py(v)}" y2="${py(v)}" stroke="#eee"/>`)
      parts.push(`<text x="${M.left - 6}" y="${py(v) + 4}" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`)
    }
  }
  for (let decade = 1000; decade <= xMax; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const x = decade * m
      if (x < xMin || x > xMax) continue
      parts.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`)
      parts.push(`<text x="${px(x)}" y="${H - M.bottom + 18}" text-anchor="middle">${x >= 1e6 ? `${x / 1e6}M` : `${x / 1000}k`}</text>`)
    }
  }
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py(500)}" y2="${py(500)}" stroke="#888" stroke-dasharray="2 3"/>`)
  parts.push(`<text x="${W - M.right - 4}" y="${py(500) - 5}" text-anchor="end" fill="#555">p99 limit 500 ms</text>`)
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 14}" text-anchor="middle">offered deliveries a second, 1,000-member room (log)</text>`)
  parts.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">p99 latency, send to receive (log)</text>`)
  // Lines, points (hollow where the step was not held), legend.
  series.forEach((s, i) => {
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`)
    for (const p of s.points) {
      parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3.5" fill="${p.held ? s.color : '#fff'}" stroke="${s.color}" stroke-width="1.5"/>`)
    }
    const ly = M.top + 10 + i * 20
    parts.push(`<line x1="${W - M.right + 14}" x2="${W - M.right + 44}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`)
    parts.push(`<text x="${W - M.right + 50}" y="${ly + 4}">${esc(s.label)}</text>`)
  })
  const ly = M.top + 10 + series.length * 20 + 10
  parts.push(`<text x="${W - M.right + 14}" y="${ly}" fill="#555">hollow: step not held</text>`)
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}
