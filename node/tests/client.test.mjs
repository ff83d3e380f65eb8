// Construction: explicit options, SCW_* variables and the scw config.yaml (the core resolves them).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client, ConfigurationError } from 'scaleway_partner'
import { startMock, orgParams } from './helpers.mjs'

let mock
let dir
before(async () => {
  mock = await startMock()
  dir = await mkdtemp(path.join(tmpdir(), 'scw-node-'))
})
after(async () => {
  await mock.close()
  await rm(dir, { recursive: true, force: true })
})

/** Runs `code` (ESM) in a fresh process with exactly `env` (plus PATH), returns its stdout. */
function runWith(env, code) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', code],
      { env: { PATH: process.env.PATH, HOME: dir, ...env }, cwd: path.dirname(new URL(import.meta.url).pathname) },
      (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout.trim())),
    )
  })
}

const PROBE = `
import { Client } from 'scaleway_partner'
try {
  const c = process.argv.includes('--from-env') ? Client.fromEnv() : new Client()
  const org = await c.createOrganization(${JSON.stringify(orgParams())})
  console.log(JSON.stringify({ apiUrl: c.apiUrl, defaultOrganizationId: c.defaultOrganizationId, profile: c.profile, created: org.id.length }))
} catch (e) {
  console.log(JSON.stringify({ error: e.constructor.name, message: e.message }))
}`

test('explicit options: the client talks to the given URL with the given key', async () => {
  const c = new Client({
    secretKey: mock.secretKey,
    apiUrl: mock.url,
    defaultOrganizationId: mock.organizationId,
    timeout: 5000,
    connectTimeout: 1000,
    maxRetries: 1,
    rateLimit: 10,
    pageConcurrency: 2,
    bulkConcurrency: 2,
  })
  assert.equal(c.apiUrl, mock.url)
  assert.equal(c.defaultOrganizationId, mock.organizationId)
  assert.equal(c.profile, null)
  const org = await c.createOrganization(orgParams())
  assert.equal((await c.getOrganization(org.id)).id, org.id)
})

test('new Client() and Client.fromEnv() read SCW_* variables', async () => {
  const env = {
    SCW_SECRET_KEY: mock.secretKey,
    SCW_API_URL: mock.url,
    SCW_DEFAULT_ORGANIZATION_ID: mock.organizationId,
  }
  for (const probe of [PROBE, PROBE.replace("process.argv.includes('--from-env')", 'true')]) {
    const out = JSON.parse(await runWith(env, probe))
    assert.deepEqual(out, {
      apiUrl: mock.url,
      defaultOrganizationId: mock.organizationId,
      profile: null,
      created: 36,
    })
  }
})

test('the scw config.yaml, its active profile, and SCW_PROFILE', async () => {
  const file = path.join(dir, 'config.yaml')
  await writeFile(
    file,
    [
      'secret_key: 11111111-1111-4111-8111-111111111111',
      'api_url: http://127.0.0.1:9',
      'active_profile: emulator',
      'profiles:',
      '  emulator:',
      `    secret_key: ${mock.secretKey}`,
      `    api_url: ${mock.url}`,
      `    default_organization_id: ${mock.organizationId}`,
      '  broken:',
      '    secret_key: nope',
      '',
    ].join('\n'),
  )
  const out = JSON.parse(await runWith({ SCW_CONFIG_PATH: file }, PROBE))
  assert.equal(out.profile, 'emulator')
  assert.equal(out.apiUrl, mock.url)
  assert.equal(out.created, 36)
  const broken = JSON.parse(await runWith({ SCW_CONFIG_PATH: file, SCW_PROFILE: 'broken' }, PROBE))
  assert.equal(broken.error, 'ConfigurationError')
  // An explicit profile beats the file's active one, in this process too.
  assert.throws(() => new Client({ profile: 'missing' }), ConfigurationError)
})

test('no secret key anywhere is a ConfigurationError that says where to put one', async () => {
  const out = JSON.parse(await runWith({}, PROBE))
  assert.equal(out.error, 'ConfigurationError')
  assert.match(out.message, /SCW_SECRET_KEY/)
})

test('a trailing / in apiUrl is accepted (the core drops one); the client calls the base URL', async () => {
  const c = new Client({ secretKey: mock.secretKey, apiUrl: `${mock.url}/`, defaultOrganizationId: mock.organizationId })
  assert.equal(c.apiUrl, mock.url)
  const org = await c.createOrganization(orgParams())
  assert.equal((await c.getOrganization(org.id)).id, org.id)
})
