// The secret key and the admin-role password (issue 14, item 4), in what Node exposes: the
// package writes no logs, so what can leak is what it shows. Every operation including
// requestAdminRole, and every error path the emulator can produce: neither secret appears in
// util.inspect of a client, value or error (with its cause), an error's message, stack or JSON,
// the audit report, nor what the process writes to stdout/stderr; a panic of the addon rejects
// the promise (or throws) instead of crashing the process.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { inspect } from 'node:util'
import { Client, ScalewayError, ServerError, ValidationError, ConfigurationError, DeniedAuthenticationError } from 'scaleway_partner'
import { MockServer } from 'scaleway_partner/testing'
import { rejection } from './helpers.mjs'

// The addon itself, for its test-only panic hooks (not part of the package's API).
const native = createRequire(import.meta.url)('../native.js')

const KEY = '5ec2e7a1-4b1d-4c3e-9f00-0123456789ab'
const ORG = '7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e'
const PASSWORD = 'Tr0ub4dor-and-correct-horse'
const ADMIN = { username: 'partner.admin', email: 'admin@partner.test', password: PASSWORD }
const FAULTS = [
  { fault: 'server_error' },
  { fault: 'reset_after' },
  { fault: 'truncate' },
  { fault: 'rate_limit', count: 5 },
  { fault: 'error', status: 429, count: 5, body: { type: 'too_many_requests', message: 'q' } },
  { fault: 'redirect' },
  { fault: 'apply_late', delayMs: 50 },
  { fault: 'error', status: 400, body: { type: 'invalid_arguments', message: 'bad' } },
]

const forms = (secret) => [secret, secret.toUpperCase(), secret.replaceAll('-', '')]

/** Everything an error shows: inspect (with its cause), message, stack, JSON, attributes. */
function shown(err) {
  return [inspect(err, { depth: 10, showHidden: true }), String(err), err.stack, JSON.stringify(err), JSON.stringify(err.cause ?? null)].join('\n')
}

test('secrets stay out of everything Node shows', async () => {
  const printed = []
  const written = []
  const write = { out: process.stdout.write, err: process.stderr.write }
  process.stdout.write = (chunk, ...rest) => (written.push(String(chunk)), write.out.call(process.stdout, chunk, ...rest))
  process.stderr.write = (chunk, ...rest) => (written.push(String(chunk)), write.err.call(process.stderr, chunk, ...rest))
  const mock = await MockServer.start({ rateLimit: 0, partners: [{ secretKey: KEY, organizationId: ORG }] })
  try {
    printed.push(inspect(mock, { showHidden: true }))
    const client = mock.client({ createSettleTimeout: 100 })
    printed.push(inspect(client, { showHidden: true, depth: 10 }))
    const params = {
      email: 'owner@secrets.test',
      organizationName: 'Secrets',
      ownerFirstname: 'Jane',
      ownerLastname: 'Doe',
      customerId: 'secrets',
    }
    const org = await client.createOrganization(params)
    await client.requestAdminRole(org.id, ADMIN)
    await client.getOrganization(org.id)
    await client.updateOrganization(org.id, { comment: 'observed' })
    await client.lockOrganization(org.id)
    await client.unlockOrganization(org.id)
    await client.listOrganizations().all()
    for await (const o of client.listOrganizations({ pageSize: 1 })) printed.push(inspect(o))
    await client.lockOrganizations([org.id])
    await client.getOrganizations([org.id])
    await client.ensureOrganization(params)
    const report = await client.audit()
    printed.push(inspect(report, { depth: 10 }), JSON.stringify(report))

    // A 429 is retried until the deadline: 900 ms is shorter than the 1 s it asks to wait.
    const quick = { timeout: 300, maxRetries: 1, totalTimeout: 900 }
    for (const fault of FAULTS) {
      mock.injectFaults({ script: [{ ...fault, operation: 'request_admin_role' }] })
      const err = await rejection(client.requestAdminRole(org.id, ADMIN, quick))
      assert.ok(err instanceof ScalewayError, `${fault.fault}: ${err}`)
      printed.push(shown(err))
      mock.clearFaults()
    }
    for (const bad of [
      { ...ADMIN, password: PASSWORD + 'x'.repeat(72) },
      { ...ADMIN, password: PASSWORD + '\0' },
      { ...ADMIN, username: PASSWORD.replaceAll('-', ' ') },
    ]) {
      const err = await rejection(client.requestAdminRole(org.id, bad))
      assert.ok(err instanceof ValidationError, String(err))
      printed.push(shown(err))
    }
    const typeError = await rejection(client.requestAdminRole(org.id, { ...ADMIN, password: Buffer.from(PASSWORD) }))
    assert.ok(typeError instanceof TypeError)
    printed.push(shown(typeError))
    const wrong = new Client({ apiUrl: mock.url, secretKey: '99999999-9999-4999-8999-999999999999' })
    const denied = await rejection(wrong.getOrganization(ORG))
    assert.ok(denied instanceof DeniedAuthenticationError)
    printed.push(shown(denied))
    mock.injectFaults({ script: [{ fault: 'server_error', operation: 'request_admin_role' }] })
    const server = await rejection(client.requestAdminRole(org.id, ADMIN, { maxRetries: 0 }))
    assert.ok(server instanceof ServerError)
    printed.push(shown(server))
  } finally {
    await mock.close()
  }
  for (const badKey of [`${KEY}\r\nX-Evil: 1`, `${KEY}0`, KEY.toUpperCase().replaceAll('-', '')]) {
    assert.throws(() => new Client({ apiUrl: 'http://127.0.0.1:9', secretKey: badKey }), (err) => {
      printed.push(shown(err))
      return err instanceof ConfigurationError
    })
  }
  for (const err of [await rejection(native._panicForTests()), captureThrow(() => native._panicForTestsSync())]) {
    printed.push(shown(err))
  }
  process.stdout.write = write.out
  process.stderr.write = write.err
  const everything = [...printed, ...written].join('\n')
  for (const [what, secret] of [['secret key', KEY], ['password', PASSWORD]]) {
    for (const form of forms(secret)) {
      const leaked = everything.split('\n').find((line) => line.includes(form))
      assert.equal(leaked, undefined, `the ${what} leaked: ${leaked?.slice(0, 300)}`)
    }
  }
  console.log(`secrets in Node: ${printed.length} values and errors shown, 0 leaks`)
})

function captureThrow(fn) {
  try {
    fn()
  } catch (err) {
    return err
  }
  assert.fail('expected a throw')
}

test('a panic of the addon is an error, not a crash or a hang', async () => {
  const asyncErr = await rejection(native._panicForTests())
  assert.ok(asyncErr instanceof Error, String(asyncErr))
  const syncErr = captureThrow(() => native._panicForTestsSync())
  assert.ok(syncErr instanceof Error, String(syncErr))
  // The runtime still works after them.
  const mock = await MockServer.start({ rateLimit: 0 })
  try {
    assert.deepEqual((await mock.client().listOrganizations().page(1)).organizations, [])
  } finally {
    await mock.close()
  }
})
