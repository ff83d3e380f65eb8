'use strict'
// Stages the main npm package for `npm pack` (scripts/package.sh): the files npm itself selects
// for node/ (package.json "files"), the LICENSE, and a package.json as published, which
//  - depends on one platform package per napi-rs target, as optionalDependencies at exactly
//    this version (the names are napi-rs's, read from the dirs `napi create-npm-dirs` made);
//  - has no scripts (the install hook builds from source only in a source checkout) and no
//    devDependencies.
// The release workflow does the same with `napi pre-publish`, which also publishes the
// platform packages.
// Usage: node scripts/stage.js <npm-dir> <stage-dir> <license-file>

const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const [npmDir, stage, license] = process.argv.slice(2).map((p) => path.resolve(p))
if (!license) {
  console.error('usage: node scripts/stage.js <npm-dir> <stage-dir> <license-file>')
  process.exit(2)
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const platforms = fs
  .readdirSync(npmDir)
  .map((dir) => JSON.parse(fs.readFileSync(path.join(npmDir, dir, 'package.json'), 'utf8')))
if (platforms.length !== pkg.napi.targets.length) {
  throw new Error(`expected ${pkg.napi.targets.length} platform packages in ${npmDir}, found ${platforms.length}`)
}

// What `npm pack` would put in the tarball from node/ itself.
const npmCli = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const [listing] = JSON.parse(execFileSync(npmCli, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }))
// napi-rs's loader and declarations are build outputs, not in git: a stage without them is a
// package that cannot load its addon.
const listed = new Set(listing.files.map(({ path: file }) => file))
const missing = pkg.files.filter((file) => !file.endsWith('/') && !listed.has(file))
if (missing.length) throw new Error(`not in the package (run npm run build first?): ${missing.join(', ')}`)
fs.rmSync(stage, { recursive: true, force: true })
for (const { path: file } of listing.files) {
  if (file === 'package.json' || file.endsWith('.node')) continue
  fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true })
  fs.copyFileSync(path.join(root, file), path.join(stage, file))
}
fs.copyFileSync(license, path.join(stage, 'LICENSE'))

const published = { ...pkg }
delete published.scripts
delete published.devDependencies
published.optionalDependencies = Object.fromEntries(
  platforms.map((p) => {
    if (p.version !== pkg.version) throw new Error(`${p.name} is at ${p.version}, the package at ${pkg.version}`)
    return [p.name, p.version]
  }),
)
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`)
console.log(`staged ${pkg.name}@${pkg.version} in ${stage} with ${platforms.length} platform packages`)
