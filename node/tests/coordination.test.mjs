// Exactly one organization per customer however many callers at once (issue 23): 25 ensures for
// 5 customers give 5 organizations from Promise.all on one client, and from 5 child processes of
// this machine, against an emulator whose create takes 400 ms. Before, each made 25.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { Client, ConfigurationError, CoordinationError, ScalewayError } from 'scaleway_partner'
import { startMock, clientOf, CUSTOMERS, customerParams as params, oneOrganizationEach } from './helpers.mjs'

// Run as a child process (`node coordination.test.mjs child URL KEY ORG`): ensures every
// customer at once with a client of its own (machine coordination, the default), prints JSON.
if (process.argv[2] === 'child') {
  const [url, secretKey, defaultOrganizationId] = process.argv.slice(3)
  const client = new Client({ apiUrl: url, secretKey, defaultOrganizationId, rateLimit: 0 })
  const ensured = await Promise.all(CUSTOMERS.map((c) => client.ensureOrganization(params(c))))
  console.log(JSON.stringify(ensured.map((e) => [e.organization.customerId, e.organization.id, e.created])))
} else {
  test('Promise.all of 25 ensures for 5 customers on one client: 5 organizations', async () => {
    const mock = await startMock({ latency: { createMs: 400 } })
    try {
      const client = clientOf(mock)
      const calls = []
      for (let round = 0; round < 5; round += 1) {
        for (const c of CUSTOMERS) calls.push(client.ensureOrganization(params(c)))
      }
      const ensured = await Promise.all(calls)
      await oneOrganizationEach(
        mock,
        ensured.map((e) => [e.organization.customerId, e.organization.id, e.created]),
      )
    } finally {
      mock.close()
    }
  })

  test('5 child processes ensuring the same 5 customers: 5 organizations', async () => {
    const mock = await startMock({ latency: { createMs: 400 } })
    try {
      const script = fileURLToPath(import.meta.url)
      const args = [script, 'child', mock.url, mock.secretKey, mock.organizationId]
      const runs = await Promise.all(
        Array.from({ length: 5 }, () => promisify(execFile)(process.execPath, args)),
      )
      const got = runs.flatMap(({ stdout }) => JSON.parse(stdout))
      assert.equal(got.length, 25)
      await oneOrganizationEach(mock, got)
    } finally {
      mock.close()
    }
  })

  test('coordination is checked by the core, named as JavaScript spells it', async () => {
    const mock = await startMock()
    try {
      assert.throws(() => clientOf(mock, { coordination: 'cluster' }), (err) => {
        assert.ok(err instanceof ConfigurationError)
        assert.match(err.message, /coordination/)
        return true
      })
      for (const value of ['machine', 'process']) clientOf(mock, { coordination: value })
    } finally {
      mock.close()
    }
  })

  test('CoordinationError is a ScalewayError with its code', () => {
    const err = new CoordinationError('lost')
    assert.ok(err instanceof ScalewayError)
    assert.equal(err.code, 'coordination')
  })
}
