import './styles/index.css'
import { render } from 'preact'
import { createAuthClient } from '@webchat/client'
import { createSession } from './session.js'
import { App } from './views/app.js'

const auth = createAuthClient()
const session = createSession(auth)
render(<App session={session} auth={auth} />, document.getElementById('app')!)
session.start()
