// ensureOrganization(s): create-if-absent keyed on customerId, conflicts named, batches that never
// race themselves into a duplicate.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConflictError, ScalewayError, ValidationError } from 'scaleway_partner'
import { mockAndClient, orgParams } from './helpers.mjs'

const { mock, client } = await mockAndClient()

test('ensureOrganization creates once, then finds the same organization', async () => {
  const params = orgParams()
  const first = await client.ensureOrganization(params)
  assert.equal(first.created, true)
  assert.equal(first.organization.customerId, params.customerId)
  assert.ok(first.organization.createdAt instanceof Date)
  const before = mock.stats().byOperation.create_organization
  // The owner email matches case aside.
  const again = await client.ensureOrganization({ ...params, email: params.email.toUpperCase() })
  assert.equal(again.created, false)
  assert.deepEqual(again.organization, first.organization)
  assert.equal(mock.stats().byOperation.create_organization, before)
})

test('ConflictError: another owner email, or several organizations with the customer ID; nothing created', async () => {
  const params = orgParams()
  const { organization } = await client.ensureOrganization(params)
  const count = () => client.listOrganizations({ customerId: params.customerId }).all()

  let err
  await assert.rejects(client.ensureOrganization({ ...params, email: 'someone.else@example.test' }), (e) => {
    err = e
    return e instanceof ConflictError
  })
  assert.ok(err instanceof ScalewayError)
  assert.equal(err.code, 'conflict')
  assert.equal(err.customerId, params.customerId)
  assert.deepEqual(err.organizationIds, [organization.id])
  assert.equal((await count()).length, 1)

  const twin = await client.createOrganization({ ...params, organizationName: 'Twin Ltd' })
  await assert.rejects(client.ensureOrganization(params), (e) => {
    err = e
    return e instanceof ConflictError
  })
  assert.deepEqual(new Set(err.organizationIds), new Set([organization.id, twin.id]))
  assert.equal((await count()).length, 2)
})

test('ensureOrganization without a customerId is refused locally', async () => {
  const { customerId, ...params } = orgParams()
  void customerId
  const before = mock.stats().requests
  await assert.rejects(client.ensureOrganization(params), (e) => e instanceof ValidationError && e.field === 'customerId')
  assert.equal(mock.stats().requests, before)
})

test('ensureOrganizations: one result per request in order, shared customer IDs handled in turn, progress to the end', async () => {
  const a = orgParams()
  const b = orgParams()
  const requests = [a, b, { ...a }, orgParams({ email: 'bad' }), { ...b, email: 'other@example.test' }]
  const progress = []
  const results = await client.ensureOrganizations(requests, {
    concurrency: 4,
    onProgress: (p) => progress.push(p),
  })
  assert.equal(results.length, requests.length)
  assert.equal(results[0].created, true)
  assert.equal(results[1].created, true)
  assert.equal(results[2].created, false)
  assert.equal(results[2].organization.id, results[0].organization.id)
  assert.ok(results[3] instanceof ValidationError)
  assert.equal(results[3].field, 'email')
  assert.ok(results[4] instanceof ConflictError)
  assert.deepEqual(results[4].organizationIds, [results[1].organization.id])
  assert.deepEqual(progress.at(-1), { done: requests.length, total: requests.length })
  assert.equal((await client.listOrganizations({ customerId: a.customerId }).all()).length, 1)
})

test('ensureOrganizations arguments of the wrong type are TypeErrors', async () => {
  await assert.rejects(client.ensureOrganizations(orgParams()), TypeError)
  await assert.rejects(client.ensureOrganizations(['not an object']), TypeError)
  await assert.rejects(client.ensureOrganizations([orgParams(), null]), TypeError)
  await assert.rejects(client.ensureOrganizations([], { onProgress: 5 }), TypeError)
  assert.deepEqual(await client.ensureOrganizations([]), [])
})
