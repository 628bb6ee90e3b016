import t from 'tap'
import { verifySignature } from '@webchat/client'
import { SIGNATURE_HEADER } from '@webchat/shared'
import type { Frame, TestClient } from '../helpers/client.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { type ReceiverReply, startReceiver } from '../helpers/webhook-receiver.js'

const SECRET = 'before-send-secret-for-tests-0123456789'
const TIMEOUT_MS = 300

/** What a send or an edit came to: its ack or its error. */
async function answerTo (client: TestClient, frame: Record<string, unknown> & { clientMsgId: string }): Promise<Frame> {
  client.send(frame)
  return await client.waitFor((f) => (f.type === 'ack' || f.type === 'error') && (f.clientMsgId === frame.clientMsgId || f.ref === frame.clientMsgId))
}

/** The host product's answer to a text: by what the text says. */
function verdict (text: string): ReceiverReply {
  if (text.includes('spam')) return { raw: JSON.stringify({ action: 'reject', reason: 'no spam here' }) }
  if (text.includes('darn')) return { raw: JSON.stringify({ action: 'rewrite', text: text.replace('darn', 'd***') }) }
  if (text.includes('slow')) return { hang: true }
  if (text.includes('broken')) return { status: 500, raw: JSON.stringify({ action: 'allow' }) }
  if (text.includes('garbled')) return { raw: '{"action": "al' }
  if (text.includes('odd')) return { raw: JSON.stringify({ action: 'rewrite', text: '   ' }) }
  return { raw: JSON.stringify({ action: 'allow' }) }
}

for (const kind of ENGINES) {
  for (const onFailure of ['allow', 'reject'] as const) {
    t.test(`${kind}: the before-send hook allows, rejects and rewrites (on failure: ${onFailure})`, async (t) => {
      const hook = await startReceiver(t, (request) => verdict(String((request.json as unknown as { text: string }).text)))
      const cluster = await startCluster(t, kind, {
        env: { BEFORE_SEND_URL: hook.url, BEFORE_SEND_SECRET: SECRET, BEFORE_SEND_TIMEOUT_MS: TIMEOUT_MS, BEFORE_SEND_ON_FAILURE: onFailure }
      })
      const room = 'screened'
      const ann = await cluster.connect(0, { sub: 'ann', name: 'Ann' })
      const bob = await cluster.connect(1, { sub: 'bob', name: 'Bob' })
      await cluster.join(ann, room)
      await cluster.join(bob, room)
      const history = async (): Promise<string[]> => {
        const page = await cluster.join(await cluster.connect(0, { sub: 'cy', name: 'Cy' }), room)
        return (page.messages as Array<{ text: string }>).map((m) => m.text)
      }

      t.equal((await answerTo(ann, { type: 'send', room, text: 'hello', clientMsgId: 'a-1' })).type, 'ack', 'allowed')
      t.match(await bob.waitFor((f) => f.type === 'message' && f.text === 'hello'), { user: { id: 'ann' } })

      t.match(await answerTo(ann, { type: 'send', room, text: 'buy spam now', clientMsgId: 'a-2' }), { type: 'error', code: 'rejected', message: 'no spam here' }, 'rejected with the hook\'s reason')

      t.equal((await answerTo(ann, { type: 'send', room, text: 'darn it', clientMsgId: 'a-3' })).type, 'ack')
      t.match(await bob.waitFor((f) => f.type === 'message' && f.clientMsgId === 'a-3'), { text: 'd*** it' }, 'rewritten for everyone')

      const started = Date.now()
      const slow = await answerTo(ann, { type: 'send', room, text: 'slow one', clientMsgId: 'a-4' })
      const waited = Date.now() - started
      t.ok(waited >= TIMEOUT_MS - 20 && waited < TIMEOUT_MS + 700, `waited ${waited} ms: the timeout`)
      const failures = [slow, await answerTo(ann, { type: 'send', room, text: 'broken one', clientMsgId: 'a-5' }), await answerTo(ann, { type: 'send', room, text: 'garbled one', clientMsgId: 'a-6' }),
        await answerTo(ann, { type: 'send', room, text: 'odd one', clientMsgId: 'a-7' })]
      for (const answer of failures) {
        if (onFailure === 'allow') t.equal(answer.type, 'ack', `${String(answer.clientMsgId)}: no usable answer, stored as sent (fail open)`)
        else t.match(answer, { type: 'error', code: 'rejected', message: /could not be checked/ }, `${String(answer.ref)}: no usable answer, refused (fail closed)`)
      }

      // Edits pass the hook too.
      const sent = await answerTo(ann, { type: 'send', room, text: 'a fine line', clientMsgId: 'a-8' })
      t.match(await answerTo(ann, { type: 'edit', room, id: sent.id, text: 'a spam line', clientMsgId: 'a-9' }), { type: 'error', code: 'rejected' }, 'an edit rejected')
      t.equal((await answerTo(ann, { type: 'edit', room, id: sent.id, text: 'a darn line', clientMsgId: 'a-10' })).type, 'ack')
      t.match(await bob.waitFor((f) => f.type === 'change' && f.clientMsgId === 'a-10'), { text: 'a d*** line' }, 'an edit rewritten')

      const stored = await history()
      t.notOk(stored.some((text) => text.includes('spam')), 'nothing rejected was stored')
      t.ok(stored.includes('d*** it') && stored.includes('a d*** line'), 'the rewrites were')
      t.equal(stored.includes('slow one'), onFailure === 'allow')

      const request = hook.requests.find((r) => r.body.includes('darn it'))!
      t.match(JSON.parse(request.body), { id: /^[A-Za-z0-9_-]{22}$/, kind: 'message', room, user: { id: 'ann', name: 'Ann' }, text: 'darn it' })
      t.equal(await verifySignature({ header: request.headers[SIGNATURE_HEADER] as string, body: request.body, secret: SECRET }), true, 'signed')
      t.match(JSON.parse(hook.requests.find((r) => r.body.includes('a darn line'))!.body), { kind: 'edit', messageId: sent.id })
    })
  }
}
