/**
 * Entry of the wall display: mounts the queue wall, the agent board at /agents or
 * ?view=agents, the managers' page at /manage, or the pairing page at /pair, into
 * index.html. Every page but the pairing one first opens its session with the screen's
 * token; a screen without a valid one is sent to pair.
 */
import { mount, type Component } from 'svelte'
import AgentBoard from './agents/AgentBoard.svelte'
import App from './App.svelte'
import './app.css'
import { adoptToken, openSession, pairingAddress } from './lib/access.ts'
import { isAgentView } from './lib/agent-params.ts'
import { screenNameOf } from './lib/screen-pages.ts'
import { LANG } from './lib/lang.ts'

const target = document.getElementById('app')
if (target === null) throw new Error('web/index.html must contain <div id="app"> to mount the wall')

// The managers' page is loaded apart, so its tables and charts do not weigh on the TVs.
const path = location.pathname.replace(/\/+$/, '')
const manage = path === '/manage'
const pairing = path === '/pair'
// Tells the browser which glyphs to prefer for Chinese text, and screen readers what to read.
document.documentElement.lang = LANG === 'zh' ? 'zh-CN' : 'en'

adoptToken(location, history, localStorage)
if (!pairing && (await openSession(localStorage)) === 'refused') {
  location.replace(pairingAddress(location))
  // Nothing to show meanwhile: the browser is on its way to the pairing page.
  await new Promise(() => {})
}

// A named screen (`?screen=floor-2-tv`) shows the layout the server keeps for it.
const screen = manage || pairing ? null : screenNameOf(location.search)
const page = pairing
  ? (await import('./pair/PairPage.svelte')).default
  : manage
    ? (await import('./manage/ManagePage.svelte')).default
    : screen !== null
      ? (await import('./screen/ScreenWall.svelte')).default
      : isAgentView(location.pathname, location.search)
        ? AgentBoard
        : App
export default mount(page as Component<{ name?: string }>, {
  target,
  props: screen === null ? {} : { name: screen },
})
