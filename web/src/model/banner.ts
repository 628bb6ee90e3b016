import type { ConnectionState } from '@webchat/client'

export interface BannerView {
  hidden: boolean
  /** What the live region says. */
  text: string
  /** The seconds to the next attempt, in a part screen readers skip. */
  countdown: string
  retry: boolean
  signIn: boolean
}

/**
 * The connection banner's wording: connecting, reconnecting in N s (with "Retry now"), offline,
 * session ended (with "Sign in again"). Hidden while connected, after a deliberate close, and
 * before the connection said anything.
 */
export function bannerView (state: ConnectionState | undefined, everOpen: boolean, now: number): BannerView {
  const view = { hidden: false, text: '', countdown: '', retry: false, signIn: false }
  switch (state?.state) {
    case undefined:
    case 'open':
      return { ...view, hidden: true }
    case 'connecting':
      return { ...view, text: everOpen || state.attempt > 0 ? 'Reconnecting…' : 'Connecting…' }
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((state.at - now) / 1000))
      return { ...view, text: 'Connection lost. Reconnecting', countdown: seconds > 0 ? ` in ${seconds} s…` : '…', retry: true }
    }
    case 'offline':
      return { ...view, text: 'You are offline. Messages you write will be sent when the connection is back.' }
    case 'ended':
      return { ...view, hidden: state.reason === 'closed', text: 'Your session has ended. Sign in again to keep chatting.', signIn: true }
  }
}
