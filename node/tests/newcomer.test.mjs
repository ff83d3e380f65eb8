// What a service author meets first (issue 25): errors that show what they have, durations
// rounded, the 429 said once, extra arguments refused, a client that closes, progress that counts
// every item.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import * as sp from 'scaleway_partner'
import { mockAndClient, clientOf, orgParams, rejection, waitFor, UNKNOWN_ID } from './helpers.mjs'

const { Client, ValidationError, ResourceNotFoundError, TooManyRequestsError, RequestCancelledError, APITimeoutError } = sp

const { mock, client } = await mockAndClient()

test('util.inspect shows the attributes of the class, not every attribute of every class', async () => {
  const notFound = await rejection(client.getOrganization(UNKNOWN_ID))
  assert.ok(notFound instanceof ResourceNotFoundError)
  const shown = inspect(notFound)
  assert.match(shown, /requestId: '/)
  assert.match(shown, /resourceId: /)
  for (const absent of ['field', 'attempts', 'elapsed', 'customerId', 'organizationIds', 'locationHost', 'undecodable']) {
    assert.doesNotMatch(shown, new RegExp(`\\b${absent}:`), absent)
  }
  const invalid = await rejection(client.createOrganization({ ...orgParams(), email: 'bad' }))
  assert.ok(invalid instanceof ValidationError)
  const own = Object.keys(invalid).filter((k) => k !== 'code')
  assert.deepEqual(own, ['field'])
  // Attributes of other classes still read as null, as before.
  assert.equal(invalid.requestId, null)
  assert.equal(invalid.status, null)
})

test('a 429 without a message says its status once', async () => {
  mock.injectFaults({ script: [{ fault: 'rate_limit', count: 1 }] })
  // A 429 is retried until the deadline: one shorter than the gateway's 1 s window surfaces it.
  const err = await rejection(client.getOrganization(UNKNOWN_ID, { totalTimeout: 900 }))
  assert.ok(err instanceof TooManyRequestsError, err.message)
  assert.equal(err.message.match(/429/g).length, 1, err.message)
})

test('durations are rounded to the microsecond', async () => {
  const events = []
  const observed = clientOf(mock, { hook: (e) => events.push(e) })
  await observed.getOrganization(UNKNOWN_ID).catch(() => {})
  const durations = events.filter((e) => e.duration !== null).map((e) => e.duration)
  assert.ok(durations.length > 0)
  for (const d of durations) assert.equal(Math.round(d * 1000) / 1000, d)
  const slow = clientOf(mock, { timeout: 50, maxRetries: 1 })
  mock.injectFaults({ script: [{ fault: 'slow', delayMs: 5_000, count: 2 }] })
  const timedOut = await rejection(slow.getOrganization(UNKNOWN_ID))
  assert.ok(timedOut instanceof APITimeoutError, timedOut.message)
  assert.equal(Math.round(timedOut.elapsed * 1000) / 1000, timedOut.elapsed)
  mock.clearFaults()
})

test('extra positional arguments are refused, naming the method', async () => {
  await assert.rejects(client.getOrganization(UNKNOWN_ID, {}, 'x'), {
    name: 'TypeError',
    message: 'getOrganization() takes at most 2 arguments, got 3',
  })
  await assert.rejects(client.withResponse().lockOrganization(UNKNOWN_ID, {}, 1), /lockOrganization\(\) takes at most 2/)
  assert.throws(() => client.listOrganizations({}, {}, 'x'), /listOrganizations\(\) takes at most 2 arguments, got 3/)
})

test('close() stops the client; await using closes it', async () => {
  const own = clientOf(mock)
  assert.equal(own.closed, false)
  await own.getOrganization(UNKNOWN_ID).catch(() => {})
  await own.close()
  assert.equal(own.closed, true)
  await assert.rejects(own.getOrganization(UNKNOWN_ID), RequestCancelledError)
  // The views of withResponse() close with it.
  await assert.rejects(own.withResponse().getOrganization(UNKNOWN_ID), RequestCancelledError)
  // A call with its own signal is closed too.
  await assert.rejects(own.getOrganization(UNKNOWN_ID, { signal: new AbortController().signal }), RequestCancelledError)
  const other = clientOf(mock)
  await other[Symbol.asyncDispose]()
  assert.equal(other.closed, true)
  // Closing one client leaves the others open.
  await assert.rejects(client.getOrganization(UNKNOWN_ID), ResourceNotFoundError)
})

test('a call in flight fails when its client is closed', async () => {
  mock.injectFaults({ script: [{ fault: 'slow', delayMs: 60_000, count: 1 }] })
  const own = clientOf(mock, { timeout: 120_000 })
  const call = own.getOrganization(UNKNOWN_ID)
  await waitFor(() => mock.stats().inFlight === 1, 'the call in flight')
  await own.close()
  await assert.rejects(call, RequestCancelledError)
  mock.clearFaults()
})

test('ensureOrganizations counts every request in its progress', async () => {
  const a = orgParams()
  const progress = []
  await client.ensureOrganizations([a, { ...a }, { ...a }], { concurrency: 4, onProgress: (p) => progress.push(p.done) })
  assert.deepEqual(progress, [1, 2, 3])
})

test('a Client constructor refuses what is not an option', () => {
  assert.throws(() => new Client({ secretKy: 'x' }), /did you mean 'secretKey'/)
})

test('logLevel and logger: retries warn, every request at debug; off by default', async () => {
  const lines = []
  const logger = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((l) => [l, (m) => lines.push([l, m])]))
  const warned = clientOf(mock, { logLevel: 'warn', logger, maxRetries: 1 })
  mock.injectFaults({ script: [{ fault: 'server_error', count: 1 }] })
  await assert.rejects(warned.getOrganization(UNKNOWN_ID), ResourceNotFoundError)
  assert.equal(lines.length, 1, JSON.stringify(lines))
  assert.equal(lines[0][0], 'warn')
  assert.match(lines[0][1], /get_organization GET \S+ \(attempt 1\) failed \(HTTP 50\d\); retrying in \d+ ms/)
  lines.length = 0
  const chatty = clientOf(mock, { logLevel: 'debug', logger })
  await assert.rejects(chatty.getOrganization(UNKNOWN_ID), ResourceNotFoundError)
  assert.deepEqual(lines.map(([l]) => l), ['debug', 'info'])
  assert.match(lines[1][1], /HTTP 404 in \d+ ms, request id /)
  lines.length = 0
  await assert.rejects(clientOf(mock, { logger }).getOrganization(UNKNOWN_ID), ResourceNotFoundError)
  assert.deepEqual(lines, [])
  assert.throws(() => clientOf(mock, { logLevel: 'verbose' }), /logLevel must be one of 'off', 'error'/)
  assert.throws(() => clientOf(mock, { logLevel: 'info', logger: {} }), /logger must have the method error\(\)/)
})

test('a missing default organization is explained in words a Node user writes', async (t) => {
  if (process.env.SCW_DEFAULT_ORGANIZATION_ID) return t.skip('SCW_DEFAULT_ORGANIZATION_ID is set here')
  const bare = new Client({ secretKey: mock.secretKey, apiUrl: mock.url, profile: undefined })
  const err = await rejection(bare.getOrganization())
  assert.ok(err instanceof ValidationError, err.message)
  assert.equal(err.field, 'id')
  assert.match(err.message, /SCW_DEFAULT_ORGANIZATION_ID/)
  assert.doesNotMatch(err.message, /default_organization_id/)
  const create = await rejection(bare.createOrganization(orgParams()))
  assert.equal(create.field, 'partnerId')
  assert.doesNotMatch(create.message, /default_organization_id/)
})

test('a call ended by AbortSignal.timeout says how long it ran', async () => {
  mock.injectFaults({ script: [{ fault: 'slow', delayMs: 30_000, count: 1 }] })
  const err = await rejection(client.getOrganization(UNKNOWN_ID, { signal: AbortSignal.timeout(50) }))
  assert.ok(err instanceof APITimeoutError, err.message)
  assert.equal(typeof err.elapsed, 'number')
  assert.ok(err.elapsed >= 0)
  assert.equal(Math.round(err.elapsed * 1000) / 1000, err.elapsed)
  assert.match(err.message, /after \d+ ms/)
  mock.clearFaults()
})

test('a call ended by its signal says how many attempts it made and how long it ran (the core\'s count)', async () => {
  mock.injectFaults({ script: [{ fault: 'slow', delayMs: 30_000, count: 2 }] })
  const timedOut = await rejection(client.getOrganization(UNKNOWN_ID, { signal: AbortSignal.timeout(50) }))
  assert.ok(timedOut instanceof APITimeoutError, timedOut.message)
  assert.equal(timedOut.attempts, 1, 'the one request sent before the signal fired')
  assert.ok(timedOut.elapsed > 0, `elapsed ${timedOut.elapsed}`)
  assert.match(inspect(timedOut), /attempts: 1,/)

  // Aborted by hand once its request is at the emulator: the same account, as a cancellation.
  mock.resetStats()
  const controller = new AbortController()
  const pending = rejection(client.getOrganization(UNKNOWN_ID, { signal: controller.signal }))
  await waitFor(() => mock.stats().requests > 0, 'the request at the emulator')
  controller.abort()
  const cancelled = await pending
  assert.ok(cancelled instanceof RequestCancelledError, cancelled.message)
  assert.equal(cancelled.attempts, 1)
  assert.ok(cancelled.elapsed > 0)

  // A signal aborted before the call: nothing was sent, nothing ran.
  const early = await rejection(client.getOrganization(UNKNOWN_ID, { signal: AbortSignal.abort() }))
  assert.equal(early.attempts, 0)
  assert.equal(early.elapsed, 0)
  mock.clearFaults()
})

test('a TransportError has a cause with the Node-style code of the failure', async () => {
  const { deadPort } = await import('./helpers.mjs')
  const port = await deadPort()
  const dead = new Client({ secretKey: mock.secretKey, apiUrl: `http://127.0.0.1:${port}`, maxRetries: 0 })
  const err = await rejection(dead.getOrganization(UNKNOWN_ID))
  assert.ok(err instanceof sp.TransportError, err.message)
  assert.equal(err.code, 'transport')
  assert.ok(err.cause instanceof Error)
  assert.equal(err.cause.code, 'ECONNREFUSED')
  assert.match(err.cause.message, /^ECONNREFUSED: /)
})
