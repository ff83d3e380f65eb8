// index.d.ts and testing.d.ts checked by tsc against typed usage files (ESM and CommonJS),
// including lines that must NOT compile.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = fileURLToPath(new URL('..', import.meta.url))

function tsc(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['node_modules/typescript/bin/tsc', ...args], { cwd: root }, (err, stdout, stderr) =>
      resolve({ code: err ? err.code : 0, output: stdout + stderr }),
    )
  })
}

test('tsc --noEmit accepts the typed usage files', async () => {
  const { code, output } = await tsc(['--noEmit', '-p', 'tests/types'])
  assert.equal(code, 0, output)
})

// The README's examples are what users paste into strict TypeScript: its audit example must
// type-check as written (with tests/types' strict settings).
test("the README's audit example compiles under strict TypeScript", async (t) => {
  const readme = readFileSync(new URL('README.md', new URL('..', import.meta.url)), 'utf8')
  const section = readme.slice(readme.indexOf("## Auditing the partner's book"))
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1]
  assert.ok(code?.includes('client.audit('), 'the audit example is in the README')
  // Inside the package, so that 'scaleway_partner' resolves to it as it does for usage.mts.
  const dir = mkdtempSync(join(root, 'tests', 'types', '.readme-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'audit.mts'), `${code}\nexport {}\n`)
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noUnusedLocals: false }, files: ['audit.mts'] }),
  )
  const { code: exit, output } = await tsc(['--noEmit', '-p', dir])
  assert.equal(exit, 0, output)
})
