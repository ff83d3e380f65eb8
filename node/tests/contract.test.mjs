// The contracts the core declares once, as they reach Node: the error table (classes and the
// attributes index.d.ts declares on each), the organization's fields, and errors that cross the
// boundary as typed values rather than text to parse.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { declaredMembers, startMock, UNKNOWN_ID } from './helpers.mjs'

const require = createRequire(import.meta.url)
const native = require('../native.js')

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const attributeName = (name) => (name === 'status_code' ? 'status' : camel(name))

test("index.d.ts declares on each error class the attributes its kind adds (the core's table)", () => {
  const kinds = native.errorKinds()
  const byCode = new Map(kinds.map((k) => [k.code, k]))
  assert.deepEqual(declaredMembers('class', 'ScalewayError'), ['code'])
  for (const kind of kinds) {
    const inherited = kind.parent === null ? [] : byCode.get(kind.parent).attributes
    const own = kind.attributes.filter((a) => !inherited.includes(a)).map(attributeName)
    assert.deepEqual(declaredMembers('class', kind.class_name), own, kind.class_name)
  }
})

test("index.d.ts's Organization declares every field the addon gives (the core's)", () => {
  const org = native.decodeOrganization('{"id": "o-1"}')
  assert.deepEqual(declaredMembers('interface', 'Organization'), Object.keys(org))
  assert.equal(org.createdAt, null)
  // The organizations an error carries are the same values as everywhere else.
  const dated = native.decodeOrganization('{"id": "o-1", "created_at": "2026-09-11T14:56:46.665Z", "new": 1}')
  assert.ok(dated.createdAt instanceof Date)
  assert.deepEqual(dated.extra, { new: 1 })
})

test('errors cross as typed values, not as text to parse', async () => {
  let thrown
  try {
    native.decodeOrganization('{"id": "o-1", "created_at": 5}')
  } catch (err) {
    thrown = err
  }
  assert.ok(thrown instanceof Error)
  assert.equal(thrown.code, 'validation')
  assert.equal(thrown.className, 'ValidationError')
  assert.deepEqual(thrown.attributes, { field: 'created_at' })
  // The message names the field as Node spells it (the addon's rendering).
  assert.match(thrown.message, /^invalid createdAt: /)

  const mock = await startMock()
  try {
    const client = new native.NativeClient({ apiUrl: mock.url, secretKey: mock.secretKey, maxRetries: 0 })
    const rejected = await client.getOrganization(UNKNOWN_ID).then(
      () => assert.fail('resolved'),
      (err) => err,
    )
    assert.equal(rejected.className, 'ResourceNotFoundError')
    assert.equal(rejected.attributes.status_code, 404)
    assert.equal(rejected.attributes.resource_id, UNKNOWN_ID)
    assert.doesNotMatch(rejected.message, /[{]/)
    // A bulk item's error is such a value too.
    const { items } = await client.getOrganizations([UNKNOWN_ID])
    assert.equal(items[0].error.className, 'ResourceNotFoundError')
    assert.equal(items[0].error.attributes.status_code, 404)
  } finally {
    await mock.close()
  }
})

test('a value of the wrong type is named from the types the addon declares, for every field', () => {
  const { Client } = require('scaleway_partner')
  const wrong = { string: 5, number: 'five', boolean: 'yes', object: 5, function: 5 }
  const fields = native._objectKeys().ClientOptions
  assert.ok(fields.length > 10)
  for (const { key, jsType } of fields) {
    const name = camel(key)
    const article = jsType === 'object' ? 'an' : 'a'
    assert.throws(
      () => new Client({ [name]: wrong[jsType] }),
      new RegExp(`^TypeError: ${name} must be ${article} ${jsType}, got ${typeof wrong[jsType]}$`),
      name,
    )
  }
})
