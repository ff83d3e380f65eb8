// The package loads with require and with import, both giving the same objects, and exposes
// exactly its documented entry points.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import * as esm from 'scaleway_partner'
import * as esmTesting from 'scaleway_partner/testing'

const require = createRequire(import.meta.url)

// The entry points, and the error classes of the core's table (read from the addon itself).
const { errorKinds } = require('../native.js')
const EXPORTS = [
  'Client',
  'OrganizationList',
  'decodeOrganization',
  'diffAudits',
  'ScalewayError',
  ...errorKinds().map((k) => k.class_name),
].sort()

test('require and import expose the same named exports, identical objects', () => {
  const cjs = require('scaleway_partner')
  assert.deepEqual(Object.keys(cjs).sort(), EXPORTS)
  assert.deepEqual(Object.keys(esm).sort(), EXPORTS)
  for (const name of EXPORTS) assert.equal(esm[name], cjs[name], name)
  const cjsTesting = require('scaleway_partner/testing')
  assert.deepEqual(Object.keys(cjsTesting), ['MockServer'])
  assert.equal(esmTesting.MockServer, cjsTesting.MockServer)
})

test('an error from a CommonJS-loaded client is instanceof the ESM classes', async () => {
  const { MockServer } = require('scaleway_partner/testing')
  const mock = await MockServer.start({ rateLimit: 0 })
  try {
    await assert.rejects(mock.client().getOrganization('nope'), esm.ValidationError)
  } finally {
    await mock.close()
  }
})

test('internals are not reachable through the exports map', () => {
  assert.throws(() => require('scaleway_partner/lib/client.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' })
  assert.throws(() => require('scaleway_partner/native.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' })
  assert.equal(require('scaleway_partner/package.json').name, 'scaleway_partner')
})

test('MockServer cannot be constructed directly', () => {
  assert.throws(() => new esmTesting.MockServer({}), TypeError)
})
