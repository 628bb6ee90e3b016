import { fullName } from '../../model/identity.js'
import type { ChatStore } from '../../store/chat-store.js'
import { Avatar } from '../avatar.js'
import { BidiText } from '../bidi-text.js'

/** Who I am, with the buttons to rename myself, choose my email while away, and log out. */
export function Account ({ store, rename, mail, logout }: { store: ChatStore, rename (): void, mail (): void, logout (): void }) {
  const me = store.me.value
  return (
    <div class='account'>
      <span><Avatar id={me.id} name={me.name} title={fullName(me)} /></span>
      <div class='account-who'>
        <span class='account-name' title={fullName(me)}><bdi><BidiText text={me.name} /></bdi></span>
        <span class='account-email muted'>{me.email}</span>
      </div>
      <div class='account-actions'>
        <button class='btn btn-small btn-quiet' type='button' onClick={rename}>Rename</button>
        <button class='btn btn-small btn-quiet' type='button' onClick={mail}>Email</button>
        <button class='btn btn-small btn-quiet' type='button' onClick={logout}>Log out</button>
      </div>
    </div>
  )
}
