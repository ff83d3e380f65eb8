// Settings named as a Node caller writes them, and one rule per number: the core says which
// setting is wrong and what is wrong, the addon names it (camelCase); a call's number gets the
// words of the client option of the same name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as sp from 'scaleway_partner'
import { mockAndClient, clientOf, rejection } from './helpers.mjs'

const { ConfigurationError, ValidationError } = sp
const ORG_ID = '6f4049e3-5910-4283-bb02-382ef15aa460'

const { mock, client } = await mockAndClient()

/** The message of the configuration error these client options raise. */
function clientError(options) {
  try {
    clientOf(mock, options)
  } catch (err) {
    assert.ok(err instanceof ConfigurationError, String(err))
    return err.message
  }
  assert.fail(`accepted ${JSON.stringify(options)}`)
}

test('configuration errors name the option as a Node caller writes it', () => {
  const shown = clientError({ defaultOrganizationId: 'nope' })
  assert.match(shown, /defaultOrganizationId must be a UUID/)
  assert.doesNotMatch(shown, /default_organization_id/)
  const http = clientError({ apiUrl: 'http://example.test' })
  assert.match(http, /apiUrl/)
  assert.match(http, /allowInsecureHttp/)
  assert.match(clientError({ caCert: 'not a certificate' }), /^configuration error: caCert holds no PEM/)
})

test('a change without target names the option a Node caller sets', async () => {
  const err = await rejection(client.lockOrganization(''))
  assert.ok(err instanceof ValidationError, err.message)
  assert.match(err.message, /^invalid id: /)
  assert.match(err.message, /defaultOrganizationId/)
  assert.doesNotMatch(err.message, /default_organization_id/)
})

test('a missing default organization names the variable and the option', async (t) => {
  if (process.env.SCW_DEFAULT_ORGANIZATION_ID) return t.skip('SCW_DEFAULT_ORGANIZATION_ID is set here')
  const bare = new sp.Client({ secretKey: mock.secretKey, apiUrl: mock.url })
  const err = await rejection(bare.getOrganization())
  assert.match(err.message, /SCW_DEFAULT_ORGANIZATION_ID/)
  assert.match(err.message, /defaultOrganizationId/)
})

// The same value, refused by the same rule as a client option and as a call's option.
const BAD_NUMBERS = [
  ...['timeout', 'totalTimeout'].flatMap((option) => [0, -1.5, NaN, Infinity, 1e300].map((v) => [option, v])),
  ['maxRetries', -1],
  ['maxRetries', 1.5],
  ['maxRetries', 2 ** 40],
]

for (const [option, value] of BAD_NUMBERS) {
  test(`a call's ${option} ${value} gets the client option's rule and words`, async () => {
    const prefix = `configuration error: ${option} `
    const shown = clientError({ [option]: value })
    assert.ok(shown.startsWith(prefix), shown)
    const rule = shown.slice(prefix.length)
    const before = mock.stats().requests
    const err = await rejection(client.getOrganization(ORG_ID, { [option]: value }))
    assert.ok(err instanceof ValidationError, err.message)
    assert.equal(err.field, option)
    assert.equal(err.message, `invalid ${option}: ${rule}`)
    assert.equal(mock.stats().requests, before)
  })
}

for (const value of [0, -2, 1.5]) {
  test(`a call's concurrency ${value} gets the rule of bulkConcurrency and pageConcurrency`, async () => {
    const bulkRule = clientError({ bulkConcurrency: value }).split('bulkConcurrency ')[1]
    const bulk = await rejection(client.lockOrganizations([ORG_ID], { concurrency: value }))
    assert.ok(bulk instanceof ValidationError, bulk.message)
    assert.equal(bulk.message, `invalid concurrency: ${bulkRule}`)
    const pageRule = clientError({ pageConcurrency: value }).split('pageConcurrency ')[1]
    const all = await rejection(client.listOrganizations().all({ concurrency: value }))
    assert.equal(all.message, `invalid concurrency: ${pageRule}`)
  })
}
