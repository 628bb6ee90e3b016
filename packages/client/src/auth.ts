import { EMAIL_NOTIFICATION_CHOICES, validate, type CodeAccepted, type InvitationResponse, type NotificationSettings, type TokenResponse, type User, type WebConfig } from '@webchat/shared'
import { createCookieJar, type CookieJar } from './cookie-jar.js'
import { WebchatError } from './errors.js'

export interface AuthClientOptions {
  /** Where the auth service is, e.g. `http://127.0.0.1:3000`; '' (default) means this page's origin. */
  baseUrl?: string
  fetch?: typeof globalThis.fetch
  /**
   * Keep the session cookie in memory and send it back, for use outside a browser. Default: on
   * when there is no `document` (Node), off in browsers (which keep cookies themselves).
   */
  cookieJar?: boolean
  /** The Origin header sent with POST and PATCH outside a browser. Default: the origin of `baseUrl`. */
  origin?: string
}

export interface AuthClient {
  /**
   * Mails a one-time code. Resolves with the seconds until another may be requested. The answer
   * sets the HttpOnly sign-in cookie that ties the code to this client (browser or cookie jar).
   */
  requestCode (email: string): Promise<CodeAccepted>
  /**
   * Checks the code this client asked for (the sign-in cookie goes along); on success the session
   * cookie is set and the user returned. Another client's guesses cannot use up or reveal the code.
   */
  verify (email: string, code: string): Promise<User>
  /** The signed-in user, or `null` when there is no session. */
  me (): Promise<User | null>
  rename (name: string): Promise<User>
  logout (): Promise<void>
  /** A fresh short-lived chat token for the WebSocket. */
  token (): Promise<TokenResponse>
  /**
   * Invites someone by address: a ticket (valid 10 minutes, for this user only) to pass to the
   * connection's `invite(room, { ticket })` or `direct({ ticket })`, and an invitation mail to the
   * address. The same answer whether or not the address ever signed in.
   */
  invitation (email: string): Promise<InvitationResponse>
  /** Where the chat socket is (`GET /config.json`). */
  config (): Promise<WebConfig>
  /** Which mails the user gets while away: direct messages and mentions (`all`), direct messages only, or none. */
  notifications (): Promise<NotificationSettings>
  setNotifications (settings: NotificationSettings): Promise<NotificationSettings>
}

const isSettings = (body: unknown): body is NotificationSettings =>
  typeof body === 'object' && body !== null && (EMAIL_NOTIFICATION_CHOICES as readonly unknown[]).includes((body as { email?: unknown }).email)

interface Answer { status: number, headers: Headers, body: unknown }

function retryAfterHeader (headers: Headers): number | undefined {
  const value = headers.get('retry-after')
  if (value === null || !/^[0-9]+$/.test(value.trim())) return undefined
  return Number(value)
}

function errorFrom (answer: Answer): WebchatError {
  const { status, body, headers } = answer
  if (validate.errorBody(body)) {
    const retryAfter = body.retryAfter ?? retryAfterHeader(headers)
    return new WebchatError(body.error, body.message, {
      status,
      ...(body.attemptsLeft === undefined ? {} : { attemptsLeft: body.attemptsLeft }),
      ...(retryAfter === undefined ? {} : { retryAfter })
    })
  }
  if (status === 401) return new WebchatError('unauthorized', 'not signed in', { status })
  if (status >= 500) return new WebchatError('unavailable', `the server answered ${status}`, { status })
  return new WebchatError('bad_response', `unexpected answer ${status}`, { status })
}

export function createAuthClient (options: AuthClientOptions = {}): AuthClient {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const inBrowser = typeof document !== 'undefined'
  const jar: CookieJar | undefined = (options.cookieJar ?? !inBrowser) ? createCookieJar() : undefined
  const origin = options.origin ?? (base === '' ? undefined : new URL(base).origin)

  async function request (method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (jar !== undefined) {
      const cookie = jar.header()
      if (cookie !== undefined) headers.cookie = cookie
      if (method !== 'GET' && origin !== undefined) headers.origin = origin
    }
    let response: Response
    try {
      response = await doFetch(base + path, {
        method,
        headers,
        credentials: base === '' ? 'same-origin' : 'include',
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
    } catch (err) {
      throw new WebchatError('network', 'the server could not be reached', { cause: err })
    }
    if (jar !== undefined) jar.store(response.headers.getSetCookie?.() ?? [])
    const text = await response.text().catch(() => '')
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: response.status, headers: response.headers, body: parsed }
  }

  async function expect<T> (answer: Answer, ok: number, check: (v: unknown) => v is T): Promise<T> {
    if (answer.status !== ok) throw errorFrom(answer)
    if (!check(answer.body)) throw new WebchatError('bad_response', 'the answer does not match the contract', { status: answer.status })
    return answer.body
  }

  return {
    async requestCode (email) {
      return await expect(await request('POST', '/auth/code', { email }), 202, validate.codeAccepted)
    },
    async verify (email, code) {
      return (await expect(await request('POST', '/auth/verify', { email, code }), 200, validate.userBody)).user
    },
    async me () {
      const answer = await request('GET', '/auth/me')
      if (answer.status === 401) return null
      return (await expect(answer, 200, validate.userBody)).user
    },
    async rename (name) {
      return (await expect(await request('PATCH', '/auth/me', { name }), 200, validate.userBody)).user
    },
    async logout () {
      const answer = await request('POST', '/auth/logout')
      jar?.clear()
      if (answer.status !== 204 && answer.status !== 200 && answer.status !== 401) throw errorFrom(answer)
    },
    async token () {
      return await expect(await request('POST', '/auth/token'), 200, validate.tokenResponse)
    },
    async invitation (email) {
      return await expect(await request('POST', '/auth/invitations', { email }), 200, validate.invitationResponse)
    },
    async config () {
      return await expect(await request('GET', '/config.json'), 200, validate.webConfig)
    },
    async notifications () {
      return await expect(await request('GET', '/auth/me/notifications'), 200, isSettings)
    },
    async setNotifications (settings) {
      return await expect(await request('PUT', '/auth/me/notifications', settings), 200, isSettings)
    }
  }
}
