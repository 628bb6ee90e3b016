import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { protocolOf, type SystemName } from '../config.js'
import { ISSUER } from '../lib/auth.js'
import { serviceEnv, start, type Child } from '../lib/children.js'
import { freePort, waitForPort } from '@webchat/testkit'
import type { ServerOptions, Servers } from './system.js'

export const ORIGIN = 'http://bench.webchat.test'
/** The webchat instances' REDIS_PREFIX. */
export const REDIS_PREFIX = 'bench:'
// As the service is started in production (npm start, the Dockerfile): the bundle, with glibc's
// fixed mmap threshold (services/chat/Dockerfile says why).
const chatServer = fileURLToPath(new URL('../../../services/chat/dist/server.bundle.js', import.meta.url))
// Profiled runs start the same code module by module: a profile then names each function's package
// and file (in the bundle everything is one file), at the price of the start-up memory.
const chatModules = fileURLToPath(new URL('../../../services/chat/dist/server.js', import.meta.url))
const CHAT_STARTED_WITH = { MALLOC_MMAP_THRESHOLD_: '131072' }
const sioServer = fileURLToPath(new URL('./sio-main.js', import.meta.url))
/** What runs beside plain Socket.IO in each peer (sio-main.ts). */
const SIO_MODES: Partial<Record<SystemName, string>> = { socketio: 'plain', 'socketio-auth': 'auth', 'socketio-streams': 'streams' }
const preload = new URL('../preload-gc.js', import.meta.url).href

function nodeArgs (options: ServerOptions, name: string): string[] {
  const args = ['--expose-gc', '--import', preload]
  if (options.profileDir !== undefined) args.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`)
  return args
}

async function launch (system: SystemName, index: number, port: number, options: ServerOptions): Promise<Child> {
  const name = `${system}-${index}`
  if (protocolOf(system) === 'socketio') {
    if (options.redisUrl === undefined) throw new Error('the Socket.IO server runs on one Redis (its adapter has no sharded pub/sub here)')
    const mode = SIO_MODES[system] ?? 'plain'
    return start(name, process.execPath, [...nodeArgs(options, name), sioServer, String(port), options.redisUrl, mode, options.jwksUrl, ISSUER], { logDir: options.logDir })
  }
  // One of the two, never both (chat refuses both); neither inherited from the launcher's environment.
  const redis = options.clusterNodes === undefined ? { REDIS_URL: options.redisUrl } : { REDIS_CLUSTER_NODES: options.clusterNodes.join(',') }
  const base = system === 'webchat-base'
  const server = base ? `${options.baseDir ?? ''}/services/chat/dist/server.js` : options.profileDir !== undefined ? chatModules : chatServer
  return start(name, process.execPath, [...nodeArgs(options, name), server], {
    logDir: options.logDir,
    env: {
      ...serviceEnv(port),
      ...redis,
      REDIS_PREFIX,
      JWKS_URL: options.jwksUrl,
      TOKEN_ISSUER: ISSUER,
      ALLOWED_ORIGINS: ORIGIN,
      INSTANCE_ID: `bench-${index}`,
      SHUTDOWN_TIMEOUT_MS: '5000',
      SOCKET_CLOSE_GRACE_MS: '1000',
      ...(base ? {} : CHAT_STARTED_WITH),
      ...options.env
    }
  })
}

/** Starts two instances of `system` on free loopback ports and waits until both listen. */
export async function startServers (system: SystemName, options: ServerOptions): Promise<Servers> {
  const ports = [await freePort(), await freePort()]
  const children = await Promise.all(ports.map(async (port, i) => await launch(system, i, port, options)))
  try {
    await Promise.all(ports.map(async (port) => await waitForPort(port, 20_000, system)))
  } catch (err) {
    await Promise.all(children.map(async (c) => await c.stop()))
    throw err
  }
  const path = protocolOf(system) === 'socketio' ? '/socket.io/?EIO=4&transport=websocket' : '/ws'
  return {
    system,
    urls: ports.map((port) => `ws://127.0.0.1:${port}${path}`),
    pids: children.map((c) => c.pid),
    async collectGarbage () {
      for (const child of children) child.process.kill('SIGWINCH')
      await sleep(1000)
    },
    async stop () {
      await Promise.all(children.map(async (c) => await c.stop(8000)))
    }
  }
}
