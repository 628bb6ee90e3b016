import t from 'tap'
import { verifyWebhook } from '@webchat/client'
import { SIGNATURE_HEADER, WEBHOOK_ATTEMPT_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_EVENT_TYPES, WEBHOOK_ID_HEADER } from '@webchat/shared'
import { api } from '../helpers/backend-api.js'
import { ENGINES, eventually, startCluster } from '../helpers/cluster.js'
import { type Received, startReceiver } from '../helpers/webhook-receiver.js'

const SECRET = 'webhook-secret-for-tests-0123456789abcdef'
/** Short attempts and retries, so that a test sees several within seconds. */
const FAST = { WEBHOOK_SECRET: SECRET, WEBHOOK_TIMEOUT_MS: 400, WEBHOOK_RETRY_MS: 1400, WEBHOOK_RETRY_MAX_MS: 1400, WEBHOOK_POLL_MS: 100 }

/** Each event id once, with how many requests carried it. */
const byId = (requests: Received[]): Map<string, Received[]> => {
  const ids = new Map<string, Received[]>()
  for (const r of requests) ids.set(r.json.id, [...(ids.get(r.json.id) ?? []), r])
  return ids
}

for (const kind of ENGINES) {
  t.test(`${kind}: every event type reaches the endpoint signed, once`, async (t) => {
    const receiver = await startReceiver(t)
    const cluster = await startCluster(t, kind, { env: { ...FAST, WEBHOOK_URLS: receiver.url } })
    const call = api.bind(null, cluster)
    // room.created and member.added (twice) from a backend; role_changed and removed too.
    const room = 'p-webhooks-1'
    t.equal((await call('POST', '/api/rooms', { kind: 'private', id: room, title: 'Hooks', members: [{ user: 'olga', role: 'owner' }, { user: 'ben' }] })).status, 201)
    t.equal((await call('PUT', `/api/rooms/${room}/members/ben`, { role: 'moderator' })).status, 200)
    const olga = await cluster.connect(0, { sub: 'olga', name: 'Olga' })
    await cluster.join(olga, room)
    olga.send({ type: 'send', room, text: 'first words', clientMsgId: 'o-1' })
    const sent = await olga.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'o-1')
    olga.send({ type: 'send', room, text: 'first words', clientMsgId: 'o-1' })
    await olga.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'o-1' && f !== sent)
    olga.send({ type: 'edit', room, id: sent.id, text: 'first words, edited', clientMsgId: 'o-2' })
    await olga.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'o-2')
    olga.send({ type: 'delete', room, id: sent.id, clientMsgId: 'o-3' })
    await olga.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'o-3')
    t.equal((await call('DELETE', `/api/rooms/${room}/members/ben`)).status, 204)
    // A public room made by its first join: room.created, then the joiner added.
    const pia = await cluster.connect(kind === 'redis' ? 1 : 0, { sub: 'pia', name: 'Pia' })
    await cluster.join(pia, 'lobby-hooks')
    pia.send({ type: 'leave_room', ref: 'bye', room: 'lobby-hooks' })
    await pia.waitFor((f) => f.type === 'done' && f.ref === 'bye')

    await eventually(() => WEBHOOK_EVENT_TYPES.every((type) => receiver.of(type).length > 0) && receiver.of('member.removed').length === 2, 8000, 'every event type')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const ids = byId(receiver.requests)
    const told = [...ids.values()].filter((requests) => requests.length > 1)
    t.equal(told.length, 1, 'each event delivered once, but one')
    t.match(told[0]!.map((r) => r.json), [{ type: 'message.created', data: { message: { id: sent.id } } }, { type: 'message.created', data: { message: { id: sent.id } } }],
      'the repeated send is told again, under the same event id (its first telling may have been lost)')
    t.same(told[0]![1]!.json.data, told[0]![0]!.json.data, 'as it was stored')
    t.match(receiver.of('room.created').map((r) => r.json.data), [{ room: { id: room, kind: 'private', title: 'Hooks' } }, { room: { id: 'lobby-hooks', kind: 'public', createdBy: 'pia' } }])
    t.match(receiver.of('member.added').map((r) => r.json.data), [
      { room, member: { user: { id: 'olga' }, role: 'owner' } },
      { room, member: { user: { id: 'ben' }, role: 'member' } },
      { room: 'lobby-hooks', member: { user: { id: 'pia', name: 'Pia' }, role: 'owner', addedBy: 'pia' } }
    ])
    t.match(receiver.of('member.role_changed').map((r) => r.json.data), [{ room, user: { id: 'ben' }, role: 'moderator', previous: 'member', by: 'backend' }])
    t.match(receiver.of('message.created').map((r) => r.json.data)[0], { message: { room, id: sent.id, text: 'first words', user: { id: 'olga', name: 'Olga' }, seq: 1, clientMsgId: 'o-1' } })
    t.match(receiver.of('message.edited').map((r) => r.json.data), [{ room, id: sent.id, text: 'first words, edited', editedBy: { id: 'olga' } }])
    t.match(receiver.of('message.deleted').map((r) => r.json.data), [{ room, id: sent.id, deletedBy: { id: 'olga' } }])
    t.match(receiver.of('member.removed').map((r) => r.json.data), [
      { room, user: { id: 'ben' }, reason: 'removed', by: 'backend' },
      { room: 'lobby-hooks', user: { id: 'pia' }, reason: 'left', by: 'pia' }
    ])
    for (const request of receiver.requests) {
      const { headers, body, json } = request
      t.equal(headers[WEBHOOK_EVENT_HEADER], json.type)
      t.equal(headers[WEBHOOK_ID_HEADER], json.id)
      t.equal(headers[WEBHOOK_ATTEMPT_HEADER], '1')
      t.match(json.time, /^\d{4}-\d\d-\d\dT/)
      t.same(await verifyWebhook({ header: headers[SIGNATURE_HEADER] as string, body, secret: SECRET }), json, `${json.type} verifies`)
    }
    const forged = receiver.requests[0]!
    t.equal(await verifyWebhook({ header: forged.headers[SIGNATURE_HEADER] as string, body: forged.body, secret: 'not-the-secret-but-32-characters-long' }), null, 'another secret fails the verifier')
    t.equal(await verifyWebhook({ header: forged.headers[SIGNATURE_HEADER] as string, body: forged.body.replace('"', ' "'), secret: SECRET }), null, 'an altered body fails the verifier')
    t.equal(await verifyWebhook({ header: forged.headers[SIGNATURE_HEADER] as string, body: forged.body, secret: SECRET, now: Date.now() + 10 * 60_000 }), null, 'a replay 10 minutes later fails the verifier')
  })

  t.test(`${kind}: an endpoint that is down gets everything once it is back; the dead letters can be replayed`, async (t) => {
    let down = true
    const receiver = await startReceiver(t, () => (down ? { status: 503 } : {}))
    const cluster = await startCluster(t, kind, { env: { ...FAST, WEBHOOK_URLS: receiver.url, WEBHOOK_EVENTS: 'message.*', WEBHOOK_MAX_ATTEMPTS: 3 } })
    const room = 'outage-room'
    const ann = await cluster.connect(0, { sub: 'ann', name: 'Ann' })
    await cluster.join(ann, room)
    const started = Date.now()
    for (let i = 0; i < 16; i++) ann.send({ type: 'send', room, text: `while down ${i}`, clientMsgId: `d-${i}` })
    await ann.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'd-15')
    t.ok(Date.now() - started < 1000, 'sends are acknowledged at once, the endpoint down')
    await eventually(() => receiver.requests.length >= 16, 3000, 'first attempts')
    down = false
    await eventually(() => new Set(receiver.requests.filter((r) => r.json.type === 'message.created').map((r) => r.json.id)).size === 16 &&
      byId(receiver.requests).size === 16 && [...byId(receiver.requests).values()].every((tries) => tries.length === 2), 6000, 'all 16 after it came back')
    const ids = byId(receiver.requests)
    t.equal(ids.size, 16, 'nothing lost')
    for (const tries of ids.values()) {
      t.same(tries.map((r) => r.headers[WEBHOOK_ATTEMPT_HEADER]), ['1', '2'], 'a retry carries the same event id, attempt 2')
      t.equal(tries[0]!.body, tries[1]!.body, 'and the same body')
    }
    t.match((await api(cluster, 'GET', '/api/webhooks')).body, { endpoints: [{ name: /^hook-[0-9a-f]{12}$/, origin: new URL(receiver.url).origin, events: ['message.*'], queued: 0, pending: 0, dead: 0 }] }, 'the queue is empty again')

    // Down for good: three attempts, then the dead letters, listed and sent again.
    down = true
    ann.send({ type: 'send', room, text: 'into the dead letters', clientMsgId: 'x-1' })
    const name = ((await api(cluster, 'GET', '/api/webhooks')).body as { endpoints: Array<{ name: string }> }).endpoints[0]!.name
    await eventually(async () => ((await api(cluster, 'GET', `/api/webhooks/${name}/dead`)).body as { deadLetters: unknown[] }).deadLetters.length === 1, 8000, 'a dead letter')
    const dead = (await api(cluster, 'GET', `/api/webhooks/${name}/dead`)).body as { deadLetters: Array<{ id: string, attempts: number, reason: string, event: { id: string, data: { message: { text: string } } } }> }
    t.match(dead.deadLetters[0], { attempts: 3, reason: /status 503/, event: { type: 'message.created', data: { message: { text: 'into the dead letters' } } } })
    const lastId = dead.deadLetters[0]!.event.id
    t.equal(receiver.requests.filter((r) => r.json.id === lastId).length, 3, 'three attempts')
    t.match((await api(cluster, 'GET', '/api/webhooks')).body, { endpoints: [{ queued: 0, dead: 1 }] })
    t.equal((await api(cluster, 'GET', `/api/webhooks/${name}/dead`, undefined, { key: null })).status, 401, 'service key only')
    t.equal((await api(cluster, 'POST', '/api/webhooks/no-such-hook/replay', {})).status, 404)
    down = false
    t.same((await api(cluster, 'POST', `/api/webhooks/${name}/replay`, {})).body, { replayed: 1 })
    await eventually(() => receiver.requests.filter((r) => r.json.id === lastId).length === 4, 3000, 'replayed')
    t.equal(receiver.requests.filter((r) => r.json.id === lastId).at(-1)!.headers[WEBHOOK_ATTEMPT_HEADER], '1', 'from its first attempt again')
    t.match((await api(cluster, 'GET', '/api/webhooks')).body, { endpoints: [{ queued: 0, pending: 0, dead: 0 }] })
    const metrics = await (await fetch(`${cluster.httpUrl(0)}/metrics`)).text()
    for (const series of [`webchat_chat_webhook_queue{endpoint="${name}",state="queued"} 0`, `webchat_chat_webhook_events_queued_total{endpoint="${name}"}`,
      `webchat_chat_webhook_attempts_total{endpoint="${name}",outcome="failed"}`, `webchat_chat_webhook_retries_total{endpoint="${name}"}`, 'webchat_chat_webhook_attempt_seconds_bucket']) {
      t.ok(metrics.includes(series), `metrics: ${series}`)
    }
    if (kind === 'memory') t.match(metrics, new RegExp(`webchat_chat_webhook_attempts_total\\{endpoint="${name}",outcome="dead"\\} 1`), 'the dead letter counted')
  })

  t.test(`${kind}: a slow endpoint does not slow chat; a timeout is retried`, async (t) => {
    let slow = true
    const receiver = await startReceiver(t, () => (slow ? { hang: true } : {}))
    const cluster = await startCluster(t, kind, { env: { ...FAST, WEBHOOK_URLS: receiver.url, WEBHOOK_EVENTS: 'message.created' } })
    const ann = await cluster.connect(0, { sub: 'ann', name: 'Ann' })
    await cluster.join(ann, 'slow-room')
    const started = Date.now()
    for (let i = 0; i < 16; i++) ann.send({ type: 'send', room: 'slow-room', text: `m${i}`, clientMsgId: `s-${i}` })
    await ann.waitFor((f) => f.type === 'ack' && f.clientMsgId === 's-15')
    t.ok(Date.now() - started < 1500, `16 sends acknowledged in ${Date.now() - started} ms while the endpoint hangs`)
    await eventually(() => receiver.requests.length >= 8, 3000, 'attempts under way')
    slow = false
    await eventually(async () => ((await api(cluster, 'GET', '/api/webhooks')).body as { endpoints: Array<{ queued: number }> }).endpoints[0]!.queued === 0, 10_000, 'every message delivered')
    t.equal(byId(receiver.requests).size, 16, 'each of the 16 messages')
    t.ok(receiver.requests.some((r) => r.headers[WEBHOOK_ATTEMPT_HEADER] === '2'), 'the attempts that timed out were made again')
  })
}
