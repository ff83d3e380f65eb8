// Organizations survive the round trips a program puts them through (issue 17 item 5):
// decodeOrganization reads back JSON.stringify of its own output (camelCase keys, ISO dates,
// the unknown fields under `extra`) as well as the API's wire form, equal to the original, and
// a value it cannot read is an error naming the field, never a silent default.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { parse } from 'yaml'
import { decodeOrganization, ValidationError } from 'scaleway_partner'
import { mockAndClient } from './helpers.mjs'

// A field no version of the API has: what a newer API would add.
const A_FUTURE_FIELD = { a_future_field: { nested: [1, 'two', null], n: 1.5 } }

/** Every organization of the recorded traffic (tests/recorded), as the API sent it. */
function recordedOrganizations() {
  const dir = fileURLToPath(new URL('../../tests/recorded/', import.meta.url))
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.cassette.yaml'))
    .flatMap((f) => parse(readFileSync(join(dir, f), 'utf8')).interactions)
    .map((i) => i.response?.body)
    .filter(Boolean)
    .flatMap((body) => JSON.parse(body).organizations ?? [JSON.parse(body)])
  assert.ok(records.length >= 35, `recorded organizations: ${records.length}`)
  return records
}

test('every recorded organization comes back equal from JSON.stringify', () => {
  for (const raw of recordedOrganizations()) {
    const org = decodeOrganization({ ...raw, ...A_FUTURE_FIELD })
    assert.equal(org.customerId, raw.customer_id, raw.id)
    assert.deepEqual(org.extra, A_FUTURE_FIELD, raw.id)
    const text = JSON.stringify(org)
    assert.deepEqual(decodeOrganization(JSON.parse(text)), org, raw.id)
    assert.deepEqual(decodeOrganization(text), org, raw.id)
  }
})

test('organizations a client returns come back equal from JSON.stringify', async () => {
  const { client } = await mockAndClient({ seedOrganizations: 30, seed: 5 })
  const organizations = await client.listOrganizations({ pageSize: 100 }).all()
  assert.equal(organizations.length, 30)
  assert.ok(organizations.some((o) => o.lockedBy !== 'unknown_locked_by' && o.lockedAt !== null))
  for (const org of organizations) {
    assert.deepEqual(decodeOrganization(JSON.parse(JSON.stringify(org))), org, org.id)
  }
})

test('a value decodeOrganization cannot read names its field', () => {
  const cases = [
    [{ id: 'x', createdAt: 'yesterday' }, 'createdAt'],
    [{ id: 'x', customerId: 42 }, 'customerId'],
    [{ id: 'x', lockedBy: 'partner', locked_by: 'scaleway' }, 'lockedBy'],
    [{ id: 'x', extra: { customer_id: 'a documented field' } }, 'extra'],
    [{ name: 'no id' }, 'id'],
  ]
  for (const [value, field] of cases) {
    assert.throws(() => decodeOrganization(value), (err) => {
      assert.ok(err instanceof ValidationError, String(err))
      assert.equal(err.field, field)
      return true
    })
  }
})

test('an organization with fields a newer API added keeps them through JSON', () => {
  const raw = { id: '6f4049e3-5910-4283-bb02-382ef15aa460', name: 'Acme', ...A_FUTURE_FIELD }
  const org = decodeOrganization(raw)
  assert.deepEqual(org.extra, A_FUTURE_FIELD)
  assert.deepEqual(JSON.parse(JSON.stringify(org)).extra, A_FUTURE_FIELD)
  assert.deepEqual(decodeOrganization({ ...raw, a_future_field: undefined }).extra, {})
})
