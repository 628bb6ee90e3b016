import { Component, createRef } from 'preact'
import type { ChatMessage } from '@webchat/shared'
import { buildRows, GROUP_MS, type Row } from '../../model/grouping.js'
import { tagIfShared } from '../../model/identity.js'
import { canDelete, canEdit } from '../../model/message-actions.js'
import { roomLabel } from '../../model/room-info.js'
import type { ChatStore } from '../../store/chat-store.js'
import { ListTop } from './list-top.js'
import { DaySeparator, MessageRow } from './message-row.js'
import { NewBelow } from './new-below.js'
import { PendingRows } from './pending-rows.js'

/** Within this many pixels of an end counts as at it. */
const NEAR_PX = 80

interface Snapshot { stick: boolean, fromBottom: number }

/**
 * The open room's messages, then mine being sent. It keeps the reader's place as the list
 * changes: it follows the newest messages only when the reader was at the bottom, and keeps what
 * the reader sees in place when older messages arrive above. That needs the scroll position from
 * just before each redraw, hence a class (getSnapshotBeforeUpdate) reading every signal the list
 * shows, so that the whole list redraws, and is measured, as one.
 */
export class MessageLog extends Component<{ store: ChatStore }> {
  private readonly scroller = createRef<HTMLDivElement>()
  private observer: ResizeObserver | undefined
  private drawn: { room: string, first: string | undefined } = { room: '', first: undefined }
  private rows: { of: readonly ChatMessage[], rows: Row[] } = { of: [], rows: [] }

  private readonly isAtBottom = (): boolean => {
    const el = this.scroller.current!
    return el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_PX
  }

  private readonly toBottom = (): void => {
    const el = this.scroller.current!
    el.scrollTop = el.scrollHeight
  }

  private readonly onScroll = (): void => {
    const { store } = this.props
    if (this.scroller.current!.scrollTop < NEAR_PX) store.loadOlder()
    store.seen(this.isAtBottom())
  }

  private readonly showNewest = (): void => {
    this.toBottom()
    this.props.store.seen(true)
  }

  override componentDidMount (): void {
    this.remember()
    this.toBottom()
    // A banner or the typing line changes the height: stay at the bottom if the reader was there.
    if (typeof ResizeObserver === 'function') {
      this.observer = new ResizeObserver(() => { if (this.props.store.atBottom.peek()) this.toBottom() })
      this.observer.observe(this.scroller.current!)
    }
  }

  override componentWillUnmount (): void { this.observer?.disconnect() }

  override getSnapshotBeforeUpdate (): Snapshot {
    const el = this.scroller.current!
    return { stick: this.isAtBottom(), fromBottom: el.scrollHeight - el.scrollTop }
  }

  override componentDidUpdate (_props: unknown, _state: unknown, before: Snapshot): void {
    const { room, first } = this.drawn
    const messages = this.props.store.view.messages.peek()
    this.remember()
    const el = this.scroller.current!
    const firstChanged = first !== undefined && messages[0]?.id !== first
    if (this.drawn.room !== room || (firstChanged && !messages.some((m) => m.id === first))) {
      this.showNewest() // another room, or the list started over
    } else if (firstChanged) {
      el.scrollTop = el.scrollHeight - before.fromBottom // older messages above the reader
    } else if (before.stick) {
      this.toBottom()
    }
  }

  private remember (): void {
    this.drawn = { room: this.props.store.active.peek(), first: this.props.store.view.messages.peek()[0]?.id }
  }

  private rowsOf (messages: readonly ChatMessage[]): Row[] {
    if (this.rows.of !== messages) this.rows = { of: messages, rows: buildRows(messages, Date.now()) }
    return this.rows.rows
  }

  override render () {
    const { store } = this.props
    const { view } = store
    const messages = view.messages.value
    const readers = view.readers.value
    const shared = view.sharedNames.value
    const me = store.me.value
    const last = messages[messages.length - 1]
    const role = view.info.value.role
    const editing = store.editing.value
    const windowMs = store.editWindowMs.value
    const now = Date.now()
    return (
      <div class='messages-wrap'>
        <div ref={this.scroller} class='messages' tabindex={0} role='log' aria-live='off' aria-label='Message history' onScroll={this.onScroll}>
          <ListTop room={view.info.value.kind === 'direct' ? `your conversation with ${roomLabel(store.active.value, view.info.value)}` : roomLabel(store.active.value, view.info.value)} empty={messages.length === 0} more={view.more.value} loading={view.loadingOlder.value} loadOlder={store.loadOlder} />
          <ol class='rows' aria-label='Messages'>
            {this.rowsOf(messages).map((row) => row.kind === 'day'
              ? <DaySeparator key={row.key} label={row.label} />
              : <MessageRow
                  key={row.key} message={row.message} continued={row.continued} mine={row.message.user.id === me.id} seenBy={readers.get(row.key)} shared={shared}
                  me={me.id} actions={store} editable={canEdit(row.message, me.id, now, windowMs)} deletable={canDelete(row.message, me.id, role)} editing={editing === row.key}
                />)}
          </ol>
          <PendingRows
            pending={view.pending.value} me={me} myTag={tagIfShared(me, shared)} retry={store.retry} discard={store.discard}
            mineAbove={last !== undefined && last.user.id === me.id && Date.now() - last.ts < GROUP_MS}
          />
        </div>
        <NewBelow count={view.newBelow} show={this.showNewest} />
      </div>
    )
  }
}
