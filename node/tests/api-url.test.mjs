// The API URL is parsed once, by the core: user information (`user:password@host`) is refused
// with a ConfigurationError naming the setting, before anything is sent. The check used to read
// the host before the '@' while the key went, with a Basic header, to the host after it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { Client, ConfigurationError } from 'scaleway_partner'

const secretKey = '11111111-1111-4111-8111-111111111111'

test('userinfo in apiUrl or SCW_API_URL is a ConfigurationError naming it, and nothing is sent', async () => {
  const received = []
  const server = http.createServer((req, res) => {
    received.push(req.headers)
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  const disguised = `http://localhost:x@127.0.0.1:${port}`
  try {
    assert.throws(
      () => new Client({ apiUrl: disguised, secretKey }),
      (err) =>
        err instanceof ConfigurationError &&
        err.message.includes('apiUrl must not contain user information') &&
        !err.message.includes('localhost:x'),
    )
    const saved = process.env.SCW_API_URL
    process.env.SCW_API_URL = disguised
    try {
      assert.throws(
        () => new Client({ secretKey }),
        (err) => err instanceof ConfigurationError && err.message.includes('SCW_API_URL must not contain user information'),
      )
    } finally {
      if (saved === undefined) delete process.env.SCW_API_URL
      else process.env.SCW_API_URL = saved
    }
    assert.deepEqual(received, [], 'nothing reached the server')
  } finally {
    server.close()
  }
})
