import t from 'tap'
import { ENGINES, SERVICE_KEY, startCluster } from '../../helpers/cluster.js'

for (const kind of ENGINES) {
  t.test(`${kind}: HTTP routes`, async (t) => {
    const cluster = await startCluster(t, kind)
    const base = cluster.httpUrl(0)
    const bearer = async (): Promise<Record<string, string>> => ({ authorization: `Bearer ${await cluster.auth.mint()}` })
    const service = { authorization: `Bearer ${SERVICE_KEY}`, 'content-type': 'application/json' }

    t.test('a plain GET on /ws answers 426 with a hint', async (t) => {
      const response = await fetch(`${base}/ws`)
      t.equal(response.status, 426)
      t.equal(response.headers.get('upgrade'), 'websocket')
      t.match(await response.json(), { error: 'upgrade_required', message: /webchat\.v1/ })
    })

    t.test('errors raised before routing get the {error, message} body too', async (t) => {
      const response = await fetch(`${base}/api/rooms/%E0%A4%A/messages`)
      t.equal(response.status, 400)
      t.match(await response.json(), { error: 'bad_request', message: String })
      const unrouted = await fetch(`${base}/ws`, { method: 'OPTIONS', headers: { 'content-type': 'application/json' }, body: '{' })
      t.equal(unrouted.status, 400)
      t.match(await unrouted.json(), { error: 'bad_request', message: String }, 'a broken body on a route that does not exist')
    })

    t.test('backends post into a room; clients see it live and in history', async (t) => {
      const watcher = await cluster.connect(1, { sub: 'watcher' })
      await cluster.join(watcher, 'news')
      const posted = await fetch(`${base}/api/rooms/news/messages`, {
        method: 'POST', headers: service, body: JSON.stringify({ user: { id: 'build-bot', name: 'Build' }, text: 'deployed', clientMsgId: 'job-1' })
      })
      t.equal(posted.status, 201)
      const { id } = await posted.json() as { id: string }
      const live = await watcher.waitFor((f) => f.type === 'message')
      t.match(live, { id, room: 'news', user: { id: 'build-bot', name: 'Build' }, text: 'deployed', clientMsgId: 'job-1' })
      const again = await fetch(`${base}/api/rooms/news/messages`, {
        method: 'POST', headers: service, body: JSON.stringify({ user: { id: 'build-bot', name: 'Build' }, text: 'deployed', clientMsgId: 'job-1' })
      })
      t.equal(again.status, 200, 'a retry is stored once')
      t.same(await again.json(), { id })
      for (let i = 0; i < 3; i++) await cluster.post('news', `n${i}`, 1)
      const page = await fetch(`${cluster.httpUrl(1)}/api/rooms/news/messages?limit=2`, { headers: await bearer() })
      t.equal(page.status, 200)
      const body = await page.json() as { messages: Array<{ text: string, id: string }>, more: boolean }
      t.same(body.messages.map((m) => m.text), ['n1', 'n2'])
      t.equal(body.more, true)
      const older = await fetch(`${base}/api/rooms/news/messages?before=${body.messages[0]!.id}`, { headers: await bearer() })
      t.same(((await older.json()) as typeof body).messages.map((m) => m.text), ['deployed', 'n0'])
    })

    t.test('HTTP history is paid from a byte budget per user, like a socket\'s', async (t) => {
      const text = 'x'.repeat(3990)
      for (let i = 0; i < 60; i++) await cluster.post('archive', `${i}${text}`, 0)
      const read = async (sub: string): Promise<number> =>
        (await fetch(`${base}/api/rooms/archive/messages?limit=100`, { headers: { authorization: `Bearer ${await cluster.auth.mint({ sub })}` } })).status
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) statuses.push(await read('reader'))
      t.equal(statuses[0], 200, 'the first page is read')
      t.ok(statuses.includes(429), `a user reading ~240 KB pages back to back is refused: ${statuses.join(', ')}`)
      const refused = await fetch(`${base}/api/rooms/archive/messages?limit=100`, { headers: { authorization: `Bearer ${await cluster.auth.mint({ sub: 'reader' })}` } })
      t.match({ status: refused.status, body: await refused.json() }, { status: 429, body: { error: 'rate_limited', message: String } })
      t.equal(await read('someone-else'), 200, 'another user has a budget of their own')
    })

    t.test('HTTP input is checked: tokens, keys, rooms, bodies', async (t) => {
      const get = async (path: string, headers: Record<string, string> = {}): Promise<[number, unknown]> => {
        const response = await fetch(`${base}${path}`, { headers })
        return [response.status, await response.json()]
      }
      t.match(await get('/api/rooms/news/messages'), [401, { error: 'unauthorized' }])
      t.match(await get('/api/rooms/news/messages', { authorization: 'Bearer nope' }), [401, { error: 'invalid_token' }])
      t.match(await get('/api/rooms/news/messages', { authorization: `Bearer ${SERVICE_KEY}` }), [401, { error: 'invalid_token' }])
      t.match(await get('/api/rooms/News/messages', await bearer()), [400, { error: 'bad_request' }])
      t.match(await get('/api/rooms/news/messages?limit=1000', await bearer()), [400, { error: 'bad_request' }])
      t.match(await get('/api/rooms/news/messages?before=yesterday', await bearer()), [400, { error: 'bad_request' }])
      t.match(await get('/api/nothing'), [404, { error: 'not_found' }])
      t.match(await get('/docs/static/nope.html', { accept: 'text/html' }), [404, { error: 'not_found', message: String }], 'no docs UI here: a JSON 404')
      const post = async (path: string, headers: Record<string, string>, body: string): Promise<[number, unknown]> => {
        const response = await fetch(`${base}${path}`, { method: 'POST', headers, body })
        return [response.status, await response.json()]
      }
      const ok = JSON.stringify({ user: { id: 'bot', name: 'Bot' }, text: 'hi' })
      t.match(await post('/api/rooms/news/messages', { 'content-type': 'application/json' }, ok), [401, { error: 'unauthorized' }])
      t.match(await post('/api/rooms/news/messages', { ...service, authorization: 'Bearer wrong' }, ok), [401, { error: 'unauthorized' }])
      t.match(await post('/api/rooms/news/messages', { ...service, authorization: `Bearer ${await cluster.auth.mint()}` }, ok), [401, { error: 'unauthorized' }])
      t.match(await post('/api/rooms/news/messages', service, '{"user":{"id":"bot","name":"Bot"},"text":"hi","extra":1}'), [400, { error: 'bad_request' }])
      t.match(await post('/api/rooms/news/messages', service, '{"user":{"id":"bot","name":"Bot"},"text":"  "}'), [400, { error: 'bad_request' }])
      t.match(await post('/api/rooms/news/messages', service, JSON.stringify({ user: { id: 'bot', name: 'Bot' }, text: 'x'.repeat(4001) })), [400, { error: 'bad_request' }])
      t.match(await post('/api/rooms/news/messages', service, '{"user":'), [400, { error: 'bad_request' }])
      t.match(await post('/api/rooms/news/messages', { ...service, 'content-type': 'text/plain' }, ok), [415, { error: 'unsupported_media_type' }])
      t.match(await post('/api/rooms/news/messages', service, JSON.stringify({ user: { id: 'bot', name: 'Bot' }, text: 'x'.repeat(70_000) })), [413, { error: 'payload_too_large' }])
      t.match(await post('/api/users/u1/events', service, JSON.stringify({ data: 'x'.repeat(9000) })), [413, { error: 'payload_too_large' }])
      t.match(await post('/api/users/bad%20id/events', service, JSON.stringify({ data: 1 })), [400, { error: 'bad_request' }])
    })

    t.test('events reach every open connection of one user, on every instance', async (t) => {
      const tab1 = await cluster.connect(0, { sub: 'worker', sid: 'w1' })
      const tab2 = await cluster.connect(1, { sub: 'worker', sid: 'w2' })
      const someoneElse = await cluster.connect(0, { sub: 'other', sid: 'o' })
      const response = await fetch(`${base}/api/users/worker/events`, {
        method: 'POST', headers: service, body: JSON.stringify({ data: { job: 'export', progress: 0.5 } })
      })
      t.equal(response.status, 202)
      t.same(await response.json(), { accepted: true })
      for (const tab of [tab1, tab2]) {
        t.same(await tab.waitFor((f) => f.type === 'event'), { type: 'event', data: { job: 'export', progress: 0.5 } })
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
      t.equal(someoneElse.frames.filter((f) => f.type === 'event').length, 0)
    })

    t.test('presence over HTTP', async (t) => {
      const c = await cluster.connect(1, { sub: 'present', name: 'Present' })
      await cluster.join(c, 'here')
      const response = await fetch(`${base}/api/rooms/here/presence`, { headers: await bearer() })
      t.same(await response.json(), { room: 'here', members: [{ id: 'present', name: 'Present' }] })
    })

    t.test('OpenAPI document of the HTTP routes', async (t) => {
      const response = await fetch(`${base}/api/docs/json`)
      t.equal(response.status, 200)
      const doc = await response.json() as { openapi: string, paths: Record<string, Record<string, unknown>> }
      t.match(doc.openapi, /^3\./)
      t.same(Object.keys(doc.paths).sort(), [
        '/api/me/rooms', '/api/rooms', '/api/rooms/{room}', '/api/rooms/{room}/members/{user}', '/api/rooms/{room}/messages',
        '/api/rooms/{room}/presence', '/api/users/{id}/events', '/api/users/{id}/rooms', '/api/webhooks', '/api/webhooks/{name}/dead',
        '/api/webhooks/{name}/replay', '/healthz', '/readyz'
      ])
      t.ok(doc.paths['/api/webhooks/{name}/replay']!.post, 'the webhook routes are documented')
      t.ok(doc.paths['/api/rooms/{room}/messages']!.post)
      t.ok(doc.paths['/api/rooms/{room}/members/{user}']!.put && doc.paths['/api/rooms/{room}/members/{user}']!.delete, 'the backends\' room routes are documented')
    })

    t.test('health, readiness and metrics', async (t) => {
      t.same(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' })
      const ready = await fetch(`${base}/readyz`)
      t.equal(ready.status, 200)
      t.same(await ready.json(), { status: 'ok', checks: { engine: true, accepting: true } })
      const metrics = await (await fetch(`${cluster.httpUrl(1)}/metrics`)).text()
      for (const name of ['webchat_chat_connections', 'webchat_chat_frames_in_total', 'webchat_chat_frames_out_total',
        'webchat_chat_deliveries_total', 'webchat_chat_publish_delivery_seconds_bucket']) {
        t.match(metrics, name)
      }
      t.match(metrics, /webchat_chat_frames_in_total\{type="join"\} [1-9]/)
    })
  })
}
