// Bulk lock/unlock/get: one result per ID in input order, errors as values, progress.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import {
  PreconditionFailedError,
  ResourceNotFoundError,
  ScalewayError,
  ValidationError,
} from 'scaleway_partner'
import { mockAndClient, startMock, clientOf, orgParams, UNKNOWN_ID } from './helpers.mjs'

const { client } = await mockAndClient()
let ids

before(async () => {
  ids = []
  for (let i = 0; i < 6; i++) ids.push((await client.createOrganization(orgParams())).id)
})

test('lockOrganizations: results in input order, failures as error instances', async () => {
  const input = [ids[0], UNKNOWN_ID, ids[1], 'not-a-uuid', ids[2]]
  const results = await client.lockOrganizations(input, { concurrency: 2 })
  assert.equal(results.length, input.length)
  assert.equal(results[0].id, ids[0])
  assert.equal(results[0].lockedBy, 'partner')
  assert.ok(results[1] instanceof ResourceNotFoundError)
  assert.ok(results[1] instanceof ScalewayError)
  assert.equal(results[1].status, 404)
  assert.equal(results[2].id, ids[1])
  assert.ok(results[3] instanceof ValidationError)
  assert.equal(results[3].field, 'id')
  assert.equal(results[4].id, ids[2])
})

test('unlockOrganizations: the ones not locked by the partner fail alone', async () => {
  const results = await client.unlockOrganizations([ids[0], ids[5], ids[1]])
  assert.equal(results[0].lockedBy, 'scaleway')
  assert.ok(results[1] instanceof PreconditionFailedError)
  assert.equal(results[1].precondition, 'organization_locked_by_partner')
  assert.equal(results[2].id, ids[1])
})

test('getOrganizations reports progress to the end before resolving', async () => {
  const reports = []
  const results = await client.getOrganizations(ids, {
    concurrency: 3,
    onProgress: (p) => reports.push(p),
  })
  assert.deepEqual(
    results.map((o) => o.id),
    ids,
  )
  assert.equal(reports.length, ids.length)
  assert.deepEqual(
    reports.map((p) => p.done),
    [1, 2, 3, 4, 5, 6],
  )
  assert.ok(reports.every((p) => p.total === ids.length))
})

test('bulk operations pass the client concurrency to the emulator', async () => {
  const slow = await startMock({ latency: { baseMs: 50 } })
  try {
    const c = clientOf(slow)
    const own = []
    for (let i = 0; i < 8; i++) own.push((await c.createOrganization(orgParams())).id)
    slow.resetStats()
    await c.getOrganizations(own, { concurrency: 2 })
    assert.equal(slow.stats().maxInFlight, 2)
    slow.resetStats()
    await c.getOrganizations(own, { concurrency: 8 })
    assert.ok(slow.stats().maxInFlight > 2)
  } finally {
    await slow.close()
  }
})

test('bulk arguments of the wrong type are TypeErrors', async () => {
  await assert.rejects(client.getOrganizations('abc'), TypeError)
  await assert.rejects(client.getOrganizations([1, 2]), TypeError)
  await assert.rejects(client.getOrganizations(ids, { onProgress: 'yes' }), TypeError)
  await assert.rejects(client.getOrganizations(ids, { concurrency: 'many' }), TypeError)
  assert.deepEqual(await client.getOrganizations([]), [])
})
