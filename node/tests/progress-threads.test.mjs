// A pending onProgress holds no thread: the core awaits the callback's answer (and the promise
// of an async one) instead of parking a runtime thread on it, so many calls waiting on their
// callbacks cost no thread each.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { mockAndClient, UNKNOWN_ID } from './helpers.mjs'

const { client } = await mockAndClient()

/** The threads of this process, as Linux counts them. */
function threads() {
  return Number(/^Threads:\s+(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))[1])
}

test('calls waiting on their async onProgress hold no thread each', { skip: process.platform !== 'linux' }, async () => {
  const calls = 48
  // Warm the runtime up: its worker threads exist before counting.
  await client.getOrganizations([UNKNOWN_ID], { onProgress: () => {} })
  const before = threads()
  let entered = 0
  let allEntered
  const everyoneWaits = new Promise((resolve) => (allEntered = resolve))
  let release
  const gate = new Promise((resolve) => (release = resolve))
  const onProgress = async () => {
    entered += 1
    if (entered === calls) allEntered()
    await gate
  }
  const running = Array.from({ length: calls }, () => client.getOrganizations([UNKNOWN_ID], { onProgress }))
  await everyoneWaits
  const during = threads()
  release()
  const results = await Promise.all(running)
  assert.equal(results.length, calls)
  assert.ok(during - before < calls / 4, `${during - before} more threads while ${calls} callbacks were pending`)
})
