// Shared helpers of the tests: an emulator per test file, organization parameters, waiting for a
// condition.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { after } from 'node:test'
import { MockServer } from 'scaleway_partner/testing'

/** Starts an emulator without rate limit (the tests measure the client, not the budget). */
export function startMock(options = {}) {
  return MockServer.start({ rateLimit: 0, seed: 7, ...options })
}

/** A client of `mock` without pacing nor retries unless asked. */
export function clientOf(mock, options = {}) {
  return mock.client({ rateLimit: 0, maxRetries: 0, ...options })
}

/**
 * The emulator of a test file and a client of it (await it at the top level): the emulator is
 * closed after the file's tests.
 */
export async function mockAndClient(options = {}) {
  const mock = await startMock(options)
  after(() => mock.close())
  return { mock, client: clientOf(mock) }
}

/** The members `index.d.ts` declares in the body of `export declare class|interface <name>`. */
export function declaredMembers(kind, name) {
  const declarations = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8')
  const body = new RegExp(`export (?:declare )?${kind} ${name}\\b[^{]*\\{(?:\\}|\\n([^]*?)\\n\\})\\n`).exec(declarations)
  assert.ok(body, `index.d.ts declares ${kind} ${name}`)
  return [...(body[1] ?? '').matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1])
}

/** The keys of an organization, sorted: those index.d.ts declares (tests/contract.test.mjs). */
export const ORGANIZATION_KEYS = declaredMembers('interface', 'Organization').sort()

let counter = 0
/** Valid, distinct creation parameters. */
export function orgParams(overrides = {}) {
  counter += 1
  const n = `${process.pid}-${counter}`
  return {
    email: `owner-${n}@example.test`,
    organizationName: `Acme ${n}`,
    ownerFirstname: 'Jane',
    ownerLastname: 'Doe',
    customerId: `customer-${n}`,
    ...overrides,
  }
}

/** A UUID no emulator knows. */
export const UNKNOWN_ID = '6f4049e3-5910-4283-bb02-382ef15aa460'
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A local TCP port nothing listens on (bound, then released). */
export async function deadPort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The settled rejection of `promise` (fails the test when it fulfils). */
export async function rejection(promise) {
  try {
    await promise
  } catch (err) {
    return err
  }
  assert.fail('expected a rejection')
}

/** The customers of the coordination tests, and the creation parameters of one of them. */
export const CUSTOMERS = ['cust-0', 'cust-1', 'cust-2', 'cust-3', 'cust-4']
export const customerParams = (customerId) => ({
  email: `owner@${customerId}.test`,
  organizationName: `Org ${customerId}`,
  ownerFirstname: 'Jane',
  ownerLastname: 'Doe',
  customerId,
})

/**
 * Every caller of a customer got the one organization the customer has, and one call per
 * customer created it (`got`: [customerId, organizationId, created] per call).
 */
export async function oneOrganizationEach(mock, got) {
  const orgs = await clientOf(mock).listOrganizations().all()
  const byCustomer = new Map()
  for (const o of orgs) byCustomer.set(o.customerId, [...(byCustomer.get(o.customerId) ?? []), o])
  assert.equal(orgs.length, CUSTOMERS.length, JSON.stringify([...byCustomer.keys()]))
  for (const [customer, id] of got) {
    assert.deepEqual(
      byCustomer.get(customer).map((o) => o.id),
      [id],
      customer,
    )
  }
  assert.equal(got.filter(([, , created]) => created).length, CUSTOMERS.length)
}

/**
 * Waits until `condition()` is true, checking every 25 ms; fails after `limitMs` (a bound
 * against hanging, not a timing assertion).
 */
export async function waitFor(condition, what, limitMs = 30_000) {
  const until = Date.now() + limitMs
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
