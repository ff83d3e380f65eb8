'use strict'
// npm `install` hook: when the package is installed from this repository (`npm install ./node`)
// and no addon for this platform is here yet, compile it. With the dev dependencies present the
// regular `npm run build` does it; without them (a dependency installed by path gets none) cargo
// builds the crate and the library is copied under the name the loader (native.js) looks for.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const manifest = path.resolve(root, '..', 'bindings', 'node', 'Cargo.toml')

function isMusl() {
  const report = process.report?.getReport?.()
  return process.platform === 'linux' && !report?.header?.glibcVersionRuntime
}

// The suffixes of napi-rs for the targets listed in package.json.
function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

function run(command, args, options = {}) {
  console.log(`scaleway_partner: ${command} ${args.join(' ')}`)
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', ...options })
  if (r.status !== 0) process.exit(r.status ?? 1)
  return r
}

function main() {
  const addon = path.join(root, `scaleway_partner.${platformSuffix()}.node`)
  if (fs.existsSync(addon)) return
  if (!fs.existsSync(manifest)) {
    console.error(`scaleway_partner: no prebuilt addon for ${platformSuffix()} and no sources at ${manifest}`)
    process.exit(1)
  }
  if (fs.existsSync(path.join(root, 'node_modules', '@napi-rs', 'cli'))) {
    run('npm', ['run', 'build'])
    return
  }
  const r = spawnSync(
    'cargo',
    ['build', '--release', '--manifest-path', manifest, '--message-format=json-render-diagnostics'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 28 },
  )
  if (r.error) {
    console.error(`scaleway_partner: cannot run cargo (a Rust toolchain is needed to build from source): ${r.error.message}`)
    process.exit(1)
  }
  if (r.status !== 0) process.exit(r.status ?? 1)
  const library = r.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .filter((m) => m.reason === 'compiler-artifact' && m.target?.name === 'scaleway_partner_node')
    .flatMap((m) => m.filenames)
    .find((f) => /\.(so|dylib|dll)$/.test(f))
  if (!library) {
    console.error('scaleway_partner: cargo built no library for scaleway-partner-node')
    process.exit(1)
  }
  fs.copyFileSync(library, addon)
  console.log(`scaleway_partner: built ${path.basename(addon)}`)
}

main()
