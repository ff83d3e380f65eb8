// Transport security against a real TLS server, records a listing cannot read, and a thousand
// calls at once on one client (figures printed).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  Client,
  ConfigurationError,
  TransportError,
  UndecodableOrganizationsError,
  UnexpectedResponseError,
} from 'scaleway_partner'
import { startMock, clientOf } from './helpers.mjs'

function clientFor(mock, options = {}) {
  return new Client({
    apiUrl: mock.url,
    secretKey: mock.secretKey,
    defaultOrganizationId: mock.organizationId,
    rateLimit: 0,
    maxRetries: 0,
    ...options,
  })
}

test('TLS is verified by default, and trusted with caCert', async () => {
  const mock = await startMock({ tls: true, seedOrganizations: 3 })
  try {
    assert.match(mock.url, /^https:\/\/127\.0\.0\.1:/)
    const ca = mock.caCertificatePem
    assert.match(ca, /BEGIN CERTIFICATE/)
    const refused = await clientFor(mock).listOrganizations().page(1).then(
      () => assert.fail('an unknown authority was trusted'),
      (err) => err,
    )
    assert.ok(refused instanceof TransportError, `${refused}`)
    assert.match(refused.message, /certificate is not trusted/)
    assert.equal(mock.stats().requests, 0)
    assert.equal((await clientFor(mock, { caCert: ca }).listOrganizations().all()).length, 3)
    // The emulator's own client() trusts its authority.
    assert.equal((await mock.client().listOrganizations().page(1)).totalCount, 3)
    assert.throws(() => clientFor(mock, { caCert: 'not a certificate' }), ConfigurationError)
    console.log(`TLS: default refused (${refused.message}); caCert accepted`)
  } finally {
    await mock.close()
  }
})

test('a listing with an undecodable record loses none of the others', async () => {
  const mock = await startMock({ seedOrganizations: 5 })
  try {
    const client = clientOf(mock)
    const ids = (await client.listOrganizations().all()).map((o) => o.id)
    assert.ok(mock.patchRaw(ids[2], { set: { created_at: 'not a time' } }))
    const page = await client.listOrganizations().page(1)
    assert.equal(page.organizations.length, 4)
    assert.equal(page.undecodable.length, 1)
    assert.deepEqual({ ...page.undecodable[0], message: '' }, { page: 1, index: 2, id: ids[2], message: '' })
    assert.match(page.undecodable[0].message, /invalid timestamp/)

    const seen = []
    await assert.rejects(
      (async () => {
        for await (const org of client.listOrganizations()) seen.push(org.id)
      })(),
      (err) => {
        assert.ok(err instanceof UndecodableOrganizationsError, `${err}`)
        assert.deepEqual(err.organizations, [])
        assert.deepEqual(err.undecodable.map((u) => u.id), [ids[2]])
        return true
      },
    )
    assert.deepEqual(seen, ids.filter((id) => id !== ids[2]))

    await assert.rejects(client.listOrganizations().all(), (err) => {
      assert.ok(err instanceof UnexpectedResponseError)
      assert.ok(err instanceof UndecodableOrganizationsError)
      assert.equal(err.code, 'undecodable_organizations')
      assert.deepEqual(err.organizations.map((o) => o.id), seen)
      assert.ok(err.organizations[0].createdAt instanceof Date)
      assert.ok(err.message.includes(ids[2]))
      return true
    })
  } finally {
    await mock.close()
  }
})

test('a thousand concurrent calls on one client stay within the connection pool', async () => {
  const mock = await startMock({ seedOrganizations: 1, latency: { baseMs: 2 } })
  try {
    const client = clientOf(mock)
    const [org] = (await client.listOrganizations().page(1)).organizations
    mock.resetStats()
    const results = await Promise.allSettled(Array.from({ length: 1000 }, () => client.getOrganization(org.id)))
    const failed = results.filter((r) => r.status === 'rejected').length
    const stats = mock.stats()
    console.log(
      `Node, 1000 concurrent calls on one Client (maxConnections 32): ${failed} failed, ` +
        `${stats.connections} connections opened, ${stats.maxOpenConnections} open at most, ` +
        `${stats.maxInFlight} requests in flight at most`,
    )
    assert.equal(failed, 0)
    assert.equal(stats.byOperation.get_organization, 1000)
    assert.ok(stats.maxInFlight <= 32, JSON.stringify(stats))
    // A connection goes back to the pool a moment after its request slot is freed: a few more
    // may open meanwhile, never one per call.
    assert.ok(stats.maxOpenConnections <= 64, JSON.stringify(stats))
  } finally {
    await mock.close()
  }
})
