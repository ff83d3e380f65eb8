// What keeps the key and the book safe: writes name their target, redirects are refused, plain
// http:// only to this machine, whole-call time limits, and listings that cannot be listings.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import {
  Client,
  ConfigurationError,
  ListingChangedError,
  RedirectError,
  APITimeoutError,
  ValidationError,
} from 'scaleway_partner'
import { mockAndClient, clientOf, orgParams } from './helpers.mjs'

const { mock, client } = await mockAndClient()
let org

before(async () => {
  org = await client.createOrganization(orgParams())
})

/** Asserts `promise` rejects with an instance of `cls`; returns the error. */
async function rejection(promise, cls) {
  let caught
  await assert.rejects(promise, (err) => {
    caught = err
    return true
  })
  assert.ok(caught instanceof cls, `${caught?.name}: ${caught?.message} is not a ${cls.name}`)
  return caught
}

test('writes without an organization ID (undefined, null, empty) are refused locally, naming organization_id', async () => {
  const writes = {
    updateOrganization: (id) => client.updateOrganization(id, { name: 'Renamed' }),
    lockOrganization: (id) => client.lockOrganization(id),
    unlockOrganization: (id) => client.unlockOrganization(id),
    requestAdminRole: (id) =>
      client.requestAdminRole(id, { username: 'jane', email: 'jane@example.test', password: 'pw' }),
  }
  const before = mock.stats().requests
  for (const [name, write] of Object.entries(writes)) {
    for (const id of [undefined, null, '']) {
      const err = await rejection(write(id), ValidationError)
      assert.equal(err.field, 'id', `${name}(${JSON.stringify(id)})`)
      assert.equal(err.code, 'validation')
    }
  }
  // Nothing was sent: no write ever falls back to the default organization ID.
  assert.equal(mock.stats().requests, before)
  // Reads keep their default: the partner's own organization.
  assert.equal((await client.getOrganization()).id, mock.organizationId)
})

test('a redirect is never followed: RedirectError with the status and host, one request', async () => {
  const c = clientOf(mock, { maxRetries: 3 })
  mock.resetStats()
  mock.injectFaults({ script: [{ fault: 'redirect' }] })
  const err = await rejection(c.getOrganization(org.id), RedirectError)
  assert.equal(err.code, 'redirect')
  assert.equal(err.status, 307)
  // The emulator redirects to itself under its other local name.
  assert.equal(err.locationHost, 'localhost')
  assert.equal(mock.stats().requests, 1)

  mock.injectFaults({ script: [{ fault: 'redirect', status: 308, location: 'https://collector.example.test/steal' }] })
  const write = await rejection(c.lockOrganization(org.id), RedirectError)
  assert.equal(write.status, 308)
  assert.equal(write.locationHost, 'collector.example.test')
  assert.equal(mock.stats().requests, 2)
})

test('plain http:// to another host is a ConfigurationError at construction unless allowInsecureHttp', () => {
  const options = { apiUrl: 'http://partner-api.example.test', secretKey: mock.secretKey }
  assert.throws(
    () => new Client(options),
    (err) => err instanceof ConfigurationError && err.code === 'configuration' && /clear text/.test(err.message),
  )
  const allowed = new Client({ ...options, allowInsecureHttp: true })
  assert.equal(allowed.apiUrl, 'http://partner-api.example.test')
  assert.equal(new Client({ ...options, apiUrl: 'https://partner-api.example.test' }).apiUrl, 'https://partner-api.example.test')
  // This machine is always allowed.
  assert.equal(new Client({ ...options, apiUrl: mock.url }).apiUrl, mock.url)
})

test('totalTimeout bounds a whole call, retries included; per call too', async () => {
  const patient = clientOf(mock, { maxRetries: 10, timeout: 5000, totalTimeout: 600 })
  mock.injectFaults({ script: [{ fault: 'server_error', count: 11, operation: 'get_organization' }] })
  const err = await rejection(patient.getOrganization(org.id), APITimeoutError)
  assert.equal(err.code, 'timeout')
  mock.clearFaults()

  const c = clientOf(mock, { maxRetries: 10 })
  mock.injectFaults({ script: [{ fault: 'server_error', count: 11, operation: 'get_organization' }] })
  await rejection(c.getOrganization(org.id, { totalTimeout: 600 }), APITimeoutError)
  mock.clearFaults()
  assert.equal((await c.getOrganization(org.id, { totalTimeout: 10_000 })).id, org.id)
})

test('the new options are checked by the core: bad values name the option as JS spells it', async () => {
  const base = { apiUrl: mock.url, secretKey: mock.secretKey }
  for (const [option, value] of [
    ['totalTimeout', 0],
    ['totalTimeout', -5],
    ['createSettleTimeout', Number.NaN],
  ]) {
    assert.throws(
      () => new Client({ ...base, [option]: value }),
      (err) => err instanceof ConfigurationError && err.message.includes(option),
      `${option}: ${value}`,
    )
  }
  for (const [option, value] of [
    ['retryUnconfirmedCreates', 'yes'],
    ['allowInsecureHttp', 1],
  ]) {
    assert.throws(() => new Client({ ...base, [option]: value }), TypeError, option)
  }
  const err = await rejection(client.getOrganization(org.id, { totalTimeout: 0 }), ValidationError)
  assert.equal(err.field, 'totalTimeout')
  // Too large for a duration: refused, not a crash of the process.
  assert.throws(() => new Client({ ...base, timeout: 1e300 }), ConfigurationError)
  const huge = await rejection(client.getOrganization(org.id, { totalTimeout: 1e300 }), ValidationError)
  assert.equal(huge.field, 'totalTimeout')
  // A settle window of zero is meaningful: one look, at once.
  assert.equal(new Client({ ...base, createSettleTimeout: 0 }).apiUrl, mock.url)
})

test('a server that ignores the page parameter is a ListingChangedError, not an endless listing', async () => {
  const wire = {
    id: '0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8',
    name: 'Always the same',
    email: 'same@example.test',
    status: 'opened',
    locked_by: 'unknown_locked_by',
    locked_at: null,
    lock_reason_message: '',
    created_at: '2026-01-01T00:00:00Z',
    customer_id: 'same',
    owner_firstname: 'Jane',
    owner_lastname: 'Doe',
    phone_number: null,
    picture_link: null,
    siren_number: null,
    comment: '',
  }
  let requests = 0
  const server = http.createServer((req, res) => {
    requests += 1
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ organizations: [wire], total_count: 5 }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const c = new Client({
      apiUrl: `http://127.0.0.1:${server.address().port}`,
      secretKey: mock.secretKey,
      rateLimit: 0,
      maxRetries: 0,
      // No read-ahead: the requests counted are exactly those the cursor reads.
      pageConcurrency: 1,
    })
    const seen = []
    const err = await rejection(
      (async () => {
        for await (const o of c.listOrganizations({ pageSize: 1 })) seen.push(o.id)
      })(),
      ListingChangedError,
    )
    assert.equal(err.code, 'listing_changed')
    assert.deepEqual(seen, [wire.id])
    assert.equal(requests, 2)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})
