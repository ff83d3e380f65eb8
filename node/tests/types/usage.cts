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
    const ensured: sp.EnsuredOrganization = await client.ensureOrganization({
      email: 'a@b.test', organizationName: 'Acme', ownerFirstname: 'Jane', ownerLastname: 'Doe', customerId: 'c',
    })
    console.log(ensured.created, mock.stats().lateApplied)
  } catch (e) {
    if (e instanceof sp.ResourceNotFoundError) console.log(e.requestId)
    else if (e instanceof sp.CreateUnconfirmedError) console.log(e.customerId, e.cause.code)
    else if (e instanceof sp.ConflictError) console.log(e.organizationIds.length)
    else if (e instanceof sp.RedirectError || e instanceof sp.ListingChangedError) console.log(e.code)
  } finally {
    await mock.close()
  }
}
