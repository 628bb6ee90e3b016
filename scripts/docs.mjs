// Regenerates what the docs derive from code: the README configuration table (from each
// service's config schema) and the OpenAPI documents in docs/openapi/ (from the route schemas).
//   node scripts/docs.mjs          write them
//   node scripts/docs.mjs --check  exit 1 when a committed copy is stale
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as auth from '../services/auth/dist/index.js'
import * as chat from '../services/chat/dist/index.js'
import { ConfigSchema as standaloneSchema } from '../services/standalone/dist/config.js'

const root = new URL('..', import.meta.url)
const rootPath = root.pathname
const MARK = '<!-- config-table -->'

function rows (schema) {
  return Object.entries(schema.properties).map(([key, property]) => {
    const name = property.env ?? key
    const value = property.default === undefined ? '' : Array.isArray(property.default) ? property.default.join(',') : String(property.default)
    // A default computed from where the checkout lives is shown relative to the repository.
    const fallback = value.startsWith(rootPath) ? value.slice(rootPath.length) : value
    const description = String(property.description ?? '').replace(/\|/g, '\\|')
    return `| \`${name}\` | ${fallback === '' ? '' : `\`${fallback}\``} | ${description} |`
  })
}

export function configTable () {
  const section = (title, schema, intro) => [`### ${title}`, '', intro, '', '| variable | default | meaning |', '|---|---|---|', ...rows(schema), ''].join('\n')
  return [
    section('auth service (`services/auth`)', auth.ConfigSchema, 'Run alone with `npm start -w services/auth`; in compose as `auth`.'),
    section('chat service (`services/chat`)', chat.ConfigSchema, 'Run alone with `npm start -w services/chat`; in compose as `chat` (scale it with `--scale chat=N`).'),
    section('all-in-one (`npm start`)', standaloneSchema, 'Its own two settings; every other variable passes through to both services, which default here to `ENGINE=memory`, `MAIL_TRANSPORT=console`, same-origin `/ws`, and chat verifying tokens against this process.')
  ].join('\n')
}

export function readmeWithTable (readme) {
  const [before, , after] = readme.split(MARK)
  if (after === undefined) throw new Error(`README.md needs two ${MARK} markers`)
  return `${before}${MARK}\n${configTable()}${MARK}${after}`
}

export async function openapi () {
  const dataDir = mkdtempSync(join(tmpdir(), 'webchat-docs-'))
  try {
    const env = { LOG_LEVEL: 'silent', ENGINE: 'memory', MAIL_TRANSPORT: 'console', DATA_DIR: dataDir }
    const documents = {}
    for (const [name, service, url] of [['auth', auth, '/docs/json'], ['chat', chat, '/api/docs/json']]) {
      const app = await service.buildApp({ config: service.loadConfig(env) })
      try {
        const response = await app.inject({ method: 'GET', url })
        if (response.statusCode !== 200) throw new Error(`${name}: GET ${url} answered ${response.statusCode}`)
        documents[name] = `${JSON.stringify(response.json(), null, 2)}\n`
      } finally {
        await app.close()
      }
    }
    return documents
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check')
  const targets = { 'README.md': readmeWithTable(readFileSync(new URL('README.md', root), 'utf8')) }
  for (const [name, document] of Object.entries(await openapi())) targets[`docs/openapi/${name}.json`] = document
  let stale = 0
  for (const [path, content] of Object.entries(targets)) {
    const url = new URL(path, root)
    let current = ''
    try { current = readFileSync(url, 'utf8') } catch { /* not written yet */ }
    if (current === content) continue
    if (check) { console.error(`${path} is stale: run npm run docs`); stale++ } else { writeFileSync(url, content); console.log(`wrote ${path}`) }
  }
  process.exit(stale > 0 ? 1 : 0)
}
