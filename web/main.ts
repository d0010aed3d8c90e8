/**
 * Entry of the wall display: mounts the board into index.html.
 */
import { mount } from 'svelte'
import App from './App.svelte'
import './app.css'

const target = document.getElementById('app')
if (target === null) throw new Error('web/index.html must contain <div id="app"> to mount the wall')

export default mount(App, { target })
