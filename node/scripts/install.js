'use strict'
// npm `install` hook of the source package only (`npm install ./node`, `npm ci` in node/): the
// published package has no install hook, its binary comes from its platform package
// (scaleway_partner-<platform>, an optional dependency; see scripts/package.sh).
//
// Which binary fits this platform is napi-rs's business: when its generated loader (native.js)
// already loads one, there is nothing to do. Otherwise, and only in a source checkout (the
// binding's Cargo.toml beside this package), the addon is built with napi-rs's CLI. Anywhere
// else the loader's error, naming the platform, is printed.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const manifest = path.resolve(root, '..', 'bindings', 'node', 'Cargo.toml')

function loads() {
  try {
    require(path.join(root, 'lib', 'binding.js'))
    return null
  } catch (err) {
    return err
  }
}

function run(command, args) {
  console.log(`scaleway_partner: ${command} ${args.join(' ')}`)
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.error) {
    console.error(`scaleway_partner: cannot run ${command}: ${r.error.message}`)
    process.exit(1)
  }
  if (r.status !== 0) process.exit(r.status ?? 1)
}

function main() {
  const err = loads()
  if (!err) return
  if (!fs.existsSync(manifest)) {
    console.error(err.message)
    process.exit(1)
  }
  console.log('scaleway_partner: source checkout without a built addon: building it (needs Rust)')
  if (fs.existsSync(path.join(root, 'node_modules', '@napi-rs', 'cli'))) {
    run('npm', ['run', 'build'])
    return
  }
  // Installed by path as another project's dependency: no dev dependencies here, so the
  // package's own pinned napi-rs CLI is fetched from the registry for this one build.
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  const cli = `@napi-rs/cli@${pkg.devDependencies['@napi-rs/cli'].replace(/^[\^~]/, '')}`
  // The CLI has two binaries (napi, napi-raw): --package with the command named, or npx cannot
  // choose. The build script's first word is that command.
  run('npx', ['--yes', '--package', cli, ...pkg.scripts.build.split(' ')])
}

main()
