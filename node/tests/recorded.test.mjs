// Every response body recorded from the real API (tests/recorded, the project's copy)
// decodes with decodeOrganization, with the values it carries.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { parse } from 'yaml'
import { decodeOrganization } from 'scaleway_partner'
import { ORGANIZATION_KEYS } from './helpers.mjs'

// The project's copy of the recorded traffic, tests/recorded (or SCALEWAY_PARTNER_RECORDED).
const CASSETTES =
  process.env.SCALEWAY_PARTNER_RECORDED ?? fileURLToPath(new URL('../../tests/recorded/', import.meta.url))

/** [{ at, body }] for every interaction of every cassette, in file order. */
function recordedBodies() {
  assert.ok(existsSync(CASSETTES), `the recorded traffic must be at ${CASSETTES}`)
  const files = readdirSync(CASSETTES)
    .filter((f) => f.endsWith('.cassette.yaml'))
    .sort()
  assert.ok(files.length > 0, `no cassette in ${CASSETTES}`)
  const out = []
  for (const file of files) {
    const doc = parse(readFileSync(join(CASSETTES, file), 'utf8'))
    assert.ok(Array.isArray(doc?.interactions), `${file}: no interactions`)
    for (const i of doc.interactions) {
      out.push({ at: `${file} #${i.id}`, body: i.response?.body ?? '' })
    }
  }
  return out
}

// The API sends unset optional strings as null, "" or not at all; the package gives null.
const optional = (v) => (v === undefined || v === null || v === '' ? null : v)

/** Milliseconds since the epoch of an RFC 3339 instant, its fraction cut to what a Date holds. */
function millis(text) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text)
  assert.ok(m, `not an RFC 3339 UTC timestamp: ${text}`)
  return Date.parse(`${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}Z`)
}

function checkTime(value, raw, name, at) {
  if (optional(raw) === null) {
    assert.equal(value, null, `${at}: ${name}`)
  } else {
    assert.ok(value instanceof Date, `${at}: ${name} is a Date`)
    assert.equal(value.getTime(), millis(raw), `${at}: ${name} ${raw}`)
  }
}

function check(org, raw, at) {
  assert.deepEqual(Object.keys(org).sort(), ORGANIZATION_KEYS, at)
  assert.equal(org.id, raw.id, at)
  assert.equal(org.name, raw.name, at)
  assert.equal(org.email, raw.email, at)
  assert.equal(org.customerId, raw.customer_id, at)
  assert.equal(org.ownerFirstname, raw.owner_firstname, at)
  assert.equal(org.ownerLastname, raw.owner_lastname, at)
  assert.equal(org.comment, raw.comment, at)
  assert.equal(org.status, raw.status, at)
  assert.equal(org.lockedBy, raw.locked_by, at)
  assert.equal(org.lockReasonMessage, optional(raw.lock_reason_message), `${at}: lockReasonMessage`)
  assert.equal(org.phoneNumber, optional(raw.phone_number), `${at}: phoneNumber`)
  assert.equal(org.sirenNumber, optional(raw.siren_number), `${at}: sirenNumber`)
  assert.equal(org.pictureLink, optional(raw.picture_link), `${at}: pictureLink`)
  checkTime(org.createdAt, raw.created_at, 'createdAt', at)
  checkTime(org.lockedAt, raw.locked_at, 'lockedAt', at)
}

test('every recorded response body decodes with its values', () => {
  const bodies = recordedBodies()
  assert.equal(bodies.length, 38, 'the recordings hold 38 interactions')
  let organizations = 0
  let lists = 0
  let empty = 0
  for (const { at, body } of bodies) {
    if (body === '') {
      empty += 1
      continue
    }
    const raw = JSON.parse(body)
    if ('organizations' in raw) {
      assert.ok(Array.isArray(raw.organizations), at)
      // Items go in parsed, single bodies as text: both forms of the decoder's input.
      for (const item of raw.organizations) check(decodeOrganization(item), item, at)
      lists += 1
    } else {
      check(decodeOrganization(body), raw, at)
      organizations += 1
    }
  }
  assert.deepEqual({ organizations, lists, empty }, { organizations: 35, lists: 2, empty: 1 })
})

test('the recordings hold the shapes the check above must cover', () => {
  // Guards the test itself: if the recordings changed, the cases it exists for must still be there.
  const raws = recordedBodies()
    .filter(({ body }) => body !== '')
    .flatMap(({ body }) => {
      const raw = JSON.parse(body)
      return 'organizations' in raw ? raw.organizations : [raw]
    })
  assert.ok(raws.some((r) => r.phone_number === null), 'a null phone_number')
  assert.ok(raws.some((r) => r.phone_number === ''), 'an empty phone_number (list)')
  assert.ok(raws.some((r) => typeof r.phone_number === 'string' && r.phone_number !== ''), 'a phone_number')
  assert.ok(raws.some((r) => !('siren_number' in r)), 'an absent siren_number')
  assert.ok(raws.some((r) => r.siren_number === null), 'a null siren_number')
  assert.ok(raws.some((r) => /\.\d{6}Z$/.test(r.created_at)), 'microseconds in a timestamp')
})
