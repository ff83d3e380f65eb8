// Every error class of the contract, each produced for real: by the emulator, by the core's local
// checks, by a dead port, a slow answer, injected faults, or wrong argument types.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as sp from 'scaleway_partner'
import { createRequire } from 'node:module'
import { mockAndClient, startMock, clientOf, orgParams, deadPort, UNKNOWN_ID, UUID_RE } from './helpers.mjs'

const require = createRequire(import.meta.url)
// The core's table, from the addon itself.
const { errorKinds } = require('../native.js')
const { Client, ScalewayError } = sp
// Every class by its name, as the tests below use them.
const {
  APIError, InvalidArgumentsError, ResourceNotFoundError, DeniedAuthenticationError, PermissionsDeniedError,
  PreconditionFailedError, ResourceLockedError, TransientStateError, AlreadyExistsError, QuotasExceededError,
  TooManyRequestsError, ServerError, ValidationError, ConfigurationError, APITimeoutError, TransportError,
  UnexpectedResponseError, RequestCancelledError, CreateUnconfirmedError, ConflictError, ListingChangedError,
  RedirectError,
} = sp

const { mock, client } = await mockAndClient()

const WEB_NAMES = { APITimeoutError: 'TimeoutError', RequestCancelledError: 'AbortError' }

/** Asserts `promise` rejects with exactly `cls`, with the attributes given; returns the error. */
async function rejectsWith(promise, cls, attributes = {}) {
  let caught
  await assert.rejects(promise, (err) => {
    caught = err
    return true
  })
  assert.ok(caught instanceof cls, `${caught?.name}: ${caught?.message} is not a ${cls.name}`)
  assert.equal(Object.getPrototypeOf(caught), cls.prototype)
  assert.ok(caught instanceof ScalewayError)
  assert.ok(caught instanceof Error)
  // Timeouts and cancellations are named as fetch names them; the others by their class.
  const name = WEB_NAMES[cls.name] ?? cls.name
  assert.equal(caught.name, name)
  assert.equal(typeof caught.message, 'string')
  assert.ok(caught.message.length > 0)
  assert.ok(caught.stack.includes(name))
  for (const [key, value] of Object.entries(attributes)) {
    if (value instanceof RegExp) assert.match(String(caught[key]), value, key)
    else assert.deepEqual(caught[key], value, key)
  }
  return caught
}

const API_ATTRS = (status, type, code) => ({ status, type, code, requestId: UUID_RE })

test("the classes are the core's error table: names, parents and codes; nothing else", () => {
  const kinds = errorKinds()
  const exported = Object.keys(sp).filter((name) => sp[name].prototype instanceof Error)
  assert.deepEqual(exported.sort(), ['ScalewayError', ...kinds.map((k) => k.class_name)].sort())
  assert.equal(Object.getPrototypeOf(ScalewayError), Error)
  for (const kind of kinds) {
    const cls = sp[kind.class_name]
    assert.equal(Object.getPrototypeOf(cls), sp[kind.parent_class], kind.class_name)
    assert.equal(new cls('x').code, kind.code)
  }
  // Users can build them too (for their own fakes), with the contract's attributes.
  const e = new ResourceNotFoundError('gone', { status: 404, resourceId: 'x' })
  assert.equal(e.code, 'not_found')
  assert.equal(e.status, 404)
  assert.equal(e.requestId, null)
  assert.equal(e.details, null)
  assert.equal(new RequestCancelledError('stop').code, 'cancelled')
  assert.equal(new CreateUnconfirmedError('?').code, 'create_unconfirmed')
  assert.equal(new ConflictError('?', { organizationIds: ['a'] }).organizationIds[0], 'a')
  assert.equal(new ListingChangedError('?').code, 'listing_changed')
  assert.equal(new RedirectError('?').locationHost, null)
})

test('ResourceNotFoundError: unknown organization', async () => {
  const err = await rejectsWith(client.getOrganization(UNKNOWN_ID), ResourceNotFoundError, {
    ...API_ATTRS(404, 'not_found', 'not_found'),
    resource: 'organization',
    resourceId: UNKNOWN_ID,
    details: null,
    field: null,
  })
  assert.equal(JSON.parse(err.body).resource_id, UNKNOWN_ID)
  assert.ok(err.message.includes(err.requestId))
})

test('DeniedAuthenticationError: a well-formed but unknown key', async () => {
  const stranger = clientOf(mock, { secretKey: '11111111-1111-4111-8111-111111111111' })
  await rejectsWith(stranger.getOrganization(UNKNOWN_ID), DeniedAuthenticationError, {
    ...API_ATTRS(401, 'denied_authentication', 'denied_authentication'),
  })
})

test('PermissionsDeniedError: creating for another partner', async () => {
  const err = await rejectsWith(
    client.createOrganization(orgParams({ partnerId: UNKNOWN_ID })),
    PermissionsDeniedError,
    API_ATTRS(403, 'permissions_denied', 'permissions_denied'),
  )
  assert.deepEqual(err.details, [{ resource: 'organization', action: 'create' }])
})

test('PreconditionFailedError: unlocking what the partner did not lock', async () => {
  const org = await client.createOrganization(orgParams())
  await rejectsWith(client.unlockOrganization(org.id), PreconditionFailedError, {
    ...API_ATTRS(412, 'precondition_failed', 'precondition_failed'),
    precondition: 'organization_locked_by_partner',
  })
})

test('InvalidArgumentsError: a 400 of the API, with its details camelCased', async () => {
  // The core checks arguments before sending, so the emulator is asked for the answer the API
  // gives when its own rules are stricter than the core's.
  mock.injectFaults({
    script: [
      {
        fault: 'error',
        status: 400,
        body: {
          type: 'invalid_arguments',
          message: 'invalid argument(s)',
          details: [{ argument_name: 'phone_number', reason: 'format', help_message: 'must be E.164' }],
        },
      },
    ],
  })
  const err = await rejectsWith(
    client.createOrganization(orgParams({ phoneNumber: '12' })),
    InvalidArgumentsError,
    API_ATTRS(400, 'invalid_arguments', 'invalid_arguments'),
  )
  assert.deepEqual(err.details, [{ argumentName: 'phone_number', reason: 'format', helpMessage: 'must be E.164' }])
  assert.match(err.message, /phone_number: format \(must be E\.164\)/)
})

test('error kinds the emulator only produces on demand map to their classes', async () => {
  const id = UNKNOWN_ID
  mock.injectFaults({
    script: [
      {
        fault: 'error',
        status: 409,
        body: { type: 'transient_state', message: 'being locked', resource: 'organization', resource_id: id, current_state: 'locking' },
      },
      { fault: 'error', status: 409, body: { type: 'already_exists', message: 'exists', resource: 'organization', resource_id: id } },
      { fault: 'error', status: 423, body: { type: 'locked', message: 'locked', resource: 'organization', resource_id: id } },
      {
        fault: 'error',
        status: 403,
        body: { type: 'quotas_exceeded', message: 'quota exceeded', details: [{ resource: 'organizations', quota: 10, current: 10 }] },
      },
      { fault: 'error', status: 418, body: { type: 'teapot', message: 'short and stout' } },
    ],
  })
  await rejectsWith(client.getOrganization(id), TransientStateError, {
    ...API_ATTRS(409, 'transient_state', 'transient_state'),
    resourceId: id,
  })
  await rejectsWith(client.getOrganization(id), AlreadyExistsError, API_ATTRS(409, 'already_exists', 'already_exists'))
  await rejectsWith(client.getOrganization(id), ResourceLockedError, {
    ...API_ATTRS(423, 'locked', 'resource_locked'),
    resource: 'organization',
  })
  const quota = await rejectsWith(
    client.getOrganization(id),
    QuotasExceededError,
    API_ATTRS(403, 'quotas_exceeded', 'quotas_exceeded'),
  )
  assert.deepEqual(quota.details, [{ resource: 'organizations', quota: 10, current: 10 }])
  const teapot = await rejectsWith(client.getOrganization(id), APIError, API_ATTRS(418, 'teapot', 'api_error'))
  assert.equal(teapot.constructor, APIError)
})

test('TooManyRequestsError: a 429 with retries off, with the wait the answer names', async () => {
  const json = await startMock({ rateLimitStyle: 'json', rateLimit: 1000 })
  try {
    json.injectFaults({ script: [{ fault: 'rate_limit' }] })
    // A 429 is retried until the deadline: 900 ms is shorter than the 1 s it asks to wait.
    const err = await rejectsWith(clientOf(json, { totalTimeout: 900 }).getOrganization(UNKNOWN_ID), TooManyRequestsError, {
      status: 429,
      code: 'too_many_requests',
    })
    // Milliseconds, as every JS duration: the answer said `reset_seconds: 1`.
    assert.equal(JSON.parse(err.body).reset_seconds, 1)
    assert.equal(err.retryAfter, 1000)
  } finally {
    await json.close()
  }
  // The gateway's bare 429 has no body: still the same class.
  mock.injectFaults({ script: [{ fault: 'rate_limit' }] })
  await rejectsWith(clientOf(mock, { totalTimeout: 900 }).getOrganization(UNKNOWN_ID), TooManyRequestsError, {
    status: 429,
    type: null,
  })
})

test('ServerError: an injected 502/503 with retries off; retried away with retries on', async () => {
  mock.injectFaults({ script: [{ fault: 'server_error' }] })
  await rejectsWith(client.getOrganization(UNKNOWN_ID), ServerError, { code: 'server_error', status: /^50[23]$/ })
  const org = await client.createOrganization(orgParams())
  mock.injectFaults({ script: [{ fault: 'server_error' }] })
  await assert.doesNotReject(clientOf(mock, { maxRetries: 2 }).getOrganization(org.id))
  mock.clearFaults()
})

test('ValidationError: refused locally, naming the field, with nothing sent', async () => {
  mock.resetStats()
  await rejectsWith(client.createOrganization(orgParams({ email: 'not an email' })), ValidationError, {
    code: 'validation',
    field: 'email',
    status: null,
    requestId: null,
    details: null,
  })
  await rejectsWith(client.updateOrganization(UNKNOWN_ID, { name: 'A' }), ValidationError, { field: 'name' })
  await rejectsWith(client.getOrganization(UNKNOWN_ID, { timeout: -5 }), ValidationError, { field: 'timeout' })
  await rejectsWith(client.getOrganization(UNKNOWN_ID, { maxRetries: 1.5 }), ValidationError, {
    field: 'maxRetries',
    message: /^invalid maxRetries: /,
  })
  // The organization's ID is the argument `id`, in `field` and in the message.
  await rejectsWith(client.lockOrganization(''), ValidationError, { field: 'id', message: /^invalid id: is required/ })
  assert.equal(mock.stats().requests, 0)
})

test('ConfigurationError: construction is refused synchronously', () => {
  const cases = [
    { secretKey: 'not-a-uuid' },
    { secretKey: '11111111-1111-4111-8111-111111111111', apiUrl: 'ftp://example.test' },
    { secretKey: '11111111-1111-4111-8111-111111111111', defaultOrganizationId: 'nope' },
    { secretKey: '11111111-1111-4111-8111-111111111111', timeout: 0 },
    { secretKey: '11111111-1111-4111-8111-111111111111', maxRetries: -1 },
    { secretKey: '11111111-1111-4111-8111-111111111111', rateLimit: -3 },
  ]
  for (const options of cases) {
    assert.throws(
      () => new Client(options),
      (err) => err instanceof ConfigurationError && err.code === 'configuration',
      JSON.stringify(options),
    )
  }
})

test('TransportError: nothing listens on the port', async () => {
  const port = await deadPort()
  const dead = new Client({
    secretKey: mock.secretKey,
    apiUrl: `http://127.0.0.1:${port}`,
    maxRetries: 0,
  })
  await rejectsWith(dead.getOrganization(UNKNOWN_ID), TransportError, { code: 'transport', status: null })
})

test('TimeoutError: the emulator answers after the timeout', async () => {
  const slow = await startMock({ latency: { baseMs: 1500 } })
  try {
    slow.resetStats()
    const err = await rejectsWith(
      clientOf(slow).getOrganization(UNKNOWN_ID, { timeout: 150 }),
      APITimeoutError,
      { code: 'timeout', attempts: 1 },
    )
    // Rejected before the emulator answered: the timeout cut the wait short.
    assert.deepEqual(slow.stats().byStatus, {})
    assert.ok(err.elapsed >= 150, 'elapsed is in milliseconds')
    assert.match(err.message, /150 ms/)
  } finally {
    await slow.close()
  }
})

test('UnexpectedResponseError: a success answer the core cannot decode', async () => {
  const org = await client.createOrganization(orgParams())
  mock.patchRaw(org.id, { set: { created_at: 'yesterday' } })
  await rejectsWith(client.getOrganization(org.id), UnexpectedResponseError, {
    code: 'unexpected_response',
    status: 200,
    requestId: UUID_RE,
  })
})

test('AbortError: a pre-aborted signal, with its reason as cause', async () => {
  const reason = new Error('user left')
  const err = await rejectsWith(
    client.getOrganization(UNKNOWN_ID, { signal: AbortSignal.abort(reason) }),
    RequestCancelledError,
    { code: 'cancelled' },
  )
  assert.equal(err.cause, reason)
})

test('wrong argument types are TypeErrors naming the argument and the type expected, in JS terms', async () => {
  const calls = [
    [() => client.getOrganization(42), /^id must be a string, got number$/],
    [() => client.getOrganization({ id: UNKNOWN_ID }), /^id must be a string, got object$/],
    [() => client.createOrganization('acme'), /^params must be an object, got string$/],
    [() => client.createOrganization({ ...orgParams(), email: 5 }), /^email must be a string, got number$/],
    [() => client.updateOrganization(UNKNOWN_ID, { name: ['x'] }), /^name must be a string, got object$/],
    [() => client.updateOrganization(UNKNOWN_ID, 'rename'), /^params must be an object, got string$/],
    [() => client.lockOrganization(true), /^id must be a string, got boolean$/],
    [() => client.requestAdminRole(UNKNOWN_ID, { username: 1, email: 'a@b.test' }), /^username must be a string, got number$/],
    [() => client.getOrganizations([UNKNOWN_ID, 42]), /^ids\[1\] must be a string, got number$/],
    [() => client.getOrganization(UNKNOWN_ID, 'fast'), /^options must be an object, got string$/],
    [() => client.getOrganization(UNKNOWN_ID, { signal: 'abort' }), /^options\.signal must be an AbortSignal, got string$/],
    [() => client.getOrganization(UNKNOWN_ID, { timeout: '1s' }), /^options\.timeout must be a number, got string$/],
  ]
  for (const [call, message] of calls) {
    await assert.rejects(call(), (err) => {
      assert.ok(err instanceof TypeError, `${err.name}: ${err.message}`)
      assert.match(err.message, message)
      return true
    })
  }
  assert.throws(() => new Client('secret'), /^TypeError: options must be an object, got string$/)
  assert.throws(() => new Client({ secretKey: 12 }), /^TypeError: secretKey must be a string, got number$/)
  assert.throws(() => new Client({ timeout: 'long', secretKey: mock.secretKey }), /^TypeError: timeout must be a number, got string$/)
})

test('an unknown key of an options object is a TypeError naming it and the closest known key', async () => {
  assert.throws(() => new Client({ timout: 5 }), /unknown key 'timout'; did you mean 'timeout'\?/)
  await assert.rejects(client.getOrganization(UNKNOWN_ID, { maxRetry: 1 }), /unknown key 'maxRetry'; did you mean 'maxRetries'\?/)
  await assert.rejects(client.getOrganizations([], { concurency: 2 }), /unknown key 'concurency'; did you mean 'concurrency'\?/)
  await assert.rejects(client.audit({ stuckAfter: 3 }), /unknown key 'stuckAfter'; did you mean 'stuckAfterDays'\?/)
  // Request objects: a typo never becomes a PATCH that changes nothing.
  mock.resetStats()
  await assert.rejects(client.updateOrganization(UNKNOWN_ID, { nmae: 'Acme' }), /params has an unknown key 'nmae'; did you mean 'name'\?/)
  await assert.rejects(client.createOrganization({ ...orgParams(), sirenNumer: '1' }), /did you mean 'sirenNumber'\?/)
  await assert.rejects(client.ensureOrganizations([{ ...orgParams(), custmerId: 'c' }]), /requests\[0\] has an unknown key 'custmerId'; did you mean 'customerId'\?/)
  await assert.rejects(client.requestAdminRole(UNKNOWN_ID, { user: 'ann', email: 'a@b.test' }), /did you mean 'username'\?/)
  assert.throws(() => client.listOrganizations({ sttus: 'locked' }), /filters has an unknown key 'sttus'; did you mean 'status'\?/)
  assert.equal(mock.stats().requests, 0)
  await assert.rejects(client.getOrganization(UNKNOWN_ID, { colour: 'red' }), (err) => {
    assert.ok(err instanceof TypeError)
    assert.doesNotMatch(err.message, /did you mean/, 'nothing close: no guess')
    return true
  })
})
