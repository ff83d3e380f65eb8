// Calls run concurrently on the addon's runtime and never block the event loop.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startMock, clientOf, orgParams, timed } from './helpers.mjs'

let mock
let ids
before(async () => {
  mock = await startMock({ latency: { baseMs: 100 } })
  const c = clientOf(mock)
  ids = await Promise.all(Array.from({ length: 50 }, async () => (await c.createOrganization(orgParams())).id))
})
after(() => mock.close())

test('50 concurrent gets against a 100 ms emulator finish well under a second', async () => {
  // No pacing here: the client's default budget (50/s) would spread the calls over a second.
  const client = clientOf(mock)
  await client.getOrganization(ids[0]) // warm the connection pool
  mock.resetStats()
  let ticks = 0
  const timer = setInterval(() => ticks++, 10)
  const { ms, result } = await timed(() => Promise.all(ids.map((id) => client.getOrganization(id))))
  clearInterval(timer)
  console.log(`50 concurrent gets, 100 ms latency: ${ms.toFixed(0)} ms; max in flight ${mock.stats().maxInFlight}; event loop ticks ${ticks}`)
  assert.deepEqual(
    result.map((o) => o.id),
    ids,
  )
  assert.ok(ms < 1000, `took ${ms} ms`)
  assert.ok(mock.stats().maxInFlight >= 25, 'the calls overlapped')
  // The event loop kept turning while the calls were in flight.
  assert.ok(ticks >= 5, `only ${ticks} timer ticks`)
})

test('with the default pacing, the same calls stay within the 50/s budget', async () => {
  const client = mock.client({ maxRetries: 0 })
  mock.resetStats()
  const { ms } = await timed(() => Promise.all(ids.map((id) => client.getOrganization(id))))
  console.log(`50 paced gets: ${ms.toFixed(0)} ms`)
  assert.equal(mock.stats().rateLimited, 0)
  // A burst then a steady rate: 50 calls cannot all leave in the first 100 ms.
  assert.ok(ms > 500, `took only ${ms} ms`)
})
