import { useSignal } from '@preact/signals'
import type { Role } from '@webchat/shared'
import { fullName, userTag, type Person } from '../../model/identity.js'
import { canUnban, memberMenu } from '../../model/member-actions.js'
import { isMuted, type RoomInfo } from '../../model/room-info.js'
import type { MemberView } from '../../model/room-state.js'
import type { ChatStore } from '../../store/chat-store.js'
import type { Moderation } from '../../store/room-actions.js'
import { Avatar } from '../avatar.js'
import { BidiText } from '../bidi-text.js'
import { useNow } from '../use-now.js'
import { MemberMenu } from './member-menu.js'

const ROLE_BADGES: Partial<Record<Role, string>> = { owner: 'Owner', moderator: 'Moderator' }

/** Someone invited who has not signed in yet has no name. */
const shownName = (person: Person): string => person.name === '' ? 'Invited, not signed in yet' : person.name

interface MemberProps {
  member: MemberView
  me: string
  info: RoomInfo
  now: number
  act (userId: string, what: Moderation): Promise<string | undefined>
}

/** A member, always with their tag under the name (two people with one name are two entries that differ), their role and mute. */
function Member ({ member: m, me, info, now, act }: MemberProps) {
  const name = shownName(m)
  const muted = isMuted(m.mutedUntil, now)
  const badge = m.role === undefined ? undefined : ROLE_BADGES[m.role]
  const items = m.role === undefined ? [] : memberMenu(info.kind, info.role, { role: m.role, self: m.id === me, muted })
  return (
    <li class='member' data-user={m.id} data-role={m.role}>
      <Avatar id={m.id} name={name} title={fullName(m)} small />
      <span class='member-name' title={fullName(m)}>
        <span class='member-line'><bdi><BidiText text={name} /></bdi>{m.id === me ? <span class='muted'> (you)</span> : null}</span>
        <span class='member-badges'>
          <span class='name-tag'>{`#${userTag(m.id)}`}</span>
          {badge === undefined ? null : <span class={`role-badge role-${m.role ?? ''}`}>{badge}</span>}
          {muted ? <span class='role-badge role-muted'>Muted</span> : null}
        </span>
      </span>
      <span class={m.online ? 'presence on' : 'presence off'} aria-label={m.online ? 'online' : 'offline'} role='img' />
      {items.length === 0 ? null : <MemberMenu name={name} items={items} act={async (what) => await act(m.id, what)} />}
    </li>
  )
}

/** Lifts a ban (after one here, where the server has told me of it); a refusal shows beside it. */
function UnbanButton ({ name, unban }: { name: string, unban (): Promise<string | undefined> }) {
  const error = useSignal('')
  return (
    <span class='unban'>
      <button class='btn btn-small' type='button' aria-label={`Unban ${name}`} onClick={() => { void unban().then((failure) => { error.value = failure ?? '' }) }}>Unban</button>
      <span class='menu-error' role='alert' hidden={error.value === ''}>{error}</span>
    </span>
  )
}

/** Who is in the room: online first, then the others (a room with a roster lists all its members, with roles). */
export function MembersPanel ({ store, close }: { store: ChatStore, close (): void }) {
  const members = store.view.members.value
  const info = store.view.info.value
  const banned = [...store.view.banned.value.values()]
  const now = useNow(30_000, members.some((m) => m.mutedUntil !== undefined))
  const me = store.me.value.id
  const online = members.filter((m) => m.online)
  const offline = members.filter((m) => !m.online)
  const row = (m: MemberView) => <Member key={m.id} member={m} me={me} info={info} now={now} act={store.moderate} />
  const unbannable = canUnban(info.kind, info.role)
  return (
    <aside class='members' id='members' aria-labelledby='members-title'>
      <div class='panel-head'>
        <h2 id='members-title'>Members</h2>
        <button class='btn btn-icon only-narrow' type='button' aria-label='Close members' onClick={close}>×</button>
      </div>
      <h3 class='section-title'>{`Online — ${online.length}`}</h3>
      <ul class='member-list'>{online.map(row)}</ul>
      <h3 class='section-title' hidden={offline.length === 0}>{`Offline — ${offline.length}`}</h3>
      <ul class='member-list offline'>{offline.map(row)}</ul>
      <h3 class='section-title' hidden={banned.length === 0}>{`Banned — ${banned.length}`}</h3>
      <ul class='member-list banned'>
        {banned.map((p) => (
          <li key={p.id} class='member' data-user={p.id}>
            <Avatar id={p.id} name={shownName(p)} title={fullName(p)} small />
            <span class='member-name' title={fullName(p)}>
              <span class='member-line'><bdi><BidiText text={shownName(p)} /></bdi></span>
              <span class='name-tag'>{`#${userTag(p.id)}`}</span>
            </span>
            {unbannable ? <UnbanButton name={shownName(p)} unban={async () => await store.moderate(p.id, { item: 'unban' })} /> : null}
          </li>
        ))}
      </ul>
    </aside>
  )
}
