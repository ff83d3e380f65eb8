// Coordination through Redis from Node (issue 23 item 3): the core's backend, chosen by the
// `coordination` option or SCW_PARTNER_COORDINATION, against a real redis-server started on a
// free loopback port (skipped when none is installed, except under CI=true, where that fails).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { CoordinationError } from 'scaleway_partner'
import { startMock, clientOf, customerParams as params, deadPort, oneOrganizationEach } from './helpers.mjs'

function isFile(file) {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** `$REDIS_SERVER`, else `redis-server` on the PATH. */
function redisBinary() {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, 'redis-server'))
    .find(isFile)
}

/** A throwaway redis-server; `undefined` (the test skips) when none is installed outside CI. */
async function startRedis(t) {
  const binary = redisBinary()
  if (!binary) {
    assert.notEqual(process.env.CI?.toLowerCase(), 'true', 'redis-server is not installed')
    t.skip('redis-server is not installed')
    return undefined
  }
  const port = await deadPort()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scaleway-partner-redis-'))
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  )
  t.after(() => {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  for (let i = 0; i < 1000; i += 1) {
    const pong = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
      socket.on('data', (data) => {
        socket.destroy()
        resolve(data.toString().startsWith('+PONG'))
      })
      socket.on('error', () => resolve(false))
    })
    if (pong) return `redis://127.0.0.1:${port}/0`
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('redis-server did not start')
}

test('5 child processes pointed at one Redis ensuring 5 customers: 5 organizations', async (t) => {
  const redis = await startRedis(t)
  if (!redis) return
  const mock = await startMock({ latency: { createMs: 400 } })
  try {
    // The child of coordination.test.mjs, with machine coordination replaced by Redis.
    const script = fileURLToPath(new URL('coordination.test.mjs', import.meta.url))
    const args = [script, 'child', mock.url, mock.secretKey, mock.organizationId]
    const env = { ...process.env, SCW_PARTNER_COORDINATION: redis }
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => promisify(execFile)(process.execPath, args, { env })),
    )
    const got = runs.flatMap(({ stdout }) => JSON.parse(stdout))
    assert.equal(got.length, 25)
    await oneOrganizationEach(mock, got)
  } finally {
    mock.close()
  }
})

test('Redis down: nothing is sent for a create or an ensure; reads pace alone', async () => {
  const mock = await startMock()
  try {
    const client = clientOf(mock, {
      coordination: `redis://127.0.0.1:${await deadPort()}/0`,
      rateLimit: 50,
    })
    for (const call of [
      () => client.ensureOrganization(params('cust-down')),
      () => client.createOrganization(params('cust-down')),
    ]) {
      await assert.rejects(call(), (err) => {
        assert.ok(err instanceof CoordinationError, String(err))
        assert.match(err.message, /Redis at redis:\/\/127\.0\.0\.1/)
        return true
      })
    }
    assert.equal(mock.stats().requests, 0)
    await client.listOrganizations().page(1)
    assert.equal(mock.stats().requests, 1)
  } finally {
    mock.close()
  }
})
