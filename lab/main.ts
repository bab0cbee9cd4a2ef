// Entry of the lab SPA: mounts the root component. Heavy modules (plotly, danfojs) are never
// imported from here; they load with dynamic import() where first needed. `?bench` in the
// address adds the browser bench's hook (a lazy chunk, see bench/notebook-hook.ts).
import { mount } from 'svelte'
import './styles/base.css'
import App from './App.svelte'
import { adoptTokenFromUrl } from './api/token.ts'

adoptTokenFromUrl()

const target = document.getElementById('app')
if (!target) throw new Error('missing #app element')
export const app = mount(App, { target })
if (new URLSearchParams(location.search).has('bench')) void import('./bench/notebook-hook.ts')
