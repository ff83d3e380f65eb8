// Every single-organization method against the emulator, and the shape of the values.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  PreconditionFailedError,
  ValidationError,
  decodeOrganization,
} from 'scaleway_partner'
import { mockAndClient, orgParams, ORGANIZATION_KEYS, UNKNOWN_ID, UUID_RE } from './helpers.mjs'

const { mock, client } = await mockAndClient()

test('createOrganization returns a plain camelCase object locked by validate_email', async () => {
  const params = orgParams({ sirenNumber: '123456789' })
  const before = Date.now()
  const org = await client.createOrganization(params)
  assert.deepEqual(Object.keys(org).sort(), ORGANIZATION_KEYS)
  assert.equal(Object.getPrototypeOf(org), Object.prototype)
  assert.match(org.id, UUID_RE)
  assert.equal(org.name, params.organizationName)
  assert.equal(org.email, params.email)
  assert.equal(org.customerId, params.customerId)
  assert.equal(org.ownerFirstname, 'Jane')
  assert.equal(org.ownerLastname, 'Doe')
  assert.equal(org.sirenNumber, '123456789')
  assert.equal(org.status, 'locked')
  assert.equal(org.lockedBy, 'scaleway')
  assert.equal(org.lockReasonMessage, 'validate_email')
  assert.ok(org.createdAt instanceof Date)
  assert.ok(org.lockedAt instanceof Date)
  assert.ok(Math.abs(org.createdAt.getTime() - before) < 60_000)
  assert.ok(org.lockedAt >= org.createdAt)
  // Optional values the API leaves unset are null, never undefined or ''.
  assert.equal(org.phoneNumber, null)
  assert.equal(org.pictureLink, null)
  assert.equal(org.comment, '')
})

test('getOrganization reads it back; the partner ID defaults to the configured one', async () => {
  const created = await client.createOrganization(orgParams({ phoneNumber: '+33123456789' }))
  const got = await client.getOrganization(created.id)
  assert.deepEqual(got, created)
  assert.equal(got.phoneNumber, '+33123456789')
  // With no ID, the client's default organization ID is used: the partner's own organization.
  const own = await client.getOrganization()
  assert.equal(own.id, mock.organizationId)
})

test('getOrganization refuses a malformed ID locally', async () => {
  const before = mock.stats().requests
  await assert.rejects(client.getOrganization('not-a-uuid'), (err) => {
    assert.ok(err instanceof ValidationError)
    assert.equal(err.field, 'id')
    return true
  })
  assert.equal(mock.stats().requests, before)
})

test('updateOrganization changes only the fields given', async () => {
  const created = await client.createOrganization(orgParams())
  const updated = await client.updateOrganization(created.id, {
    name: 'Renamed Ltd',
    comment: 'moved to annual billing',
    customerId: 'customer-updated',
  })
  assert.equal(updated.id, created.id)
  assert.equal(updated.name, 'Renamed Ltd')
  assert.equal(updated.comment, 'moved to annual billing')
  assert.equal(updated.customerId, 'customer-updated')
  assert.equal(updated.email, created.email)
  assert.equal(updated.ownerLastname, created.ownerLastname)
  assert.deepEqual(await client.getOrganization(created.id), updated)
})

test('lock and unlock stack over the validate_email lock', async () => {
  const org = await client.createOrganization(orgParams())
  const locked = await client.lockOrganization(org.id)
  assert.equal(locked.status, 'locked')
  assert.equal(locked.lockedBy, 'partner')
  assert.equal(locked.lockReasonMessage, 'locked_by_reseller')
  assert.ok(locked.lockedAt >= org.createdAt)
  const unlocked = await client.unlockOrganization(org.id)
  // Scaleway's lock underneath shows again, with its original date.
  assert.equal(unlocked.status, 'locked')
  assert.equal(unlocked.lockedBy, 'scaleway')
  assert.equal(unlocked.lockedAt.getTime(), org.lockedAt.getTime())
  await assert.rejects(client.unlockOrganization(org.id), PreconditionFailedError)
  assert.equal(mock.validateEmail(org.id), true)
  const opened = await client.getOrganization(org.id)
  assert.equal(opened.status, 'opened')
  assert.equal(opened.lockedBy, 'unknown_locked_by')
  assert.equal(opened.lockedAt, null)
  assert.equal(opened.lockReasonMessage, null)
})

test('requestAdminRole resolves undefined and checks its arguments locally', async () => {
  const org = await client.createOrganization(orgParams())
  const result = await client.requestAdminRole(org.id, {
    username: 'jane.doe',
    email: 'jane@example.test',
    password: 'correct horse battery staple',
  })
  assert.equal(result, undefined)
  assert.equal(mock.stats().byOperation.request_admin_role, 1)
  await assert.rejects(
    client.requestAdminRole(org.id, { username: 'jane doe', email: 'jane@example.test' }),
    (err) => err instanceof ValidationError && err.field === 'username',
  )
  await assert.rejects(
    client.requestAdminRole(org.id, { username: 'jane.doe' }),
    (err) => err instanceof ValidationError && err.field === 'email',
  )
})

test('createOrganization reports the first missing field by its key in params', async () => {
  const { email: _email, ...noEmail } = orgParams()
  await assert.rejects(client.createOrganization(noEmail), (err) => err.field === 'email')
  const { customerId: _c, ...noCustomer } = orgParams()
  await assert.rejects(client.createOrganization(noCustomer), (err) => err.field === 'customerId')
  await assert.rejects(client.createOrganization(), (err) => err instanceof ValidationError)
})

test('unknown enum values and odd wire values come through as they are', async () => {
  const org = await client.createOrganization(orgParams())
  assert.equal(
    mock.patchRaw(org.id, { set: { status: 'suspended', locked_by: 'auditor' }, remove: ['siren_number'] }),
    true,
  )
  const got = await client.getOrganization(org.id)
  assert.equal(got.status, 'suspended')
  assert.equal(got.lockedBy, 'auditor')
  assert.equal(got.sirenNumber, null)
  assert.equal(mock.patchRaw(UNKNOWN_ID, { set: { status: 'x' } }), false)
})

test('decodeOrganization reads the wire JSON, as text or object', () => {
  const wire = {
    id: 'db7ec892-78ac-4a28-b71d-566b647993c3',
    name: 'Acme',
    email: 'owner@example.test',
    status: 'locked',
    locked_by: 'scaleway',
    lock_reason_message: 'validate_email',
    created_at: '2026-09-11T14:56:46.665888Z',
    locked_at: '2026-09-11T14:56:46.785548Z',
    customer_id: 'customer-123',
    owner_firstname: 'John',
    owner_lastname: 'Doe',
    phone_number: '',
    picture_link: null,
    comment: '',
    a_future_field: 1,
  }
  const fromText = decodeOrganization(JSON.stringify(wire))
  assert.deepEqual(decodeOrganization(wire), fromText)
  assert.equal(fromText.customerId, 'customer-123')
  assert.equal(fromText.createdAt.toISOString(), '2026-09-11T14:56:46.665Z')
  assert.equal(fromText.phoneNumber, null)
  assert.equal(fromText.sirenNumber, null)
  assert.throws(() => decodeOrganization('{"name": 1}'), ValidationError)
  assert.throws(() => decodeOrganization(undefined), TypeError)
})
