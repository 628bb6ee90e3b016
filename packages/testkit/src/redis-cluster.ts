import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseClusterInfo, parseClusterNodes, redisCli } from './cluster-nodes.js'
import { freePort, waitForPort } from './ports.js'

export const REDIS_CLI_MISSING =
  'redis-cli is not installed: the Redis Cluster tests create their cluster with it (Debian/Ubuntu: sudo apt-get install redis-tools; macOS: brew install redis)'

export interface ClusterNode {
  host: string
  port: number
  /** The redis-server process, for `kill` and for tests that check it is gone. */
  pid: number
  /** Its working directory (nodes.conf), removed by `close`. */
  dir: string
}

export interface RedisClusterOptions {
  /** How many primaries (3 unless told; Redis Cluster needs at least 3). */
  primaries?: number
  /** Replicas per primary (1 unless told). */
  replicas?: number
  /** `cluster-node-timeout`: small, so a killed primary's replica takes over within seconds. */
  nodeTimeoutMs?: number
  /** How long startup and `waitHealthy` may take before they fail. */
  readyTimeoutMs?: number
}

export interface TestRedisCluster {
  /** Every node started, in port order of creation. */
  readonly nodes: ClusterNode[]
  /** The nodes that are primaries now (asks a live node; changes after a failover). */
  primaries (): Promise<ClusterNode[]>
  /** The nodes that are replicas now. */
  replicas (): Promise<ClusterNode[]>
  /** The slot of a key or shard channel (CLUSTER KEYSLOT on a live node). */
  keySlot (key: string): Promise<number>
  /** The live primary that serves `slot` now. */
  primaryForSlot (slot: number): Promise<ClusterNode>
  /** SIGKILLs the node's process (by PID) and waits for it to exit. */
  kill (node: ClusterNode): Promise<void>
  /** Waits until every live node says `cluster_state:ok` with all 16384 slots served by a live primary. */
  waitHealthy (timeoutMs?: number): Promise<void>
  /** Stops every process it started (by PID) and removes their directories. */
  close (): Promise<void>
}

/** The part of a tap test this needs: `teardown`. */
interface Teardown { teardown: (fn: () => Promise<void>) => void }

interface Started { node: ClusterNode, child: ChildProcess, dir: string }

const SLOTS = 16384

function assertInstalled (): void {
  for (const [command, missing] of [['redis-server', 'redis-server is not installed (Debian/Ubuntu: sudo apt-get install redis-server)'], ['redis-cli', REDIS_CLI_MISSING]] as const) {
    const probe = spawnSync(command, ['--version'], { stdio: 'ignore' })
    if (probe.error !== undefined || probe.status !== 0) throw new Error(missing)
  }
}

async function startNodeOnce (nodeTimeoutMs: number): Promise<Started> {
  const dir = await mkdtemp(join(tmpdir(), 'webchat-cluster-'))
  const port = await freePort()
  // The bus port is chosen too: port + 10000 (Redis's default) can pass 65535 for an ephemeral port.
  let busPort = await freePort()
  while (busPort === port) busPort = await freePort()
  const child = spawn('redis-server', [
    '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', dir,
    '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(nodeTimeoutMs),
    '--appendonly', 'no', '--save', '', '--loglevel', 'warning'
  ], { cwd: dir, stdio: 'ignore' })
  const started = { node: { host: '127.0.0.1', port, pid: child.pid ?? -1, dir }, child, dir }
  try {
    await waitForPort(port, 5000, 'cluster redis-server')
  } catch (error) {
    await stopProcess(started)
    throw error
  }
  return started
}

/**
 * A free port is only free when it was looked at: another process on a busy machine may take it
 * (or the bus port) before redis-server binds it, and the server then exits. Tried three times.
 */
async function startNode (nodeTimeoutMs: number): Promise<Started> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNodeOnce(nodeTimeoutMs)
    } catch (error) {
      if (attempt >= 3) throw error
    }
  }
}

async function stopProcess (started: Started, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const { child, dir } = started
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill(signal)
    await exited
  }
  await rm(dir, { recursive: true, force: true })
}

async function createCluster (ports: number[], replicas: number, timeoutMs: number): Promise<void> {
  const args = ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', String(replicas), '--cluster-yes']
  await new Promise<void>((resolve, reject) => {
    const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL') }, timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`redis-cli --cluster create failed (exit ${String(code)}, limit ${timeoutMs} ms): ${output.slice(-800)}`))
    })
  })
}

/**
 * A throwaway local Redis Cluster: `primaries` × (1 + `replicas`) `redis-server --cluster-enabled yes`
 * processes on free loopback ports, each in its own temp directory, persistence off, joined with
 * `redis-cli --cluster create`. Resolves once every node reports `cluster_state:ok`, every slot is
 * served and every node knows every other. With `t`, its teardown closes the cluster.
 */
export async function startRedisCluster (t?: Teardown, options: RedisClusterOptions = {}): Promise<TestRedisCluster> {
  const primaryCount = options.primaries ?? 3
  const replicaCount = options.replicas ?? 1
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1000
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000
  assertInstalled()
  const started: Started[] = []
  const killAll = (): void => { for (const s of started) s.child.kill('SIGKILL') }
  process.once('exit', killAll)
  const close = async (): Promise<void> => {
    process.removeListener('exit', killAll)
    await Promise.all(started.map(async (s) => await stopProcess(s)))
  }
  t?.teardown(close)

  const live = (): Started[] => started.filter((s) => s.child.exitCode === null && s.child.signalCode === null)
  const topology = async (): Promise<ReturnType<typeof parseClusterNodes>> => {
    let lastError: unknown
    for (const s of live()) {
      try {
        return parseClusterNodes(await redisCli(s.node.port, ['cluster', 'nodes']))
      } catch (error) { lastError = error }
    }
    throw new Error(`no live cluster node answered CLUSTER NODES: ${String(lastError)}`)
  }
  const byPort = (port: number): ClusterNode => {
    const found = started.find((s) => s.node.port === port)
    if (found === undefined) throw new Error(`port ${port} is not a node of this cluster`)
    return found.node
  }
  const withRole = async (primary: boolean): Promise<ClusterNode[]> =>
    (await topology()).filter((line) => line.primary === primary && !line.failed).map((line) => byPort(line.port))

  const healthProblem = async (): Promise<string | undefined> => {
    const nodes = live()
    for (const s of nodes) {
      const info = parseClusterInfo(await redisCli(s.node.port, ['cluster', 'info']).catch((error: Error) => error.message))
      if (info.cluster_state !== 'ok') return `node ${s.node.port}: cluster_state ${info.cluster_state ?? 'unknown'}`
      if (info.cluster_slots_ok !== String(SLOTS)) return `node ${s.node.port}: ${info.cluster_slots_ok} of ${SLOTS} slots ok`
      if (Number(info.cluster_known_nodes) < started.length) return `node ${s.node.port}: knows ${info.cluster_known_nodes} of ${started.length} nodes`
      // A replica still in its first sync would acknowledge no write (WAIT) and lose all on a failover.
      const replication = parseClusterInfo(await redisCli(s.node.port, ['info', 'replication']))
      if (replication.role === 'slave' && replication.master_link_status !== 'up') return `replica ${s.node.port}: link to its primary ${replication.master_link_status ?? 'unknown'}`
    }
    const served = (await topology()).filter((line) => line.primary && !line.failed && nodes.some((s) => s.node.port === line.port))
      .reduce((sum, line) => sum + line.slots.reduce((n, [from, to]) => n + to - from + 1, 0), 0)
    return served === SLOTS ? undefined : `live primaries serve ${served} of ${SLOTS} slots`
  }
  const waitHealthy = async (timeoutMs = readyTimeoutMs): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    let problem: string | undefined = 'not checked'
    while (Date.now() < deadline) {
      problem = await healthProblem().catch((error: Error) => error.message)
      if (problem === undefined) return
      await sleep(100)
    }
    throw new Error(`the Redis Cluster was not healthy within ${timeoutMs} ms: ${problem ?? ''}`)
  }

  try {
    for (let i = 0; i < primaryCount * (1 + replicaCount); i++) started.push(await startNode(nodeTimeoutMs))
    await createCluster(started.map((s) => s.node.port), replicaCount, readyTimeoutMs)
    await waitHealthy()
  } catch (error) {
    await close()
    throw error
  }

  return {
    nodes: started.map((s) => s.node),
    primaries: async () => await withRole(true),
    replicas: async () => await withRole(false),
    keySlot: async (key) => {
      const node = live()[0]
      if (node === undefined) throw new Error('no live cluster node')
      return Number(await redisCli(node.node.port, ['cluster', 'keyslot', key]))
    },
    primaryForSlot: async (slot) => {
      const line = (await topology()).find((l) => l.primary && !l.failed && l.slots.some(([from, to]) => slot >= from && slot <= to))
      if (line === undefined) throw new Error(`no live primary serves slot ${slot}`)
      return byPort(line.port)
    },
    kill: async (node) => {
      const target = started.find((s) => s.node.port === node.port)
      if (target === undefined) throw new Error(`port ${node.port} is not a node of this cluster`)
      if (target.child.exitCode !== null || target.child.signalCode !== null) return
      const exited = new Promise((resolve) => target.child.once('exit', resolve))
      target.child.kill('SIGKILL')
      await exited
    },
    waitHealthy,
    close
  }
}
