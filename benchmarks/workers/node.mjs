// One measurement from Node, as one JSON line on stdout (run by benchmarks/run.py).
//
//     node node.mjs IMPL OPERATION [N]
//
// IMPL is `partner` (this project's package, from node/ in this tree) or `plain` (fetch, whose
// undici agent keeps connections alive). The emulator comes from SCW_API_URL and
// SCW_SECRET_KEY; the organization to get from BENCH_ORGANIZATION, IDs to lock, one per line,
// from BENCH_IDS. CPU is the
// process's (every thread), memory the peak RSS.
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

const URL = process.env.SCW_API_URL
const KEY = process.env.SCW_SECRET_KEY
const ORGANIZATION = process.env.BENCH_ORGANIZATION
const MIB = 1024 * 1024

async function measured(run) {
  const rssBefore = process.memoryUsage.rss() / MIB
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const value = await run()
  const wall = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  return {
    wall_s: wall,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    rss_before_mib: rssBefore,
    peak_rss_mib: process.resourceUsage().maxRSS / 1024,
    value,
  }
}

const ids = () => readFileSync(process.env.BENCH_IDS, 'utf8').split('\n').filter(Boolean)

async function partner(operation, n) {
  const { Client } = await import(new globalThis.URL('../../node/index.mjs', import.meta.url))
  const paced = ['list', 'lock', 'lock_no_headers'].includes(operation)
  const client = new Client({ apiUrl: URL, secretKey: KEY, ...(paced ? {} : { rateLimit: 0 }) })
  let result
  if (operation === 'list' || operation === 'cpu') {
    result = await measured(() => client.listOrganizations().all())
    result.count = result.value.length
  } else if (operation === 'lock' || operation === 'lock_no_headers') {
    const wanted = ids()
    result = await measured(() => client.lockOrganizations(wanted))
    result.errors = result.value.filter((r) => r instanceof Error).length
  } else if (operation === 'gets') {
    await client.getOrganization(ORGANIZATION)
    result = await measured(async () => {
      for (let i = 0; i < n; i++) await client.getOrganization(ORGANIZATION)
    })
    result.per_s = n / result.wall_s
  } else if (operation === 'concurrent') {
    result = await measured(async () => {
      const all = Array.from({ length: n }, () => client.getOrganization(ORGANIZATION))
      const settled = await Promise.allSettled(all)
      return settled.filter((s) => s.status === 'rejected').length
    })
    result.errors = result.value
  } else {
    throw new Error(`partner: unknown operation ${operation}`)
  }
  delete result.value
  return result
}

async function plain(operation, n) {
  const get = async (path) => {
    const response = await fetch(`${URL}${path}`, { headers: { 'X-Auth-Token': KEY } })
    if (response.status !== 200) throw new Error(`plain: ${path} answered ${response.status}`)
    return response.json()
  }
  if (operation !== 'gets') throw new Error(`plain: unknown operation ${operation}`)
  const path = `/partner/v1/organizations/${ORGANIZATION}`
  await get(path)
  const result = await measured(async () => {
    for (let i = 0; i < n; i++) await get(path)
  })
  result.per_s = n / result.wall_s
  delete result.value
  return result
}

const [impl, operation, n] = process.argv.slice(2)
const run = { partner, plain }[impl]
console.log(JSON.stringify(await run(operation, Number(n ?? 0))))
