// Proxies end to end: the environment's never apply to this machine, an explicit `proxy`
// carries every call through a forwarding proxy, and `NO_PROXY` still goes direct.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { startMock, clientOf, orgParams, deadPort } from './helpers.mjs'

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'all_proxy', 'NO_PROXY', 'no_proxy']

let mock
before(async () => {
  mock = await startMock()
})
after(() => mock.close())

/** Runs `fn` with these variables in the environment (the client reads it when built). */
async function withEnv(vars, fn) {
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]))
  Object.assign(process.env, vars)
  try {
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

/** A forward proxy for plain http:// that records the request line of what it forwards. */
async function countingProxy() {
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    const upstream = http.request(new URL(req.url), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { seen, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) }
}

test('proxies from the environment never apply to the emulator on this machine', async () => {
  const dead = `http://127.0.0.1:${await deadPort()}`
  await withEnv({ HTTP_PROXY: dead, HTTPS_PROXY: dead, ALL_PROXY: dead, http_proxy: dead }, async () => {
    const client = clientOf(mock)
    const org = await client.createOrganization(orgParams())
    assert.equal((await client.getOrganization(org.id)).id, org.id)
  })
})

test('an explicit proxy carries every call end to end; NO_PROXY still goes direct', async () => {
  const proxy = await countingProxy()
  try {
    const client = clientOf(mock, { proxy: proxy.url })
    const org = await client.createOrganization(orgParams())
    assert.equal((await client.getOrganization(org.id)).name, org.name)
    assert.deepEqual(proxy.seen, [
      `POST ${mock.url}/partner/v1/organizations`,
      `GET ${mock.url}/partner/v1/organizations/${org.id}`,
    ])
    await withEnv({ NO_PROXY: '127.0.0.1,localhost' }, async () => {
      const direct = clientOf(mock, { proxy: proxy.url })
      assert.equal((await direct.getOrganization(org.id)).id, org.id)
    })
    assert.equal(proxy.seen.length, 2)
  } finally {
    await proxy.close()
  }
})
