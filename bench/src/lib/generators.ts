import { fileURLToPath } from 'node:url'
import type { JWK } from 'jose'
import type { SystemName } from '../config.js'
import { start, type Child } from './children.js'
import { channel, type Channel } from './ipc.js'

const entry = fileURLToPath(new URL('../generator/main.js', import.meta.url))
/** The servers' preload: with BENCH_STALLS=1 the generators log their collections and stalls too. */
const preload = new URL('../preload-gc.js', import.meta.url).href

export interface Generator extends Channel {
  index: number
  pid: number
  child: Child
}

export interface GeneratorInit {
  system: SystemName
  /** monotonicUs() of the launcher: generators measure from it. */
  epochUs: number
  privateJwk: JWK
  kid: string
  issuer: string
  origin: string
}

/**
 * Starts `count` generator processes for one system, at niceness `nice`, and initialises them;
 * with `profileDir`, each writes a V8 CPU profile there on exit (as the servers do).
 */
export async function startGenerators (count: number, init: GeneratorInit, logDir: string, nice = 0, profileDir?: string): Promise<Generator[]> {
  const generators = Array.from({ length: count }, (_, index) => {
    const name = `generator-${init.system}-${index}`
    const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
    const child = start(name, process.execPath, ['--max-old-space-size=2048', ...profile, '--import', preload, entry], { ipc: true, logDir, nice })
    return { index, pid: child.pid, child, ...channel(child.process, `generator ${index}`) }
  })
  await Promise.all(generators.map(async (g) => await g.call('init', init, 20_000)))
  return generators
}

export async function stopGenerators (generators: Generator[]): Promise<void> {
  await Promise.all(generators.map(async (g) => {
    await g.call('close', { timeoutMs: 5000 }, 10_000).catch(() => {})
    await g.child.stop(2000)
  }))
}
