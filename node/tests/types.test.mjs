// index.d.ts and testing.d.ts checked by tsc against typed usage files (ESM and CommonJS),
// including lines that must NOT compile.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

test('tsc --noEmit accepts the typed usage files', async () => {
  const { code, output } = await new Promise((resolve) => {
    execFile(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tests/types'],
      { cwd: root },
      (err, stdout, stderr) => resolve({ code: err ? err.code : 0, output: stdout + stderr }),
    )
  })
  assert.equal(code, 0, output)
})
