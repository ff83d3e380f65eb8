// AbortSignal: an abort mid-request cancels the call in the core; a pre-aborted one sends nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { RequestCancelledError, APITimeoutError } from 'scaleway_partner'
import { startMock, clientOf, orgParams, UNKNOWN_ID, waitFor } from './helpers.mjs'

let fast
let slow
let slowClient
let ids
let slowIds
const firstIds = async (mock) =>
  (await clientOf(mock).listOrganizations({ pageSize: 5 }).page(1)).organizations.map((o) => o.id)
before(async () => {
  fast = await startMock({ seedOrganizations: 30 })
  slow = await startMock({ latency: { baseMs: 2000 }, seedOrganizations: 30 })
  slowClient = clientOf(slow)
  ;[ids, slowIds] = await Promise.all([firstIds(fast), firstIds(slow)])
})
after(async () => {
  await fast.close()
  await slow.close()
})

/** Aborts `controller` once a request of the call has reached the slow emulator. */
async function abortOnceSent(controller) {
  await waitFor(() => slow.stats().requests > 0, 'a request at the emulator')
  controller.abort()
}

/** The call settled before the slow emulator answered what it was sent: the abort cut it short. */
function assertCutShort() {
  const { requests, byStatus } = slow.stats()
  assert.ok(requests > 0, 'a request was sent')
  assert.deepEqual(byStatus, {}, 'the emulator had answered nothing')
}

test('an abort during the request rejects before the answer with RequestCancelledError', async () => {
  const controller = new AbortController()
  slow.resetStats()
  const call = slowClient.getOrganization(UNKNOWN_ID, { signal: controller.signal })
  await abortOnceSent(controller)
  await assert.rejects(
    call,
    (err) => err instanceof RequestCancelledError && err.code === 'cancelled' && err.cause === controller.signal.reason,
  )
  assertCutShort()
})

test('a pre-aborted signal rejects at once and sends nothing', async () => {
  fast.resetStats()
  const signal = AbortSignal.abort()
  await assert.rejects(fast.client().createOrganization(orgParams(), { signal }), RequestCancelledError)
  await assert.rejects(fast.client().listOrganizations({}, { signal }).all(), RequestCancelledError)
  await assert.rejects(fast.client().getOrganizations(ids, {}, { signal }), RequestCancelledError)
  assert.equal(fast.stats().requests, 0)
})

test('AbortSignal.timeout works as a deadline and rejects as a timeout, named as fetch names it', async () => {
  slow.resetStats()
  await assert.rejects(
    slowClient.getOrganization(UNKNOWN_ID, { signal: AbortSignal.timeout(150) }),
    (err) =>
      err instanceof APITimeoutError &&
      err.name === 'TimeoutError' &&
      err.code === 'timeout' &&
      err.cause?.name === 'TimeoutError',
  )
  assertCutShort()
})

test('an abort without a timeout is named AbortError, as fetch names it', async () => {
  await assert.rejects(
    slowClient.getOrganization(UNKNOWN_ID, { signal: AbortSignal.abort() }),
    (err) => err instanceof RequestCancelledError && err.name === 'AbortError',
  )
})

test('a signal that never aborts changes nothing, and no listener is left on it', async () => {
  const controller = new AbortController()
  const added = []
  const removed = []
  const { signal } = controller
  const add = signal.addEventListener.bind(signal)
  const remove = signal.removeEventListener.bind(signal)
  signal.addEventListener = (type, fn, opts) => (added.push(fn), add(type, fn, opts))
  signal.removeEventListener = (type, fn, opts) => (removed.push(fn), remove(type, fn, opts))
  const c = clientOf(fast)
  for (const id of ids) assert.equal((await c.getOrganization(id, { signal })).id, id)
  assert.equal(added.length, ids.length)
  assert.deepEqual(removed, added)
})

test('an abort during a listing stops the iteration', async () => {
  const controller = new AbortController()
  const list = clientOf(fast, { timeout: 5000 }).listOrganizations({ pageSize: 5 }, { signal: controller.signal })
  const seen = []
  await assert.rejects(async () => {
    for await (const org of list) {
      seen.push(org)
      if (seen.length === 7) controller.abort()
    }
  }, RequestCancelledError)
  // Nothing more is handed out after the abort, even from a page already fetched.
  assert.equal(seen.length, 7)
  await assert.rejects(list.page(1), RequestCancelledError)
})

test('an abort during .all() and during a bulk operation', async () => {
  const controller = new AbortController()
  const list = slowClient.listOrganizations({ pageSize: 5 }, { signal: controller.signal })
  slow.resetStats()
  const all = list.all()
  await abortOnceSent(controller)
  await assert.rejects(all, RequestCancelledError)
  assertCutShort()

  const bulk = new AbortController()
  slow.resetStats()
  const locks = slowClient.lockOrganizations(slowIds, {}, { signal: bulk.signal })
  await abortOnceSent(bulk)
  await assert.rejects(locks, (err) => {
    assert.ok(err instanceof RequestCancelledError)
    // One entry per ID: what was cut short, or null for what never started.
    assert.equal(err.results.length, slowIds.length)
    return true
  })
  assertCutShort()
})

test('a bulk call takes its signal beside its progress options too, but not twice', async () => {
  fast.resetStats()
  await assert.rejects(fast.client().getOrganizations(ids, { signal: AbortSignal.abort() }), RequestCancelledError)
  assert.equal(fast.stats().requests, 0)
  const signal = new AbortController().signal
  await assert.rejects(fast.client().getOrganizations(ids, { signal }, { signal }), /a signal was given twice/)
})
