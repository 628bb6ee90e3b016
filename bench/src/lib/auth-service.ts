import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort, waitForPort } from '@webchat/testkit'
import { serviceEnv, start, type Child } from './children.js'

const authServer = fileURLToPath(new URL('../../../services/auth/dist/server.js', import.meta.url))

export interface AuthServiceOptions {
  redisUrl: string
  /** REDIS_PREFIX: the chat instances' own, as in a deployment. */
  prefix: string
  /** `iss` of its tokens: what the chat instances expect (their TOKEN_ISSUER). */
  issuer: string
  /** The cookie signing secret (SESSION_SECRET): the bench signs the seeded sessions' cookies with it. */
  sessionSecret: string
  /** The one origin allowed to POST with the session cookie (what the generators send as Origin). */
  origin: string
  logDir: string
}

export interface AuthService {
  url: string
  /** Its JWKS, for the chat instances' JWKS_URL. */
  jwksUrl: string
  child: Child
  stop (): Promise<void>
}

/**
 * The real auth service, `node services/auth/dist/server.js` as deployed, on Redis: sessions in
 * the engine's store, a P-256 key generated into a data directory of its own (ES256 tokens),
 * every request through its hooks (session read and rolling save, origin check, mint counter).
 * Bench settings are only where things are, LOG_LEVEL=warn, no docs or web app, and the
 * notification worker's idle poll at a minute (a poll a second would be auth CPU in every window).
 */
export async function startAuthService (options: AuthServiceOptions): Promise<AuthService> {
  const port = await freePort()
  const dataDir = join(options.logDir, `auth-data-${port}`)
  const child = start(`auth-${port}`, process.execPath, [authServer], {
    logDir: options.logDir,
    env: {
      ...serviceEnv(port),
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.prefix,
      TOKEN_ISSUER: options.issuer,
      SESSION_SECRET: options.sessionSecret,
      CODE_SECRET: randomBytes(32).toString('base64url'),
      DATA_DIR: dataDir,
      ALLOWED_ORIGINS: options.origin,
      MAIL_TRANSPORT: 'console',
      WEB_ROOT: join(dataDir, 'no-web-app'),
      DOCS: 'false',
      NOTIFY_POLL_MS: '60000'
    }
  })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForPort(port, 20_000, 'auth service')
    await waitReady(`${url}/readyz`, 20_000)
  } catch (err) {
    await child.stop()
    throw err
  }
  return { url, jwksUrl: `${url}/.well-known/jwks.json`, child, stop: async () => { await child.stop(5000) } }
}

async function waitReady (url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const status = await fetch(url).then((r) => r.status, () => 0)
    if (status === 200) return
    if (Date.now() > deadline) throw new Error(`auth service not ready after ${timeoutMs} ms (last status ${status})`)
    await sleep(100)
  }
}
