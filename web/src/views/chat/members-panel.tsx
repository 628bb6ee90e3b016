import { fullName, userTag } from '../../model/identity.js'
import type { MemberView } from '../../model/room-state.js'
import type { ChatStore } from '../../store/chat-store.js'
import { Avatar } from '../avatar.js'
import { BidiText } from '../bidi-text.js'

/** A member, always with their tag under the name: two people with one name are two entries that differ. */
function Member ({ member: m, me }: { member: MemberView, me: string }) {
  return (
    <li class='member' data-user={m.id}>
      <Avatar id={m.id} name={m.name} title={fullName(m)} small />
      <span class='member-name' title={fullName(m)}>
        <span class='member-line'><bdi><BidiText text={m.name} /></bdi>{m.id === me ? <span class='muted'> (you)</span> : null}</span>
        <span class='name-tag'>{`#${userTag(m.id)}`}</span>
      </span>
      <span class={m.online ? 'presence on' : 'presence off'} aria-label={m.online ? 'online' : 'offline'} role='img' />
    </li>
  )
}

/** Who is in the room: online first, then people seen leaving during this visit. */
export function MembersPanel ({ store, close }: { store: ChatStore, close (): void }) {
  const members = store.view.members.value
  const me = store.me.value.id
  const online = members.filter((m) => m.online)
  const offline = members.filter((m) => !m.online)
  return (
    <aside class='members' id='members' aria-labelledby='members-title'>
      <div class='panel-head'>
        <h2 id='members-title'>Members</h2>
        <button class='btn btn-icon only-narrow' type='button' aria-label='Close members' onClick={close}>×</button>
      </div>
      <h3 class='section-title'>{`Online — ${online.length}`}</h3>
      <ul class='member-list'>{online.map((m) => <Member key={m.id} member={m} me={me} />)}</ul>
      <h3 class='section-title' hidden={offline.length === 0}>{`Offline — ${offline.length}`}</h3>
      <ul class='member-list offline'>{offline.map((m) => <Member key={m.id} member={m} me={me} />)}</ul>
    </aside>
  )
}
