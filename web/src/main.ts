import './styles/index.css'
import type { User, WebConfig } from '@webchat/shared'
import { createAuthClient } from '@webchat/client'
import { h, replace } from './dom.js'
import { chatView } from './views/chat.js'
import { signInView } from './views/sign-in.js'

const root = document.getElementById('app')!
const auth = createAuthClient()
let dispose: () => void = () => {}

function show (view: { el: HTMLElement, dispose (): void }): void {
  dispose()
  dispose = () => view.dispose()
  replace(root, view.el)
}

function showSignIn (config: WebConfig): void {
  document.title = 'Sign in · webchat'
  if (location.pathname !== '/' && !location.pathname.startsWith('/r/')) history.replaceState(null, '', '/')
  show(signInView(auth, (user) => showChat(config, user)))
}

function showChat (config: WebConfig, user: User): void {
  show(chatView(auth, config, user, () => showSignIn(config)))
}

function showProblem (retry: () => void): void {
  dispose()
  dispose = () => {}
  replace(root, h('main', { class: 'auth' }, h('section', { class: 'auth-card', attrs: { role: 'alert' } },
    h('h1', {}, 'webchat is not reachable'),
    h('p', { class: 'muted' }, 'The server did not answer. Check your connection, then try again.'),
    h('button', { class: 'btn btn-primary', attrs: { type: 'button' }, on: { click: retry } }, 'Try again'))))
}

async function start (): Promise<void> {
  try {
    const [config, user] = await Promise.all([auth.config(), auth.me()])
    if (user === null) showSignIn(config)
    else showChat(config, user)
  } catch {
    showProblem(() => { void start() })
  }
}

void start()
