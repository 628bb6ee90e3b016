import type { ChatStore } from '../../store/chat-store.js'

/** What happened to my rooms ("You were removed from Launch."), until dismissed. */
export function Notice ({ store }: { store: ChatStore }) {
  const text = store.notice.value
  return (
    <div class='notice' role='alert' hidden={text === ''}>
      <span class='notice-text'>{text}</span>
      <button class='btn btn-small' type='button' onClick={store.dismissNotice}>Dismiss</button>
    </div>
  )
}
