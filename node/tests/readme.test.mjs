// The README's MockServer example, as written there, so that it stays true.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MockServer } from 'scaleway_partner/testing'

test('locking a customer', async () => {
  const mock = await MockServer.start({ seedOrganizations: 10, latency: { baseMs: 20 } })
  try {
    const client = mock.client() // bound to mock.url, mock.secretKey, mock.organizationId
    const [first] = (await client.listOrganizations().page(1)).organizations
    const locked = await client.lockOrganization(first.id)
    assert.equal(locked.lockedBy, 'partner')

    mock.injectFaults({ script: [{ fault: 'server_error', count: 1 }] })
    await client.getOrganization(first.id) // retried through the 502/503
    assert.equal(mock.stats().faultsInjected, 1)
  } finally {
    await mock.close()
  }
})
