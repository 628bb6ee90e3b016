import { bannerView } from '../../model/banner.js'
import type { ChatStore } from '../../store/chat-store.js'
import { useNow } from '../use-now.js'

/**
 * The connection banner. The live region carries the state; the seconds tick in a part screen
 * readers skip, so they are not read out every second.
 */
export function Banner ({ store, signIn }: { store: ChatStore, signIn (): void }) {
  const state = store.connection.value
  const now = useNow(250, state?.state === 'reconnecting')
  const view = bannerView(state, store.everOpen.value, now)
  return (
    <div class='banner' hidden={view.hidden} data-state={state?.state ?? 'open'}>
      <span class='banner-dot' aria-hidden='true' />
      <div role='status' aria-live='polite'>
        <span class='banner-text'>{view.text}</span>
        <span class='banner-count' aria-hidden='true'>{view.countdown}</span>
      </div>
      <button class='btn btn-small' type='button' hidden={!view.retry} onClick={store.reconnect}>Retry now</button>
      <button class='btn btn-small btn-primary' type='button' hidden={!view.signIn} onClick={signIn}>Sign in again</button>
    </div>
  )
}
