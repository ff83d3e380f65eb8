// What the loader says when no binary loads (issue 25): until the first release nothing is on
// npm, so it names the missing platform package as a dependency and how to install it, without
// claiming it is published.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const LIB = fileURLToPath(new URL('../lib/binding.js', import.meta.url))

test('a missing platform package is named, with how to install it, not as published', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scw-loader-'))
  try {
    mkdirSync(join(dir, 'lib'))
    copyFileSync(LIB, join(dir, 'lib', 'binding.js'))
    const platform = 'scaleway_partner-linux-x64-gnu'
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ optionalDependencies: { [platform]: '0.1.0' } }))
    // napi-rs's loader failing as it does when the platform package is absent.
    writeFileSync(join(dir, 'native.js'), `throw new Error("Cannot find module '${platform}'")`)
    const require = createRequire(join(dir, 'index.js'))
    assert.throws(
      () => require('./lib/binding.js'),
      (err) => {
        assert.equal(err.code, 'ERR_SCALEWAY_PARTNER_NO_BINARY')
        assert.match(err.message, new RegExp(`${platform}, an optional dependency of this package, is not installed`))
        assert.match(err.message, /scripts\/package\.sh/)
        assert.doesNotMatch(err.message, /is published/)
        return true
      },
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
