// client.plan and client.apply: the core's plan as the JSON document Python reads, apply with a
// journal, invalid records, and an aborted apply (the rules themselves are tested in Rust).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ValidationError, RequestCancelledError } from 'scaleway_partner'
import { mockAndClient } from './helpers.mjs'

const { client } = await mockAndClient()

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

test('an aborted apply rejects with the outcome so far', async () => {
  const tag = Math.random().toString(36).slice(2, 8)
  const wanted = Array.from({ length: 6 }, (_, i) => record(`n-abort-${tag}-${i}`, i))
  const plan = await client.plan(wanted)
  const controller = new AbortController()
  controller.abort()
  await assert.rejects(client.apply(plan, { signal: controller.signal }), (err) => {
    assert.ok(err instanceof RequestCancelledError)
    return true
  })
})
