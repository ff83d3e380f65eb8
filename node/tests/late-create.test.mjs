// A gateway that answers 504 while the service still creates the organization (the emulator's
// apply_late fault) must never turn into a duplicate: the client does not post again, it looks
// for the organization over the settle window, and past it says CreateUnconfirmedError, after
// which ensureOrganization finds the organization that landed. Figures are printed as diagnostics.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateUnconfirmedError, ServerError } from 'scaleway_partner'
import { startMock, clientOf, orgParams, waitFor } from './helpers.mjs'

const N = 10

function lateCreates(delayMs) {
  return {
    script: [{ fault: 'apply_late', operation: 'create_organization', count: N, delayMs, status: 504 }],
  }
}

/** Every organization of the emulator's first partner. */
async function book(client) {
  return client.listOrganizations().all()
}

test('10 concurrent creations through late writes: 10 organizations, each to its caller, no duplicate', async (t) => {
  const mock = await startMock()
  try {
    const client = clientOf(mock, { maxRetries: 4 })
    const params = Array.from({ length: N }, () => orgParams())
    mock.injectFaults(lateCreates(2500))
    const started = performance.now()
    const orgs = await Promise.all(params.map((p) => client.createOrganization(p)))
    const wall = performance.now() - started
    for (const [i, org] of orgs.entries()) {
      assert.equal(org.customerId, params[i].customerId)
      assert.equal(org.email, params[i].email)
    }
    assert.equal(new Set(orgs.map((o) => o.id)).size, N)
    const listed = await book(client)
    assert.equal(listed.length, N)
    assert.deepEqual(new Set(listed.map((o) => o.id)), new Set(orgs.map((o) => o.id)))
    const stats = mock.stats()
    assert.equal(stats.lateApplied, N)
    // One POST each: never posted again while its fate was unknown.
    assert.equal(stats.byOperation.create_organization, N)
    t.diagnostic(
      `late writes (2500 ms, settle 30 s): ${orgs.length} creations returned, ${listed.length} organizations ` +
        `listed, wall ${Math.round(wall)} ms, ${stats.requests} requests ` +
        `(${stats.byOperation.create_organization} POST, ${stats.byOperation.list_organizations} listings)`,
    )
  } finally {
    await mock.close()
  }
})

test('late writes past a short createSettleTimeout: CreateUnconfirmedError, then ensureOrganization finds each', async (t) => {
  const mock = await startMock()
  try {
    const client = clientOf(mock, { maxRetries: 4, createSettleTimeout: 500 })
    const params = Array.from({ length: N }, () => orgParams())
    mock.injectFaults(lateCreates(4000))
    const started = performance.now()
    const outcomes = await Promise.allSettled(params.map((p) => client.createOrganization(p)))
    const wall = performance.now() - started
    const errors = outcomes.map((o) => (o.status === 'rejected' ? o.reason : null))
    for (const [i, err] of errors.entries()) {
      assert.ok(err instanceof CreateUnconfirmedError, `creation ${i}: ${err?.name}: ${err?.message}`)
      assert.equal(err.code, 'create_unconfirmed')
      assert.equal(err.customerId, params[i].customerId)
      assert.equal(err.email, params[i].email)
      assert.ok(err.cause instanceof ServerError)
      assert.equal(err.cause.status, 504)
      // Status and request ID are the failure's that left the outcome unknown.
      assert.equal(err.status, 504)
      assert.equal(err.requestId, err.cause.requestId)
    }
    const rightAfter = (await book(client)).length
    assert.equal(rightAfter, 0)
    const unconfirmedStats = mock.stats()
    assert.equal(unconfirmedStats.byOperation.create_organization, N)

    await waitFor(() => mock.stats().lateApplied >= N, 'the 10 late writes to land')
    const ensured = await Promise.all(params.map((p) => client.ensureOrganization(p)))
    for (const [i, e] of ensured.entries()) {
      assert.equal(e.created, false)
      assert.equal(e.organization.customerId, params[i].customerId)
    }
    const listed = await book(client)
    assert.equal(listed.length, N)
    const stats = mock.stats()
    assert.equal(stats.byOperation.create_organization, N)
    t.diagnostic(
      `late writes (4000 ms, settle 500 ms): ${errors.length} CreateUnconfirmedError in ${Math.round(wall)} ms ` +
        `(${unconfirmedStats.requests} requests), ${rightAfter} organizations right after; after ` +
        `lateApplied=${stats.lateApplied}: ensureOrganization created ${ensured.filter((e) => e.created).length}, ` +
        `found ${ensured.filter((e) => !e.created).length}, ${listed.length} organizations listed, ` +
        `${stats.requests} requests in all (${stats.byOperation.create_organization} POST)`,
    )
  } finally {
    await mock.close()
  }
})

test('a late write through a reset connection is found as well', async () => {
  const mock = await startMock()
  try {
    const client = clientOf(mock)
    mock.injectFaults({ script: [{ fault: 'apply_late', operation: 'create_organization', delayMs: 300, reset: true }] })
    const params = orgParams()
    const org = await client.createOrganization(params)
    assert.equal(org.customerId, params.customerId)
    assert.equal((await book(client)).length, 1)
  } finally {
    await mock.close()
  }
})

test('retryUnconfirmedCreates posts again past the settle window (and may duplicate: why it is opt-in)', async () => {
  const mock = await startMock()
  try {
    const client = clientOf(mock, { maxRetries: 1, createSettleTimeout: 300, retryUnconfirmedCreates: true })
    mock.injectFaults({ script: [{ fault: 'apply_late', operation: 'create_organization', delayMs: 4000 }] })
    const params = orgParams()
    const org = await client.createOrganization(params)
    assert.equal(org.customerId, params.customerId)
    assert.equal(mock.stats().byOperation.create_organization, 2)
    await waitFor(() => mock.stats().lateApplied >= 1, 'the late write to land')
    assert.equal((await client.listOrganizations({ customerId: params.customerId }).all()).length, 2)
  } finally {
    await mock.close()
  }
})
