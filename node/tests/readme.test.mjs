// The README's examples, as written there, so that they stay true.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MockServer } from 'scaleway_partner/testing'

test('locking a customer', async () => {
  const mock = await MockServer.start({ seedOrganizations: 10, latency: { baseMs: 20 } })
  try {
    const client = mock.client() // bound to mock.url, mock.secretKey, mock.organizationId
    const [first] = (await client.listOrganizations().page(1)).organizations
    const locked = await client.lockOrganization(first.id)
    assert.equal(locked.lockedBy, 'partner')

    mock.injectFaults({ script: [{ fault: 'server_error', count: 1 }] })
    await client.getOrganization(first.id) // retried through the 502/503
    assert.equal(mock.stats().faultsInjected, 1)
  } finally {
    await mock.close()
  }
})

const ROOT = new URL('..', import.meta.url)

/** The first js block of the README section `heading`, checked to contain `call`. */
function readmeExample(heading, call) {
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8')
  const section = readme.slice(readme.indexOf(heading))
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1]
  assert.ok(code?.includes(call), `the README's "${heading}" example calls ${call}`)
  return code
}

/**
 * Runs `code` as a user's ES module script, against `mock` named by SCW_* variables and nothing
 * else of this environment; resolves to its exit code and output.
 */
function runAsScript(code, mock) {
  const env = {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    SCW_API_URL: mock.url,
    SCW_SECRET_KEY: mock.secretKey,
    SCW_DEFAULT_ORGANIZATION_ID: mock.organizationId,
  }
  // --eval resolves 'scaleway_partner' from the working directory: the package itself.
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', code],
      { cwd: fileURLToPath(ROOT), env },
      (err, out, errOut) => resolve({ exit: err ? err.code : 0, stdout: out, stderr: errOut }),
    )
  })
}

// The README's audit example, taken from the README itself and run as a user's script.
test('the audit example of the README runs', async () => {
  const code = readmeExample("## Auditing the partner's book", 'client.audit(')
  const mock = await MockServer.start({ seedOrganizations: 300, rateLimit: 0 })
  try {
    const { exit, stdout, stderr } = await runAsScript(code, mock)
    assert.equal(exit, 0, stderr)
    assert.match(stdout, /^300 organizations/m)
    assert.match(stderr, /300\/300/)
    assert.match(stdout, /customer ID \S+ is used by \d+ organizations/)
    assert.ok(mock.stats().byOperation.unlock_organization > 0, 'the bulk unlock ran')
  } finally {
    await mock.close()
  }
})

// The ensureOrganization example of the README, run as a user's script (with the `customers`
// it leaves to the reader).
test('the ensureOrganization example of the README runs, twice without duplicating', async () => {
  const example = readmeExample('## Creating exactly once', 'client.ensureOrganizations(')
  const customers = [
    { email: 'a@example.test', organizationName: 'Alpha', ownerFirstname: 'Ann', ownerLastname: 'Lee', customerId: 'alpha' },
    { email: 'owner@example.com', organizationName: 'Acme', ownerFirstname: 'Jane', ownerLastname: 'Doe', customerId: 'customer-42' },
    { email: 'b@example.test', organizationName: 'Beta', ownerFirstname: 'Bob', ownerLastname: 'Lee', customerId: 'customer-42' },
  ]
  const code = `const customers = ${JSON.stringify(customers)}\n${example}`
  const mock = await MockServer.start({ rateLimit: 0 })
  try {
    const first = await runAsScript(code, mock)
    assert.equal(first.exit, 0, first.stderr)
    assert.match(first.stdout, / created\n/)
    // Customer 42 made by the single call; the batch created Alpha, found customer 42, and
    // refused another owner for it.
    assert.match(first.stdout, / true\n/)
    assert.match(first.stdout, / false\n/)
    assert.match(first.stdout, /^customer customer-42: \S+$/m)
    const second = await runAsScript(code, mock)
    assert.equal(second.exit, 0, second.stderr)
    assert.match(second.stdout, / already there\n/)
    assert.doesNotMatch(second.stdout, / true\n/)
    assert.equal(mock.stats().byOperation.create_organization, 2)
  } finally {
    await mock.close()
  }
})

// The README's emulator host snippet prints what a client in another process needs: with only
// those variables, `getOrganization()` (the partner's own organization) answers.
test('the emulator host snippet of the README serves a client built from what it prints', async () => {
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8')
  const snippet = /```js\n(\/\/ A script that only hosts the emulator[\s\S]*?)```/.exec(readme)?.[1]
  assert.ok(snippet?.includes('console.log('), "the README's emulator host snippet")
  const code = `import { MockServer } from 'scaleway_partner/testing'\n${snippet.replace('127.0.0.1:8080', '127.0.0.1:0')}`
  const { spawn } = await import('node:child_process')
  const host = spawn(process.execPath, ['--input-type=module', '--eval', code], {
    cwd: fileURLToPath(ROOT),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    let printed = ''
    for await (const chunk of host.stdout) {
      printed += chunk
      if (printed.includes('\n')) break
    }
    const env = Object.fromEntries(printed.trim().split(' ').map((pair) => pair.split('=')))
    assert.deepEqual(Object.keys(env), ['SCW_API_URL', 'SCW_SECRET_KEY', 'SCW_DEFAULT_ORGANIZATION_ID'])
    const user = `import { Client } from 'scaleway_partner'\nconsole.log((await new Client().getOrganization()).id)`
    const { exit, stdout, stderr } = await new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--input-type=module', '--eval', user],
        { cwd: fileURLToPath(ROOT), env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env } },
        (err, out, errOut) => resolve({ exit: err ? err.code : 0, stdout: out, stderr: errOut }),
      )
    })
    assert.equal(exit, 0, stderr)
    assert.equal(stdout.trim(), env.SCW_DEFAULT_ORGANIZATION_ID)
  } finally {
    host.kill()
  }
})
