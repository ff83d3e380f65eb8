// Typed usage of the whole API as an ESM TypeScript user writes it; checked by `tsc --noEmit`.
// Never run: it only has to type-check (and the @ts-expect-error lines must fail to).
import {
  Client,
  OrganizationList,
  decodeOrganization,
  type Organization,
  type OrganizationPage,
  type OrganizationStatus,
  type LockedBy,
  type BulkResult,
  type EnsuredOrganization,
  type EnsureResult,
  type CreateOrganizationParams,
  type Progress,
  type RequestOptions,
  type ClientOptions,
  type TrafficEvent,
  type ResponseInfo,
  type WithResponse,
  type InvalidArgumentDetail,
  type AuditOptions,
  type AuditReport,
  type AuditFinding,
  type AuditSharedValue,
  type AuditUnknownValue,
} from 'scaleway_partner'
// The error classes through the namespace: their list is the core's table (tests/errors.test.mjs).
import * as sp from 'scaleway_partner'
import { MockServer, type MockStats, type FaultPlan } from 'scaleway_partner/testing'

export async function everything(): Promise<void> {
  const options: ClientOptions = {
    secretKey: '11111111-1111-4111-8111-111111111111',
    apiUrl: 'http://127.0.0.1:1',
    defaultOrganizationId: '7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e',
    profile: 'default',
    timeout: 30_000,
    connectTimeout: 5_000,
    totalTimeout: 120_000,
    createSettleTimeout: 30_000,
    retryUnconfirmedCreates: false,
    allowInsecureHttp: true,
    maxRetries: 3,
    rateLimit: 20,
    pageConcurrency: 4,
    bulkConcurrency: 8,
  }
  const client = new Client(options)
  const fromEnv: Client = Client.fromEnv()
  const bare: Client = new Client()
  const url: string = client.apiUrl
  const defaultId: string | null = client.defaultOrganizationId
  const profile: string | null = fromEnv.profile
  void [bare, url, defaultId, profile]

  const controller = new AbortController()
  const call: RequestOptions = { signal: controller.signal, timeout: 1000, totalTimeout: 5000, maxRetries: 0 }

  const org: Organization = await client.createOrganization(
    {
      email: 'owner@example.test',
      organizationName: 'Acme',
      ownerFirstname: 'Jane',
      ownerLastname: 'Doe',
      customerId: 'customer-42',
      partnerId: '7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e',
      phoneNumber: '+33123456789',
      sirenNumber: '123456789',
    },
    call,
  )
  const created: Date | null = org.createdAt
  const lockedAt: Date | null = org.lockedAt
  const phone: string | null = org.phoneNumber
  const status: OrganizationStatus = org.status
  const lockedBy: LockedBy = org.lockedBy
  void [created, lockedAt, phone, lockedBy]
  // Known values narrow, unknown ones are still accepted.
  if (status === 'opened' || status === 'suspended') void status

  await client.getOrganization(org.id)
  await client.getOrganization()
  await client.getOrganization(org.id, { signal: AbortSignal.timeout(100) })
  await client.updateOrganization(org.id, { name: 'Renamed', comment: 'annual billing' }, call)
  await client.lockOrganization(org.id, { maxRetries: 2 })
  await client.unlockOrganization(org.id)
  const nothing: void = await client.requestAdminRole(org.id, {
    username: 'jane.doe',
    email: 'jane@example.test',
    password: 'secret',
  })
  void nothing

  const params: CreateOrganizationParams = {
    email: 'owner@example.test',
    organizationName: 'Acme',
    ownerFirstname: 'Jane',
    ownerLastname: 'Doe',
    customerId: 'customer-42',
  }
  const ensured: EnsuredOrganization = await client.ensureOrganization(params, { totalTimeout: 60_000 })
  const wasCreated: boolean = ensured.created
  const ensuredOrg: Organization = ensured.organization
  void [wasCreated, ensuredOrg]
  const ensuredAll: EnsureResult[] = await client.ensureOrganizations([params], { concurrency: 2, onProgress: () => {} }, call)
  for (const r of ensuredAll) {
    if (r instanceof sp.ConflictError) console.log(r.customerId, r.organizationIds.join(', '))
    else if (r instanceof sp.ScalewayError) console.log(r.code)
    else console.log(r.organization.id, r.created)
  }

  const list: OrganizationList = client.listOrganizations(
    { status: 'locked', lockedBy: 'partner', email: 'a@b.test', customerId: 'c', orderBy: 'created_at_desc', pageSize: 50 },
    call,
  )
  for await (const o of list) {
    const id: string = o.id
    void id
  }
  for await (const page of list.pages()) {
    const p: OrganizationPage = page
    const total: number | null = p.totalCount
    void total
  }
  const page: OrganizationPage = await list.page(2)
  const all: Organization[] = await list.all({
    concurrency: 2,
    onProgress: (p: Progress) => console.log(p.done, p.total ?? '?'),
  })
  void [page, all]

  const results: BulkResult[] = await client.lockOrganizations([org.id], { concurrency: 4, onProgress: () => {} }, call)
  // An async onProgress is awaited: the work waits for its promise.
  await client.getOrganizations([org.id], { onProgress: async (p: Progress) => void (await client.getOrganization(org.id), p) })
  for (const r of results) {
    if (r instanceof sp.APIError) console.log(r.code, r.status, r.requestId)
    else if (r instanceof sp.ScalewayError) console.log(r.code, r.message)
    else console.log(r.status)
  }
  await client.unlockOrganizations([org.id])
  await client.getOrganizations([org.id], undefined, { signal: controller.signal })

  // An interrupted apply says what it did in the error's `outcome`.
  try {
    await client.apply(await client.plan([]), { journal: 'apply.journal', signal: controller.signal })
  } catch (err) {
    if (err instanceof sp.RequestCancelledError && err.outcome !== null) {
      const left: string[] = err.outcome.results.filter((r) => r.status === 'not_started').map((r) => r.customer_id)
      console.log(left, err.outcome.text)
    }
  }

  const auditOptions: AuditOptions = { stuckAfterDays: 14, onProgress: ({ done, total }: Progress) => console.log(done, total) }
  const report: AuditReport = await client.audit(auditOptions, { signal: controller.signal })
  await client.audit()
  const generated: Date = report.generatedAt
  const counts: number[] = [report.total, report.stuckAfterDays, report.byStatus['locked'] ?? 0, report.byLockedBy['partner'] ?? 0]
  const reasons: Record<string, number> = report.byLockReason
  const stuck: AuditFinding[] = report.stuckInEmailValidation
  const days: number | null = report.lockedByPartner[0]?.days ?? null
  const findings: AuditFinding[][] = [report.emptyCustomerId, report.missingPhoneNumber]
  const sharedValue: AuditSharedValue | undefined = report.sharedCustomerIds[0] ?? report.sharedEmails[0]
  const sharedIds: string[] = sharedValue?.organizationIds ?? []
  const months: Record<string, number> = report.createdPerMonth
  const unknown: AuditUnknownValue[] = report.unknownValues
  const audited: Organization[] = report.organizations
  void [generated, counts, reasons, stuck, days, findings, sharedIds, months, unknown[0]?.field, audited]

  const decoded: Organization = decodeOrganization('{"id": "x"}')
  void decodeOrganization({ id: 'x' }), decoded

  try {
    await client.getOrganization('x')
  } catch (e) {
    if (e instanceof sp.InvalidArgumentsError) {
      const d: InvalidArgumentDetail[] = e.details
      console.log(d[0]?.argumentName, d[0]?.reason, d[0]?.helpMessage)
    } else if (e instanceof sp.ResourceNotFoundError) {
      console.log(e.resource, e.resourceId, e.status, e.type, e.body)
    } else if (e instanceof sp.TooManyRequestsError) {
      const wait: number | null = e.retryAfter
      void wait
    } else if (e instanceof sp.ValidationError) {
      const field: string | null = e.field
      void field
    } else if (e instanceof sp.PreconditionFailedError) {
      console.log(e.precondition, e.helpMessage)
    } else if (e instanceof sp.RequestCancelledError) {
      console.log(e.cause)
    } else if (e instanceof sp.CreateUnconfirmedError) {
      const customerId: string = e.customerId
      const email: string = e.email
      const cause: sp.ScalewayError = e.cause
      const status: number | null = e.status
      console.log(customerId, email, cause.code, status, e.requestId)
    } else if (e instanceof sp.ConflictError) {
      const ids: string[] = e.organizationIds
      console.log(e.customerId, ids)
    } else if (e instanceof sp.RedirectError) {
      const status: number = e.status
      const host: string = e.locationHost
      console.log(status, host)
    } else if (e instanceof sp.ListingChangedError) {
      console.log(e.message)
    } else if (e instanceof sp.APIError || e instanceof sp.APITimeoutError || e instanceof sp.TransportError) {
      console.log(e.name, e.message, e.code)
    }
  }
  // Every exported error class is a ScalewayError class.
  type ErrorClasses = { [K in keyof typeof sp as K extends `${string}Error` ? K : never]: typeof sp.ScalewayError }
  const classes: ErrorClasses = sp
  void classes
  const mine = new sp.ResourceNotFoundError('gone', { status: 404, resourceId: org.id })
  void mine

  const mock = await MockServer.start({
    seed: 1,
    seedOrganizations: 10,
    latency: { baseMs: 100, jitterMs: 10, createMs: 50 },
    rateLimit: 0,
    rateLimitStyle: 'json',
    faults: { serverError: 0.1, slowMs: 500 },
    partners: [{ secretKey: '11111111-1111-4111-8111-111111111111', organizationId: '7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e' }],
  })
  const mockUrl: string = mock.url
  const key: string = mock.secretKey
  const orgId: string = mock.organizationId
  const stats: MockStats = mock.stats()
  const plan: FaultPlan = {
    script: [
      { fault: 'server_error', count: 2, operation: 'get_organization' },
      { fault: 'error', status: 409, body: { type: 'transient_state' } },
      { fault: 'apply_late', operation: 'create_organization', count: 10, delayMs: 2500, status: 504 },
      { fault: 'apply_late', reset: true },
      { fault: 'redirect', status: 308, location: 'http://elsewhere.test/' },
      { fault: 'rate_limit_headers', rateLimitHeaders: { remaining: '0', reset: '1700000000' } },
    ],
    probabilities: { resetBefore: 0.1, applyLate: 0.1, applyLateMs: 1000 },
    seed: 3,
  }
  mock.injectFaults(plan)
  mock.clearFaults()
  const validated: boolean = mock.validateEmail(org.id)
  const patched: boolean = mock.patchRaw(org.id, { set: { status: 'suspended' }, remove: ['siren_number'] })
  mock.resetStats()
  mock.reset()
  const mockClient: Client = mock.client({ maxRetries: 0 })
  const late: number = stats.lateApplied
  void [late, mockUrl, key, orgId, stats.byOperation['get_organization'], validated, patched, mock.partners(), mockClient]
  const same: MockServer = mock.ref().unref()
  void same
  await mock.close()
  await mock[Symbol.asyncDispose]()
  // Traffic: a hook with typed events, headers, a proxy, and answers' metadata.
  const observed = new Client({
    hook: (e: TrafficEvent) => console.log(e.event, e.method, e.path, e.status, e.duration),
    defaultHeaders: { 'x-tenant': 'acme' },
    proxy: 'http://proxy.example:3128',
  })
  // An async hook: its rejection becomes a warning.
  const asyncHooked = new Client({ hook: async (e: TrafficEvent) => void (await observed.getOrganization(e.path)) })
  void asyncHooked
  const withMeta: WithResponse<Organization> = await observed.withResponse().getOrganization(org.id)
  const info: ResponseInfo = withMeta.response
  const requestId: string | null = info.requestId
  const bulkMeta = await observed.withResponse().lockOrganizations([org.id])
  const firstResult: BulkResult | undefined = bulkMeta.data[0]
  void [requestId, firstResult]
  // @ts-expect-error listOrganizations is not a promise-returning method of withResponse()
  observed.withResponse().listOrganizations()
  // Awaiting a listing gives its first page.
  const firstPage: OrganizationPage = await client.listOrganizations({ status: 'locked' })
  void firstPage

  // @ts-expect-error createOrganization requires its parameters
  await client.createOrganization({ email: 'a@b.test' })
  // @ts-expect-error IDs are strings
  await client.getOrganization(42)
  // @ts-expect-error the page size is a number
  client.listOrganizations({ pageSize: '10' })
  // @ts-expect-error timeouts are milliseconds, as numbers
  await client.lockOrganization(org.id, { timeout: '1s' })
  // @ts-expect-error a listing is not a promise of an array
  const notArray: Organization[] = client.listOrganizations()
  void notArray
  // @ts-expect-error optional values are nullable
  const notNull: string = org.phoneNumber
  void notNull
  // @ts-expect-error the threshold is a number of days
  await client.audit({ stuckAfterDays: '7' })
  // @ts-expect-error findings' ages may be null
  const noAge: number = report.missingPhoneNumber[0].days
  void noAge
  // @ts-expect-error writes need the organization's ID
  await client.lockOrganization()
  // @ts-expect-error writes need the organization's ID, never null
  await client.unlockOrganization(null)
  // @ts-expect-error writes need the organization's ID
  await client.updateOrganization(undefined, { name: 'x' })
  // @ts-expect-error writes need the organization's ID
  await client.requestAdminRole(null, { username: 'u', email: 'e@x.test' })
  // @ts-expect-error the settle window is milliseconds, as a number
  new Client({ createSettleTimeout: '30s' })
  // @ts-expect-error ensureOrganizations takes an array of creation parameters
  await client.ensureOrganizations(params)
  // @ts-expect-error not a fault kind
  mock.injectFaults({ script: [{ fault: 'apply_later' }] })
  // @ts-expect-error header values are text, as sent
  mock.injectFaults({ script: [{ fault: 'rate_limit_headers', rateLimitHeaders: { reset: 1700000000 } }] })
  // @ts-expect-error MockServer is created with start()
  new MockServer()
}
