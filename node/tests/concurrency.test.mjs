// Calls run concurrently on the addon's runtime and never block the event loop.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startMock, clientOf, orgParams } from './helpers.mjs'

let mock
let ids
before(async () => {
  mock = await startMock({ latency: { baseMs: 100 } })
  const c = clientOf(mock)
  ids = await Promise.all(Array.from({ length: 50 }, async () => (await c.createOrganization(orgParams())).id))
})
after(() => mock.close())

test('50 concurrent gets against a 100 ms emulator overlap, and the event loop keeps turning', async () => {
  // No pacing here: the client's default budget (50/s) would spread the calls over a second.
  const client = clientOf(mock)
  await client.getOrganization(ids[0]) // warm the connection pool
  mock.resetStats()
  let ticks = 0
  const timer = setInterval(() => ticks++, 10)
  const result = await Promise.all(ids.map((id) => client.getOrganization(id)))
  clearInterval(timer)
  assert.deepEqual(
    result.map((o) => o.id),
    ids,
  )
  // The speed this gives is measured in benchmarks/, not asserted here.
  assert.ok(mock.stats().maxInFlight >= 25, `the calls overlapped: ${mock.stats().maxInFlight} at most`)
  // The event loop kept turning while the calls were in flight.
  assert.ok(ticks >= 5, `only ${ticks} timer ticks`)
})

test('with the default pacing, the same calls stay within the 50/s budget', async () => {
  const client = mock.client({ maxRetries: 0 })
  mock.resetStats()
  await Promise.all(ids.map((id) => client.getOrganization(id)))
  const { rateLimited, maxInFlight } = mock.stats()
  assert.equal(rateLimited, 0)
  // A burst then a steady rate: the 50 calls did not all leave at once.
  assert.ok(maxInFlight < ids.length, `${maxInFlight} in flight at once`)
})
