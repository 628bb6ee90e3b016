import type { ConnectionState } from '@webchat/client'
import { h, setText } from '../dom.js'

export interface Banner { el: HTMLElement, update (state: ConnectionState): void, dispose (): void }

/**
 * The connection banner: connecting, reconnecting in N s (with "Retry now"), offline, session
 * ended (with "Sign in again"). Hidden while connected. The live region carries the state; the
 * seconds tick in a part screen readers skip, so they are not read out every second.
 */
export function createBanner (actions: { retry (): void, signIn (): void }): Banner {
  const text = h('span', { class: 'banner-text' })
  const countdown = h('span', { class: 'banner-count', attrs: { 'aria-hidden': 'true' } })
  const retry = h('button', { class: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => actions.retry() } }, 'Retry now')
  const signIn = h('button', { class: 'btn btn-small btn-primary', attrs: { type: 'button' }, on: { click: () => actions.signIn() } }, 'Sign in again')
  const live = h('div', { attrs: { role: 'status', 'aria-live': 'polite' } }, text, countdown)
  const el = h('div', { class: 'banner', attrs: { hidden: true, 'data-state': 'open' } }, h('span', { class: 'banner-dot', attrs: { 'aria-hidden': 'true' } }), live, retry, signIn)
  let state: ConnectionState | undefined
  let everOpen = false

  function render (): void {
    if (state === undefined) return
    const s = state
    el.dataset.state = s.state
    el.hidden = s.state === 'open' || (s.state === 'ended' && s.reason === 'closed')
    retry.hidden = s.state !== 'reconnecting'
    signIn.hidden = s.state !== 'ended'
    switch (s.state) {
      case 'connecting':
        setText(text, everOpen || s.attempt > 0 ? 'Reconnecting…' : 'Connecting…')
        setText(countdown, '')
        break
      case 'reconnecting': {
        const seconds = Math.max(0, Math.ceil((s.at - Date.now()) / 1000))
        setText(text, 'Connection lost. Reconnecting')
        setText(countdown, seconds > 0 ? ` in ${seconds} s…` : '…')
        break
      }
      case 'offline':
        setText(text, 'You are offline. Messages you write will be sent when the connection is back.')
        setText(countdown, '')
        break
      case 'ended':
        setText(text, 'Your session has ended. Sign in again to keep chatting.')
        setText(countdown, '')
        break
      case 'open':
        everOpen = true
        break
    }
  }

  const timer = setInterval(() => { if (state?.state === 'reconnecting') render() }, 250)
  return {
    el,
    update (next) { state = next; render() },
    dispose () { clearInterval(timer) }
  }
}
