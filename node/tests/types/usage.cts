// The same package from CommonJS TypeScript: require-style imports resolve to index.d.ts.
import sp = require('scaleway_partner')
import testing = require('scaleway_partner/testing')

export async function commonjs(): Promise<void> {
  const mock: testing.MockServer = await testing.MockServer.start({ rateLimit: 0 })
  const client: sp.Client = mock.client()
  try {
    const org: sp.Organization = await client.getOrganization('6f4049e3-5910-4283-bb02-382ef15aa460')
    console.log(org.createdAt?.toISOString())
    const report: sp.AuditReport = await client.audit({ stuckAfterDays: 3 })
    console.log(report.total, report.byStatus, report.generatedAt.toISOString())
  } catch (e) {
    if (e instanceof sp.ResourceNotFoundError) console.log(e.requestId)
  } finally {
    await mock.close()
  }
}
