import { useSignalEffect } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { roomLabel } from '../../model/room-info.js'
import { roomFromPath, roomPath } from '../../model/room-path.js'
import type { ChatStore } from '../../store/chat-store.js'

/**
 * Keeps the page and the store in step: the title counts unread messages, the address names the
 * open room (back and forward open rooms again), and the store knows whether the page is seen.
 */
export function usePageSync (store: ChatStore, opened: () => void): void {
  useSignalEffect(() => {
    const unread = store.unreadElsewhere.value
    const title = `${roomLabel(store.active.value, store.view.info.value)} · webchat`
    document.title = unread > 0 ? `(${unread}) ${title}` : title
  })

  const first = useRef(true)
  useSignalEffect(() => {
    const path = roomPath(store.active.value)
    if (first.current) {
      first.current = false
      if (location.pathname !== path) history.replaceState(null, '', path)
      return
    }
    if (location.pathname !== path) history.pushState(null, '', path)
    opened()
  })

  useEffect(() => {
    const onPop = (): void => {
      const name = roomFromPath(location.pathname)
      if (name !== undefined) store.select(name)
    }
    const onVisible = (): void => store.setVisible(document.visibilityState === 'visible')
    onVisible()
    addEventListener('popstate', onPop)
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      removeEventListener('popstate', onPop)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [store])
}

