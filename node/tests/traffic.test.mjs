// What a caller sees of the traffic: the `hook` option, `withResponse()`, `defaultHeaders` and
// `proxy` (the core does the work; these check the Node shapes: camelCase, milliseconds).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { Client, ConfigurationError } from 'scaleway_partner'
import { startMock, clientOf, orgParams, UNKNOWN_ID, waitFor } from './helpers.mjs'

let mock
before(async () => {
  mock = await startMock()
})
after(() => mock.close())

/** A local HTTP server answering 404 as the API would, recording what it received. */
async function recorder() {
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers })
    res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'rec-1' })
    res.end(JSON.stringify({ type: 'not_found', message: 'resource is not found', resource: 'organization' }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { seen, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) }
}

test('hook: request, response and retry events in order, camelCase, durations in milliseconds, never the key', async () => {
  const events = []
  const client = clientOf(mock, { maxRetries: 1, hook: (e) => events.push(e) })
  mock.injectFaults({ script: [{ fault: 'server_error', count: 1, operation: 'get_organization' }] })
  await assert.rejects(client.getOrganization(UNKNOWN_ID))
  await waitFor(() => events.length === 5, 'five events')
  assert.deepEqual(
    events.map((e) => [e.event, e.attempt, e.status, e.error]),
    [
      ['request', 1, null, null],
      ['response', 1, events[1].status, 'server_error'],
      ['retry', 1, events[1].status, 'server_error'],
      ['request', 2, null, null],
      ['response', 2, 404, 'not_found'],
    ],
  )
  for (const e of events) {
    assert.equal(e.operation, 'get_organization')
    assert.equal(e.method, 'GET')
    assert.equal(e.path, `/partner/v1/organizations/${UNKNOWN_ID}`)
  }
  assert.ok(events[4].duration > 0 && typeof events[4].requestId === 'string')
  assert.ok(!JSON.stringify(events).includes(mock.secretKey))
})

test("a retry's delay is in milliseconds: the server's 1 s wait is 1000 and more", async () => {
  const json = await startMock({ rateLimitStyle: 'json', rateLimit: 1000 })
  try {
    const events = []
    const client = clientOf(json, { maxRetries: 1, hook: (e) => events.push(e) })
    json.injectFaults({ script: [{ fault: 'rate_limit' }] })
    await assert.rejects(client.getOrganization(UNKNOWN_ID))
    await waitFor(() => events.some((e) => e.event === 'retry'), 'the retry event')
    const retry = events.find((e) => e.event === 'retry')
    assert.equal(retry.status, 429)
    assert.ok(retry.delay >= 1000 && retry.delay < 2000, `delay ${retry.delay}`)
  } finally {
    await json.close()
  }
})

test('a hook that throws becomes a process warning; the call is not disturbed', async () => {
  const warnings = []
  const onWarning = (w) => warnings.push(w)
  process.on('warning', onWarning)
  try {
    const client = clientOf(mock, {
      hook: () => {
        throw new Error('boom')
      },
    })
    const org = await client.createOrganization(orgParams())
    assert.equal((await client.getOrganization(org.id)).id, org.id)
    await waitFor(() => warnings.length > 0, 'a warning')
    assert.equal(warnings[0].name, 'ScalewayPartnerHookWarning')
    assert.equal(warnings[0].cause.message, 'boom')
  } finally {
    process.off('warning', onWarning)
  }
  assert.throws(() => clientOf(mock, { hook: 'log' }), /^TypeError: hook must be a function, got string$/)
})

test('withResponse(): every method resolves to { data, response } with the status, request ID and headers', async () => {
  const client = clientOf(mock)
  const created = await client.withResponse().createOrganization(orgParams())
  assert.equal(created.response.status, 200)
  assert.equal(created.response.requestId, created.response.headers['x-request-id'])
  const { data, response } = await client.withResponse().getOrganization(created.data.id)
  assert.equal(data.id, created.data.id)
  assert.match(response.requestId, /^[0-9a-f-]{36}$/)
  assert.notEqual(response.requestId, created.response.requestId)
  const bulk = await client.withResponse().getOrganizations([created.data.id])
  assert.equal(bulk.data[0].id, created.data.id)
  assert.equal(bulk.response.status, 200)
  // Errors are still thrown, with their own request ID.
  await assert.rejects(client.withResponse().getOrganization(UNKNOWN_ID), (err) => typeof err.requestId === 'string')
})

test('defaultHeaders go with every request; the client refuses to replace its own', async () => {
  const api = await recorder()
  try {
    const client = new Client({ apiUrl: api.url, secretKey: mock.secretKey, maxRetries: 0, defaultHeaders: { 'x-tenant': 'acme' } })
    await assert.rejects(client.getOrganization(UNKNOWN_ID))
    assert.equal(api.seen[0].headers['x-tenant'], 'acme')
  } finally {
    await api.close()
  }
  assert.throws(
    () => clientOf(mock, { defaultHeaders: { 'User-Agent': 'mine' } }),
    (err) => err instanceof ConfigurationError && err.message.includes('defaultHeaders'),
  )
})

test('proxy: every request goes through it, loopback included; a bad URL names the option, not the value', async () => {
  const proxy = await recorder()
  try {
    const client = clientOf(mock, { proxy: proxy.url })
    await assert.rejects(client.getOrganization(UNKNOWN_ID))
    // A proxy gets the absolute URL of the API.
    assert.equal(proxy.seen[0].url, `${mock.url}/partner/v1/organizations/${UNKNOWN_ID}`)
  } finally {
    await proxy.close()
  }
  assert.throws(
    () => clientOf(mock, { proxy: 'not a url with-secret' }),
    (err) => err instanceof ConfigurationError && err.message.includes('proxy') && !err.message.includes('with-secret'),
  )
})
