/**
 * Entry of the wall display: mounts the queue wall, the agent board at /agents or
 * ?view=agents, or the managers' page at /manage, into index.html.
 */
import { mount } from 'svelte'
import AgentBoard from './agents/AgentBoard.svelte'
import App from './App.svelte'
import './app.css'
import { isAgentView } from './lib/agent-params.ts'
import { LANG } from './lib/lang.ts'

const target = document.getElementById('app')
if (target === null) throw new Error('web/index.html must contain <div id="app"> to mount the wall')

// The managers' page is loaded apart, so its tables and charts do not weigh on the TVs.
const manage = location.pathname.replace(/\/+$/, '') === '/manage'
// Tells the browser which glyphs to prefer for Chinese text, and screen readers what to read.
document.documentElement.lang = LANG === 'zh' ? 'zh-CN' : 'en'

const page = manage
  ? (await import('./manage/ManagePage.svelte')).default
  : isAgentView(location.pathname, location.search)
    ? AgentBoard
    : App
export default mount(page, { target })
