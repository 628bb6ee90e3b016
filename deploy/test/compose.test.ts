import { readFileSync } from 'node:fs'
import t from 'tap'
import { ConfigSchema as AuthSchema, loadConfig as loadAuthConfig } from '@webchat/auth'
import { ConfigSchema as ChatSchema, loadConfig as loadChatConfig } from '@webchat/chat'
import { PLACEHOLDERS, readTemplate, renderTemplate, type TemplateValues } from '../src/nginx-config.js'
import { COMPOSE_FILE, composeConfig, dockerCompose, portStrings, serviceEnv, type ComposeConfig } from './helpers/compose.js'
import { repoPath } from './helpers/repo.js'
import { haveTools } from './helpers/tools.js'

/** Every variable each service reads, with its default, from the services' own config schemas. */
const varsOf = (schema: { properties: object }): Map<string, unknown> =>
  new Map(Object.values(schema.properties as Record<string, { env: string, default?: unknown }>).map((p) => [p.env, p.default]))
const authVars = varsOf(AuthSchema)
const chatVars = varsOf(ChatSchema)

/** Set by compose itself, not from `.env`: container addresses, the volume, derived or per-replica values. */
const FIXED = {
  auth: ['HOST', 'PORT', 'ENGINE', 'DATA_DIR', 'WEB_ROOT'],
  chat: ['HOST', 'PORT', 'ENGINE', 'AUTH_URL', 'JWKS_URL', 'INSTANCE_ID']
}
/** Where compose's default deliberately differs from the service's own. */
const DIFFERENT: Record<string, string> = {
  REDIS_URL: 'the bundled redis service',
  SMTP_URL: 'the bundled MailHog',
  MAIL_TRANSPORT: 'mail the codes (to MailHog) rather than print them',
  TRUST_PROXY: 'nginx, at its fixed address, is the proxy in front',
  ALLOWED_ORIGINS: 'the nginx entry point, by name and by address'
}

const asEnvString = (value: unknown): string => Array.isArray(value) ? value.join(',') : String(value ?? '')

/** `${NAME:-default}` and `${NAME-default}` references in docker-compose.yml, in order (`$$` is a literal dollar). */
function composeReferences (): Map<string, string> {
  const text = readFileSync(COMPOSE_FILE, 'utf8').replace(/\$\$/g, '')
  const refs = new Map<string, string>()
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g)) refs.set(m[1]!, m[2] ?? '')
  return refs
}

/** The variables an env file sets (`.env.example`, `.env.cluster`). */
function envFile (name: string): Map<string, string> {
  const vars = new Map<string, string>()
  for (const line of readFileSync(repoPath(name), 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (m !== null) vars.set(m[1]!, m[2]!)
  }
  return vars
}

if (haveTools(t, ['docker-compose'])) {
  const defaults: ComposeConfig = composeConfig()

  t.test('docker-compose config -q accepts the file, with no .env and with .env.example', async (t) => {
    const bare = dockerCompose(['config', '-q'])
    t.equal(bare.status, 0, bare.stderr)
    const example = dockerCompose(['config', '-q'], repoPath('.env.example'))
    t.equal(example.status, 0, example.stderr)
  })

  t.test('the services: redis with AOF, MailHog, auth, scalable chat, nginx on 8080, started in health order', async (t) => {
    const s = defaults.services
    t.same(Object.keys(s).filter((name) => s[name]!.profiles === undefined).sort(), ['auth', 'chat', 'mailhog', 'nginx', 'redis'], 'without a profile')
    t.match(s.redis!.command!.join(' '), /--appendonly yes/, 'redis keeps an append-only file')
    t.match(s.redis!.volumes, [/^redis-data:\/data/], 'on a named volume')
    t.ok(defaults.volumes !== undefined && 'redis-data' in defaults.volumes)
    t.match(s.redis!.healthcheck!.test, ['CMD', 'redis-cli', 'ping'])
    t.match(s.mailhog!.image, /^mailhog\/mailhog/)
    t.same(portStrings(defaults, 'mailhog'), ['127.0.0.1:8025:8025/tcp'], 'the MailHog UI (every sign-in code, no password) on 8025 of the host\'s loopback only')
    t.same(s.nginx!.ports, [{ published: 8080, target: 8080 }], 'nginx is the one entry point, on 8080')
    t.equal(s.chat!.ports, undefined, 'chat publishes no host port, so --scale chat=N works')
    t.equal(s.auth!.ports, undefined, 'auth is reached through nginx only')
    t.same(s.auth!.depends_on, { redis: { condition: 'service_healthy' }, mailhog: { condition: 'service_started' } })
    t.same(s.chat!.depends_on, { redis: { condition: 'service_healthy' }, auth: { condition: 'service_healthy' } })
    t.same(s.nginx!.depends_on, { auth: { condition: 'service_healthy' }, chat: { condition: 'service_healthy' } })
    t.match(s.auth!.build, { dockerfile: 'services/auth/Dockerfile' })
    t.match(s.chat!.build, { dockerfile: 'services/chat/Dockerfile' })
    const shutdownMs = Number(serviceEnv(defaults, 'chat').SHUTDOWN_TIMEOUT_MS)
    t.ok(Number.parseInt(s.chat!.stop_grace_period!, 10) * 1000 > shutdownMs, 'chat may finish its own shutdown before compose kills it')
  })

  t.test('every variable of each service is set through the environment, with the service\'s default', async (t) => {
    for (const [service, vars] of [['auth', authVars], ['chat', chatVars]] as const) {
      const env = serviceEnv(defaults, service)
      const unknown = Object.keys(env).filter((name) => !vars.has(name))
      t.same(unknown, [], `${service}: no variable it does not read (a typo would be ignored silently)`)
      const missing = [...vars.keys()].filter((name) => !(name in env) && !FIXED[service].includes(name))
      t.same(missing, [], `${service}: every setting can be given from .env`)
      for (const [name, fallback] of vars) {
        if (FIXED[service].includes(name) || name in DIFFERENT) continue
        t.equal(env[name], asEnvString(fallback), `${service} ${name}: compose's default is the service's`)
      }
    }
  })

  t.test('the services agree: loaded by their own config, the resolved settings fit together', async (t) => {
    const authEnv = serviceEnv(defaults, 'auth')
    const chatEnv = serviceEnv(defaults, 'chat')
    const auth = loadAuthConfig(authEnv)
    const chat = loadChatConfig(chatEnv)
    t.equal(auth.engine, 'redis')
    t.equal(chat.engine, 'redis')
    t.equal(auth.redisUrl, chat.redisUrl, 'one Redis')
    t.same([auth.redisClusterNodes, chat.redisClusterNodes], [[], []], 'no cluster unless asked')
    t.equal(auth.redisPrefix, chat.redisPrefix, 'one key prefix')
    t.equal(chat.tokenIssuer, auth.tokenIssuer, 'chat expects the issuer auth signs')
    const publicOrigin = `http://localhost:${defaults.services.nginx!.ports![0]!.published}`
    t.ok(chat.allowedOrigins.includes(publicOrigin), `chat accepts sockets from ${publicOrigin}`)
    t.ok(auth.allowedOrigins.includes(publicOrigin), `auth accepts requests from ${publicOrigin}`)
    const nginxAddress = defaults.services.nginx!.networks?.default?.ipv4_address
    t.equal(nginxAddress, '10.248.0.10', 'nginx has a fixed address on the compose network')
    t.same(defaults.networks?.default?.ipam?.config, [{ subnet: '10.248.0.0/24' }], 'in a fixed range')
    t.equal(auth.trustProxy, nginxAddress, 'auth trusts nginx, by its address (Fastify ignores a hop count)')
    t.equal(chat.trustProxy, nginxAddress, 'so does chat')
    // (Both configs loaded above: each refuses a TRUST_PROXY that Fastify would ignore.)
    t.equal(auth.mailTransport, 'smtp')
    t.equal(auth.smtpUrl, 'smtp://mailhog:1025', 'codes go to MailHog')
    t.equal(auth.chatPublicUrl, '/ws', 'the web app opens its socket through nginx')
    t.equal(chat.authUrl, `http://auth:${auth.port}`, 'chat finds auth\'s keys on the compose network')
    t.same(defaults.services.chat!.expose, [String(chat.port)])

    const nginx = serviceEnv(defaults, 'nginx')
    t.match(nginx.AUTH_SERVERS, `auth:${auth.port} resolve`)
    t.match(nginx.CHAT_SERVERS, `chat:${chat.port} resolve`)
    t.match(nginx.RESOLVER, /^resolver 127\.0\.0\.11 /, 'Docker\'s DNS')
    t.equal(nginx.LISTEN, String(defaults.services.nginx!.ports![0]!.target))
    // compose prints the filter with its `$` escaped again as `$$`.
    t.equal(nginx.NGINX_ENVSUBST_FILTER!.replace(/\$\$/g, '$'), `^(${PLACEHOLDERS.join('|')})$`, 'the image substitutes the placeholders and nothing else')
    const rendered = renderTemplate(readTemplate(), nginx as TemplateValues)
    t.notMatch(rendered, /\$\{/, 'the template renders completely from compose\'s values')
  })

  t.test('settings from .env reach both services', async (t) => {
    const config = composeConfig({
      TOKEN_ISSUER: 'https://chat.example.com',
      ALLOWED_ORIGINS: 'https://chat.example.com',
      REDIS_URL: 'rediss://:secret@redis.example.com:6380/1',
      SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
      HTTP_PORT: '9090'
    })
    const auth = serviceEnv(config, 'auth')
    const chat = serviceEnv(config, 'chat')
    for (const env of [auth, chat]) {
      t.equal(env.TOKEN_ISSUER, 'https://chat.example.com')
      t.equal(env.ALLOWED_ORIGINS, 'https://chat.example.com')
      t.equal(env.REDIS_URL, 'rediss://:secret@redis.example.com:6380/1')
    }
    t.equal(auth.SMTP_URL, 'smtps://user:pass@smtp.example.com:465')
    t.same(config.services.nginx!.ports, [{ published: 9090, target: 8080 }])
    t.same(portStrings(composeConfig({ MAILHOG_UI_BIND: '0.0.0.0', MAILHOG_UI_PORT: '8026' }), 'mailhog'), ['0.0.0.0:8026:8025/tcp'], 'MailHog\'s UI on all interfaces only when asked')
  })

  t.test('.env.example lists every variable compose reads, each with compose\'s default', async (t) => {
    const refs = composeReferences()
    const example = envFile('.env.example')
    t.same([...example.keys()].sort(), [...refs.keys()].sort(), 'the same variables')
    for (const [name, fallback] of refs) t.equal(example.get(name), fallback, `${name}=${fallback}`)
    const withExample = composeConfig(Object.fromEntries(example))
    t.same(withExample, defaults, 'an unedited copy of .env.example changes nothing')
  })
  t.test('the cluster profile: six Redis Cluster nodes and a one-shot init that creates the cluster', async (t) => {
    const profile = dockerCompose(['--profile', 'cluster', 'config', '-q'])
    t.equal(profile.status, 0, profile.stderr)
    const withEnv = dockerCompose(['--profile', 'cluster', 'config', '-q'], repoPath('.env.cluster'))
    t.equal(withEnv.status, 0, withEnv.stderr)
    const s = defaults.services
    const nodes = Object.keys(s).filter((name) => name.startsWith('redis-node-')).sort()
    t.same(nodes, [1, 2, 3, 4, 5, 6].map((n) => `redis-node-${n}`), '3 primaries and 3 replicas')
    for (const name of [...nodes, 'redis-cluster-init']) t.same(s[name]!.profiles, ['cluster'], `${name} runs in the cluster profile only`)
    const conf = readFileSync(repoPath('deploy/redis/cluster-node.conf'), 'utf8')
    for (const line of ['cluster-enabled yes', 'appendonly yes', 'appendfsync everysec', 'cluster-preferred-endpoint-type hostname']) {
      t.match(conf, new RegExp(`^${line}$`, 'm'), `nodes: ${line}`)
    }
    for (const name of nodes) {
      const node = s[name]!
      t.equal(node.image, 'redis:7-alpine')
      t.same(node.command, ['redis-server', '/usr/local/etc/redis/cluster-node.conf', '--cluster-announce-hostname', name], `${name} announces its service name`)
      t.match(node.volumes, [/\/deploy\/redis\/cluster-node\.conf:\/usr\/local\/etc\/redis\/cluster-node\.conf:ro$/, new RegExp(`^${name}-data:/data`)])
      t.ok(defaults.volumes !== undefined && `${name}-data` in defaults.volumes, `${name}: a named volume`)
      t.match(node.healthcheck!.test, ['CMD', 'redis-cli', 'ping'])
    }
    const init = s['redis-cluster-init']!
    t.same(init.depends_on, Object.fromEntries(nodes.map((name) => [name, { condition: 'service_healthy' }])), 'the init waits for every node')
    const script = init.command!.join(' ')
    t.match(script, /redis-cli --cluster create .* --cluster-replicas 1 --cluster-yes/)
    t.match(script, /for n in 1 2 3 4 5 6;/, 'all six nodes')
    t.match(script, /grep -q '\^cluster_state:ok'; then[^]*exit 0/, 'nothing to do when the cluster exists')
    t.match(script, /grep -q '\^cluster_known_nodes:1\[\^0-9\]\*\$\$?'; then[^]*exit 0/, 'nor when its nodes know each other already')
  })

  t.test('.env.cluster points auth and chat at the cluster, as their own config reads it', async (t) => {
    const vars = envFile('.env.cluster')
    const refs = composeReferences()
    t.equal(vars.get('COMPOSE_PROFILES'), 'cluster')
    t.same([...vars.keys()].filter((name) => name !== 'COMPOSE_PROFILES' && !refs.has(name)), [], 'only variables compose reads')
    const config = composeConfig(Object.fromEntries(vars))
    const auth = loadAuthConfig(serviceEnv(config, 'auth'))
    const chat = loadChatConfig(serviceEnv(config, 'chat'))
    t.same([auth.engine, chat.engine], ['redis', 'redis'])
    t.same([auth.redisUrl, chat.redisUrl], ['', undefined], 'no single Redis (an empty REDIS_URL is unset)')
    t.same(chat.redisClusterNodes, auth.redisClusterNodes, 'one cluster')
    t.ok(auth.redisClusterNodes.length > 0)
    for (const node of auth.redisClusterNodes) {
      const [host, port] = node.split(':')
      t.same(config.services[host!]?.profiles, ['cluster'], `${node}: a node of the cluster profile`)
      t.equal(port, '6379')
    }
  })
}
