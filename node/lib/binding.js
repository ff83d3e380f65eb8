'use strict'
// The native addon, loaded through napi-rs's generated loader (../native.js, from `napi build
// --platform`). That loader picks, for this platform, the addon built in a source checkout
// (scaleway_partner.<platform>.node beside it) or the platform package npm installed as an
// optional dependency (scaleway_partner-<platform>). When neither is there, this error names the
// platform and what to do, with napi-rs's own attempts as its cause.

const PREFIX = 'scaleway_partner-'

// The platform packages napi-rs's loader looked for, from the messages of its attempts.
function packagesTried(err) {
  const names = new Set()
  for (let e = err, depth = 0; e && depth < 64; e = e.cause, depth++) {
    for (const m of String(e.message).matchAll(/Cannot find module '(scaleway_partner-[a-z0-9-]+)'/g)) {
      // The WASI fallback is tried on every platform; it names no platform.
      if (!m[1].endsWith('-wasm32-wasi')) names.add(m[1])
    }
  }
  return [...names]
}

function noBinaryError(err) {
  const platform = `${process.platform}-${process.arch}`
  const tried = packagesTried(err)
  let published = [] // the platform packages this package depends on (scripts/stage.js)
  try {
    published = Object.keys(require('../package.json').optionalDependencies ?? {})
  } catch {
    // keep the message without the list
  }
  const lines = [
    `scaleway_partner: no native binary loads on this platform (${platform}` +
      (tried.length ? `; napi-rs looked for the package ${tried.join(', ')}` : '') +
      ').',
  ]
  if (tried.some((name) => published.includes(name))) {
    lines.push(
      `${tried.find((name) => published.includes(name))}, an optional dependency of this package, is not ` +
        'installed here: install it with the package (its tarball from scripts/package.sh beside ' +
        "this one's, or from npm once released), without --omit=optional / --no-optional (after an " +
        'npm bug with optional dependencies, remove node_modules and package-lock.json and run npm ' +
        'install again).',
    )
  } else if (published.length) {
    lines.push(
      `Prebuilt binaries are made for ${published.map((name) => name.slice(PREFIX.length)).join(', ')}. ` +
        'On another platform, build the package from a source checkout (a Rust toolchain is ' +
        'needed): see "Building from source" in the README.',
    )
  } else {
    lines.push('In a source checkout, build the addon first: `npm install && npm run build` in node/ (a Rust toolchain is needed).')
  }
  const error = new Error(lines.join(' '))
  error.code = 'ERR_SCALEWAY_PARTNER_NO_BINARY'
  error.cause = err
  return error
}

let native
try {
  native = require('../native.js')
} catch (err) {
  throw noBinaryError(err)
}

module.exports = native
