// client.plan and client.apply: the core's plan as the JSON document Python reads, apply with a
// journal, invalid records, and an aborted apply (the rules themselves are tested in Rust).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { APITimeoutError, ValidationError, RequestCancelledError } from 'scaleway_partner'
import { mockAndClient, rejection, waitFor } from './helpers.mjs'

const { mock, client } = await mockAndClient()

const record = (customer, n, extra = {}) => ({
  customer_id: customer,
  email: `owner${n}@${customer}.test`,
  organization_name: `Customer ${n}`,
  owner_firstname: 'Jane',
  owner_lastname: 'Doe',
  ...extra,
})

const params = (r) => ({
  customerId: r.customer_id,
  email: r.email,
  organizationName: r.organization_name,
  ownerFirstname: r.owner_firstname,
  ownerLastname: r.owner_lastname,
})

test('plan then apply with a journal brings the book in line; a second apply sends nothing', async () => {
  const tag = Math.random().toString(36).slice(2, 8)
  const drift = record(`n-drift-${tag}`, 1)
  const unpaid = record(`n-unpaid-${tag}`, 2)
  await client.createOrganization(params(drift))
  await client.createOrganization(params(unpaid))
  const wanted = [
    { ...drift, organization_name: 'Customer 1 SAS' },
    { ...unpaid, state: 'suspended' },
    record(`n-new-${tag}`, 3, { comment: 'annual billing' }),
  ]
  const plan = await client.plan(wanted)
  const mine = plan.actions.filter((a) => a.customer_id.endsWith(tag))
  assert.deepEqual(mine.map((a) => a.kind).sort(), ['create', 'lock', 'update'])
  const update = mine.find((a) => a.kind === 'update')
  assert.deepEqual(update.changes, [{ field: 'name', before: 'Customer 1', after: 'Customer 1 SAS' }])
  assert.equal(plan.version, 1)

  const journal = join(mkdtempSync(join(tmpdir(), 'plan-')), 'apply.journal')
  const seen = []
  const outcome = await client.apply(plan, { journal, onProgress: (p) => seen.push(p.done) })
  assert.ok(outcome.results.every((r) => r.status === 'done'), JSON.stringify(outcome))
  assert.equal(seen.at(-1), plan.actions.length)
  assert.equal(JSON.parse(readFileSync(journal, 'utf8').split('\n')[0]).plan_id, plan.id)
  const again = await client.apply(plan, { journal })
  assert.ok(again.results.every((r) => r.status === 'already_done'))
  const after = await client.plan(wanted)
  assert.equal(after.actions.filter((a) => a.customer_id.endsWith(tag)).length, 0)
})

test('an invalid record rejects with a ValidationError naming the row and the field', async () => {
  await assert.rejects(client.plan([record('n-1', 1), record('n-2', 2, { email: 'nope' })]), (err) => {
    assert.ok(err instanceof ValidationError)
    assert.equal(err.field, 'email')
    assert.match(err.message, /row 2/)
    return true
  })
  await assert.rejects(client.plan('customers.csv'), TypeError)
})

// An interrupted apply: one update done, then locks, the first held by the emulator (slow)
// until the interruption; one action at a time, so the others never start.
async function heldApply(cut) {
  const tag = Math.random().toString(36).slice(2, 8)
  const wanted = []
  for (const [n, name] of ['a', 'b', 'c', 'd'].entries()) {
    const r = record(`n-held-${tag}-${name}`, n)
    await client.createOrganization(params(r))
    wanted.push(n === 0 ? { ...r, organization_name: 'Renamed' } : { ...r, state: 'suspended' })
  }
  const plan = await client.plan(wanted)
  const mine = { ...plan, actions: plan.actions.filter((a) => a.customer_id.includes(tag)) }
  assert.deepEqual(
    mine.actions.map((a) => a.kind),
    ['update', 'lock', 'lock', 'lock'],
  )
  mock.injectFaults({ script: [{ fault: 'slow', delayMs: 60_000, operation: 'lock_organization' }] })
  const before = mock.stats().byOperation.lock_organization ?? 0
  const held = () => mock.stats().inFlight === 1 && mock.stats().byOperation.lock_organization === before + 1
  try {
    return await rejection(cut(mine, held))
  } finally {
    mock.clearFaults()
  }
}

function checkInterrupted(err, code) {
  assert.equal(err.code, code, String(err))
  const { outcome } = err
  assert.ok(outcome, 'the outcome so far is on the error')
  assert.deepEqual(
    outcome.results.map((r) => [r.kind, r.status]),
    [
      ['update', 'done'],
      ['lock', 'failed'],
      ['lock', 'not_started'],
      ['lock', 'not_started'],
    ],
  )
  assert.equal(outcome.results[1].error.code, code)
  assert.match(outcome.text, /1 done, 0 already done, 0 stale, 1 failed, 2 not started/)
}

test('an apply aborted mid-way rejects with what was done, failed and not started', async () => {
  const controller = new AbortController()
  const err = await heldApply(async (plan, held) => {
    const applying = client.apply(plan, { signal: controller.signal, concurrency: 1 })
    await waitFor(held, 'the first lock to be held')
    controller.abort()
    return applying
  })
  assert.ok(err instanceof RequestCancelledError)
  assert.equal(err.cause, controller.signal.reason)
  checkInterrupted(err, 'cancelled')
})

test('an apply past its totalTimeout rejects with its outcome', async () => {
  const err = await heldApply((plan) => client.apply(plan, { concurrency: 1 }, { totalTimeout: 2000 }))
  assert.ok(err instanceof APITimeoutError)
  checkInterrupted(err, 'timeout')
})

test('an apply aborted before it starts rejects at once', async () => {
  const plan = await client.plan([record(`n-abort-${Math.random().toString(36).slice(2, 8)}`, 1)])
  const controller = new AbortController()
  controller.abort()
  await assert.rejects(client.apply(plan, { signal: controller.signal }), RequestCancelledError)
})
