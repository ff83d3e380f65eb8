// The addon keeps nothing alive: a script that used it exits on its own, every time.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('./fixtures/exit-script.mjs', import.meta.url))
const RUNS = Number(process.env.EXIT_RUNS ?? 20)

function run(script, args = []) {
  return new Promise((resolve) => {
    const start = performance.now()
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    // A hung process is a failure, not a hung test run.
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stderr, ms: performance.now() - start })
    })
  })
}

test(`the exit script exits cleanly ${RUNS} times in a row`, async () => {
  const times = []
  for (let i = 0; i < RUNS; i++) {
    const r = await run(SCRIPT)
    assert.deepEqual([r.code, r.signal, r.stderr], [0, null, ''], `run ${i + 1}`)
    times.push(r.ms)
  }
  times.sort((a, b) => a - b)
  console.log(
    `${RUNS}/${RUNS} clean exits; median ${times[times.length >> 1].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms`,
  )
})

test('a process that forgets to close its emulator and listing still exits', async () => {
  const forgetful = fileURLToPath(new URL('./fixtures/forgetful-script.mjs', import.meta.url))
  const r = await run(forgetful)
  // A hang would end in the SIGKILL of run(): signal 'SIGKILL', not a clean exit.
  assert.deepEqual([r.code, r.signal, r.stderr], [0, null, ''])
})
