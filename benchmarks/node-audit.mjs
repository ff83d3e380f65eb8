// Audit of a large emulated book from Node, then the diff of two audits and a lock plan (both
// read the reports back in the addon): wall times and memory. The sibling of python-audit.py.
//
//   node benchmarks/node-audit.mjs --organizations 100000
//
// The emulator runs in the same process (its organizations count in the memory figures: the
// "after seeding" line is the baseline). Not a test: figures are printed, nothing is asserted
// but the count. RSS is read after each step; the peak is the process's high-water mark.

import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(join(here, '../node/package.json'))
const { MockServer } = require('scaleway_partner/testing')

const { values: args } = parseArgs({
  options: {
    organizations: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
  },
})
const count = Number(args.organizations)
const mib = (bytes) => Math.round(bytes / 2 ** 20)
const seconds = (since) => Math.round((performance.now() - since) / 10) / 100

let t0 = performance.now()
const mock = await MockServer.start({ rateLimit: 0, seed: Number(args.seed), seedOrganizations: count })
const seeded = seconds(t0)
try {
  const client = mock.client({ rateLimit: 0 })
  const baseline = process.memoryUsage().rss
  t0 = performance.now()
  const previous = await client.audit()
  const firstAudit = seconds(t0)
  t0 = performance.now()
  const report = await client.audit()
  const audit = seconds(t0)
  if (report.total !== count) throw new Error(`audited ${report.total} of ${count}`)
  const afterAudits = process.memoryUsage().rss
  t0 = performance.now()
  const diff = report.diff(previous)
  const diffS = seconds(t0)
  const afterDiff = process.memoryUsage().rss
  t0 = performance.now()
  const plan = report.planLock(report.organizations.slice(0, 10))
  const planS = seconds(t0)
  console.log(
    JSON.stringify(
      {
        organizations: report.total,
        seed_s: seeded,
        first_audit_s: firstAudit,
        audit_s: audit,
        diff_s: diffS,
        plan_lock_s: planS,
        diff_status_changes: diff.statusChanges.length,
        plan_actions: plan.actions?.length,
        rss_after_seeding_mib: mib(baseline),
        rss_after_two_audits_mib: mib(afterAudits),
        rss_after_diff_mib: mib(afterDiff),
        peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      null,
      2,
    ),
  )
} finally {
  await mock.close()
}
