import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** The version of `name` as Node would load it from `dir` (nearest node_modules first). */
function versionOf (name: string, dirs: string[] = []): string {
  for (const dir of [...dirs, root]) {
    const path = `${dir}node_modules/${name}/package.json`
    if (existsSync(path)) return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
  }
  return 'not installed'
}

/** Versions of what runs in the bench, as installed. */
export function versions (): Record<string, string> {
  return {
    node: process.version,
    'socket.io': versionOf('socket.io'),
    '@socket.io/redis-adapter': versionOf('@socket.io/redis-adapter'),
    '@socket.io/redis-streams-adapter': versionOf('@socket.io/redis-streams-adapter'),
    jose: versionOf('jose'),
    'engine.io': versionOf('engine.io'),
    'ws (Socket.IO, via engine.io)': versionOf('ws', [`${root}node_modules/engine.io/`]),
    'ws (webchat)': versionOf('ws', [`${root}services/chat/`]),
    fastify: versionOf('fastify'),
    '@fastify/websocket': versionOf('@fastify/websocket'),
    ioredis: versionOf('ioredis'),
    bufferutil: versionOf('bufferutil'),
    'utf-8-validate': versionOf('utf-8-validate')
  }
}
