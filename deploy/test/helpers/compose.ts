import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoPath } from './repo.js'
import { requireTool } from './tools.js'

export interface ComposeService {
  image?: string
  /** Set: the service runs only when one of these profiles is active. */
  profiles?: string[]
  build?: { context: string, dockerfile: string }
  command?: string[]
  environment?: Record<string, string>
  /** As compose prints them; one bound to a host address is a `host:published:target/proto` string instead (read it with `portStrings`). */
  ports?: Array<{ published: number, target: number }>
  networks?: Record<string, { ipv4_address?: string } | null>
  expose?: string[]
  volumes?: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
  stop_grace_period?: string
}

export interface ComposeConfig {
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
  networks?: Record<string, { ipam?: { config?: Array<{ subnet: string }> } }>
}

export const COMPOSE_FILE = repoPath('docker-compose.yml')

/** Runs `docker-compose -f docker-compose.yml <args>` with only PATH from this environment. */
export function dockerCompose (args: string[], envFile?: string): { status: number | null, stdout: string, stderr: string } {
  const bin = requireTool('docker-compose')
  const dir = mkdtempSync(join(tmpdir(), 'webchat-compose-'))
  try {
    // An explicit env file, so that a developer's own .env or shell never changes the result.
    const file = envFile ?? join(dir, 'empty.env')
    if (envFile === undefined) writeFileSync(file, '')
    const result = spawnSync(bin, ['-f', COMPOSE_FILE, '--env-file', file, ...args], {
      cwd: repoPath(), encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeout: 30_000
    })
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The compose file as Compose resolves it (interpolated, merged), for an env file's settings. */
export function composeConfig (env: Record<string, string> = {}): ComposeConfig {
  const dir = mkdtempSync(join(tmpdir(), 'webchat-compose-env-'))
  try {
    const file = join(dir, '.env')
    writeFileSync(file, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''))
    const { status, stdout, stderr } = dockerCompose(['config'], file)
    if (status !== 0) throw new Error(`docker-compose config failed: ${stderr.trim()}`)
    return parse(stdout) as ComposeConfig
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A service's published ports where they are bound to a host address (compose prints those as strings). */
export function portStrings (config: ComposeConfig, service: string): string[] {
  const ports: unknown[] = config.services[service]?.ports ?? []
  return ports.map((port) => typeof port === 'string' ? port : JSON.stringify(port))
}

/** A service's environment as compose would give it to the container. */
export function serviceEnv (config: ComposeConfig, service: string): Record<string, string> {
  const env = config.services[service]?.environment
  if (env === undefined) throw new Error(`compose service ${service} has no environment`)
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')]))
}
