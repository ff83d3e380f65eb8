// scaleway_partner/testing: the MockServer surface itself.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { MockServer } from 'scaleway_partner/testing'
import { Client, DeniedAuthenticationError, ResourceNotFoundError } from 'scaleway_partner'
import { orgParams, deadPort, UUID_RE, waitFor } from './helpers.mjs'

const PARTNERS = [
  { secretKey: '11111111-1111-4111-8111-111111111111', organizationId: '7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e' },
  { secretKey: '22222222-2222-4222-8222-222222222222', organizationId: '8e1e2a43-1c3b-4bb5-9d53-8c9d0c3f5a10' },
]

test('start: url, first partner, camelCase options mapped to the emulator', async () => {
  const port = await deadPort()
  const mock = await MockServer.start({ listen: `127.0.0.1:${port}`, partners: PARTNERS, seedOrganizations: 4 })
  try {
    assert.equal(mock.url, `http://127.0.0.1:${port}`)
    assert.equal(mock.secretKey, PARTNERS[0].secretKey)
    assert.equal(mock.organizationId, PARTNERS[0].organizationId)
    assert.deepEqual(mock.partners(), PARTNERS)
    const page = await mock.client().listOrganizations().page(1)
    assert.equal(page.totalCount, 4)
  } finally {
    await mock.close()
  }
})

test('a generated partner when none is given', async () => {
  const mock = await MockServer.start()
  try {
    assert.match(mock.secretKey, UUID_RE)
    assert.match(mock.organizationId, UUID_RE)
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  } finally {
    await mock.close()
  }
})

test('partners are isolated; client(options) overrides the bound settings', async () => {
  const mock = await MockServer.start({ partners: PARTNERS, rateLimit: 0 })
  try {
    const first = mock.client()
    const second = mock.client({ secretKey: PARTNERS[1].secretKey, defaultOrganizationId: PARTNERS[1].organizationId })
    assert.ok(second instanceof Client)
    const org = await first.createOrganization(orgParams())
    await assert.rejects(second.getOrganization(org.id), ResourceNotFoundError)
    const stranger = mock.client({ secretKey: '33333333-3333-4333-8333-333333333333', maxRetries: 0 })
    await assert.rejects(stranger.getOrganization(org.id), DeniedAuthenticationError)
  } finally {
    await mock.close()
  }
})

test('stats, resetStats, reset, and the rate limit seen from the client', async () => {
  // A latency longer than sending the burst takes: every request of it is on the wire before the
  // first answer, whose headers would otherwise hold the rest back.
  const mock = await MockServer.start({ seedOrganizations: 3, rateLimit: 5, latency: { baseMs: 150 } })
  try {
    const client = mock.client({ rateLimit: 0, maxRetries: 0 })
    const org = await client.createOrganization(orgParams())
    const stats = mock.stats()
    assert.deepEqual(Object.keys(stats).sort(), [
      'byOperation',
      'byStatus',
      'connections',
      'connectionsRefused',
      'faultsInjected',
      'inFlight',
      'lateApplied',
      'maxInFlight',
      'maxOpenConnections',
      'openConnections',
      'rateLimited',
      'requests',
    ])
    assert.equal(stats.requests, 1)
    assert.equal(stats.lateApplied, 0)
    // Operation names stay the emulator's (snake_case), as in its JSON.
    assert.equal(stats.byOperation.create_organization, 1)
    assert.equal(stats.byOperation.get_organization, 0)
    assert.equal(stats.byStatus['200'], 1)
    // Unpaced, a burst over the emulator's budget meets 429s (retried until the deadline: this
    // one is shorter than the gateway's 1 s window, so they surface).
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => client.getOrganization(org.id, { totalTimeout: 900 })),
    )
    assert.ok(results.some((r) => r.status === 'rejected' && r.reason.status === 429))
    assert.ok(mock.stats().rateLimited > 0)
    mock.resetStats()
    assert.equal(mock.stats().requests, 0)
    mock.reset()
    // Once the rate window has passed, the reset emulator answers with its seeded organizations.
    let page
    await waitFor(async () => {
      page = await client.listOrganizations().page(1).catch((err) => {
        if (err.status === 429) return undefined
        throw err
      })
      return page !== undefined
    }, 'the rate window to pass')
    assert.equal(page.totalCount, 3)
    await assert.rejects(client.getOrganization(org.id), ResourceNotFoundError)
  } finally {
    await mock.close()
  }
})

test('faults: probabilities from the options, scripted plans, clearFaults', async () => {
  const mock = await MockServer.start({ rateLimit: 0, faults: { serverError: 1 } })
  try {
    const client = mock.client({ maxRetries: 0 })
    await assert.rejects(client.listOrganizations().page(1), (err) => err.code === 'server_error')
    mock.clearFaults()
    await client.listOrganizations().page(1)
    mock.injectFaults({ script: [{ fault: 'slow', delayMs: 300, operation: 'list_organizations' }] })
    await client.listOrganizations().page(1)
    assert.equal(mock.stats().faultsInjected, 2)
  } finally {
    await mock.close()
  }
})

test('validateEmail and patchRaw answer false for unknown organizations', async () => {
  const mock = await MockServer.start({ rateLimit: 0 })
  try {
    assert.equal(mock.validateEmail('6f4049e3-5910-4283-bb02-382ef15aa460'), false)
    assert.equal(mock.validateEmail('not-a-uuid'), false)
    assert.equal(mock.patchRaw('6f4049e3-5910-4283-bb02-382ef15aa460', { set: { name: 'x' } }), false)
  } finally {
    await mock.close()
  }
})

test('bad options are TypeErrors; a closed server says so', async () => {
  await assert.rejects(MockServer.start({ rateLimitStyle: 'polite' }), TypeError)
  await assert.rejects(MockServer.start({ latency: { baseMs: 'slow' } }), TypeError)
  await assert.rejects(MockServer.start('fast'), TypeError)
  const mock = await MockServer.start()
  assert.throws(() => mock.injectFaults({ script: [{ fault: 'meteor' }] }), TypeError)
  assert.throws(() => mock.validateEmail(42), TypeError)
  assert.throws(() => mock.patchRaw(mock.organizationId, 'set'), TypeError)
  await mock.close()
  await mock.close()
  assert.throws(() => mock.stats(), /closed/)
  // Its address no longer answers.
  await assert.rejects(mock.client({ maxRetries: 0 }).listOrganizations().page(1), (err) => err.code === 'transport')
})

/** Runs a fixture script with node; resolves with its exit and output. */
function runFixture(name, flags = []) {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, script], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (err.code ?? err.signal) : 0, stdout, stderr }),
    )
  })
}

test('a client made by mock.client() keeps its emulator through garbage collections', async () => {
  const { code, stdout, stderr } = await runFixture('gc-script.mjs', ['--expose-gc'])
  assert.equal(code, 0, stderr)
  assert.match(stdout, /^served 0$/m)
})

test('an emulator given a listen address keeps a script that only hosts it alive', async () => {
  const script = fileURLToPath(new URL('./fixtures/host-script.mjs', import.meta.url))
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] })
  let stdout = ''
  const exited = new Promise((resolve) => child.on('exit', resolve))
  try {
    const first = await new Promise((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0])
      })
    })
    const client = new Client({ ...JSON.parse(first), maxRetries: 0 })
    await client.createOrganization(orgParams())
    assert.equal((await client.listOrganizations()).totalCount, 1)
    assert.equal(child.exitCode, null, 'still serving')
    assert.ok(!stdout.includes('beforeExit'), 'the event loop was never empty')
  } finally {
    child.kill()
    await exited
  }
})

test('await using: a MockServer is AsyncDisposable, disposal closes it', async () => {
  const mock = await MockServer.start()
  assert.equal(typeof mock[Symbol.asyncDispose], 'function')
  await mock[Symbol.asyncDispose]()
  assert.throws(() => mock.stats(), /closed/)
})

test('ref() and unref() choose whether an open emulator keeps the process alive; both chain', async () => {
  const mock = await MockServer.start()
  try {
    assert.equal(mock.ref(), mock)
    assert.equal(mock.unref(), mock)
  } finally {
    await mock.close()
  }
})

test('unknown option keys are TypeErrors naming the closest known key, nested ones too', async () => {
  await assert.rejects(MockServer.start({ ratelimit: 0 }), /unknown key 'ratelimit'; did you mean 'rateLimit'\?/)
  await assert.rejects(MockServer.start({ latency: { baseMS: 5 } }), /options\.latency has an unknown key 'baseMS'; did you mean 'baseMs'\?/)
  const mock = await MockServer.start()
  try {
    assert.throws(() => mock.injectFaults({ scrpit: [] }), /plan has an unknown key 'scrpit'; did you mean 'script'\?/)
    assert.throws(
      () => mock.injectFaults({ probabilities: { serverErorr: 0.5 } }),
      /plan\.probabilities has an unknown key 'serverErorr'; did you mean 'serverError'\?/,
    )
  } finally {
    await mock.close()
  }
})
