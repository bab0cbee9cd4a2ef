// Stand-alone page of the optimizer panel (optimizer/panel.html): used by the browser e2e test
// and `npm run bench:browser` until the notebook mounts the panel itself. Exposes the controller
// as window.__labOptimizer and the benchmark hook as window.__labBench.
import { mount } from 'svelte'
import OptimizerPanel from './OptimizerPanel.svelte'
import { createLabBench } from './bench-hook.ts'
import type { LabBench } from './bench-hook.ts'
import { SweepController } from './sweep-controller.svelte.ts'

declare global {
  interface Window {
    __labOptimizer?: { controller: SweepController }
    __labBench?: LabBench
  }
}

const target = document.getElementById('app')
if (!target) throw new Error('missing #app element')
const params = new URLSearchParams(location.search)
const workers = Number(params.get('workers')) || undefined
const controller = new SweepController({ workers })
window.__labOptimizer = { controller }
window.__labBench = createLabBench()
export const panel = mount(OptimizerPanel, { target, props: { controller } })
