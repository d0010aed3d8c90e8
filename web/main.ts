/**
 * Entry of the wall display: mounts the queue wall, or the agent board at /agents or
 * ?view=agents, into index.html.
 */
import { mount } from 'svelte'
import AgentBoard from './agents/AgentBoard.svelte'
import App from './App.svelte'
import './app.css'
import { isAgentView } from './lib/agent-params.ts'

const target = document.getElementById('app')
if (target === null) throw new Error('web/index.html must contain <div id="app"> to mount the wall')

const page = isAgentView(location.pathname, location.search) ? AgentBoard : App
export default mount(page, { target })
