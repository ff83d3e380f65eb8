// Types of scaleway_partner/testing: the embedded emulator of the Partner API.
import type { Client, ClientOptions } from './index.js'

export interface MockPartner {
  secretKey: string
  organizationId: string
}

/** Probabilities (0 to 1) of faults on each request under /partner/v1. */
export interface FaultProbabilities {
  serverError?: number
  resetBefore?: number
  resetAfter?: number
  truncate?: number
  slow?: number
  /** Delay of a `slow` fault, in milliseconds. */
  slowMs?: number
  /** A gateway failure at once, the write applied `applyLateMs` later. */
  applyLate?: number
  /** When an `apply_late` fault (and a scripted one without `delayMs`) applies the write, in ms (2500). */
  applyLateMs?: number
}

export type FaultKind =
  | 'server_error'
  | 'reset_before'
  | 'reset_after'
  | 'truncate'
  | 'slow'
  | 'rate_limit'
  | 'error'
  | 'apply_late'
  | 'redirect'

/** A fault for the next matching requests, applied `count` times (1 by default). */
export interface ScriptedFault {
  fault: FaultKind
  count?: number
  /** Only requests of this operation (`get_organization`, `lock_organization`...). */
  operation?: string
  /**
   * Delay of a `slow` fault, in milliseconds; for `apply_late`, how long after the answer the
   * write lands (the probabilities' `applyLateMs` otherwise).
   */
  delayMs?: number
  /**
   * Status answered by an `error` fault (400 to 599, required); by `apply_late` (502, 503 or
   * 504; 504 by default); by `redirect` (301, 302, 303, 307 or 308; 307 by default).
   */
  status?: number
  /** JSON body answered by an `error` fault, sent exactly as given (wire form, snake_case). */
  body?: unknown
  /** `apply_late` only: close the connection without an answer instead of a gateway status. */
  reset?: boolean
  /**
   * `redirect` only: the `Location` header (by default the same emulator under its other local
   * host name, `localhost` and `127.0.0.1` swapped).
   */
  location?: string
}

export interface FaultPlan {
  script?: ScriptedFault[]
  probabilities?: FaultProbabilities
  /** Seed of the probabilistic faults. */
  seed?: number
}

export interface MockServerOptions {
  /** `host:port` to listen on (`127.0.0.1:0`, a free port, by default). */
  listen?: string
  /** The partners; one is generated when empty. */
  partners?: MockPartner[]
  /** Seed of the generated data and of probabilistic faults. */
  seed?: number
  /** Realistic organizations created for the first partner at start. */
  seedOrganizations?: number
  /** Added to each request under /partner/v1, in milliseconds. */
  latency?: { baseMs?: number; jitterMs?: number; createMs?: number }
  /** Requests per second per secret key (50 by default; 0 = off). */
  rateLimit?: number
  /** How a 429 looks: the gateway's empty answer (default) or a JSON body. */
  rateLimitStyle?: 'gateway' | 'json'
  faults?: FaultProbabilities
  /** JSON file the state is loaded from and saved to. */
  stateFile?: string
  /** How an unset `siren_number` is sent: `null` (default) or absent. */
  unsetSirenNumber?: 'null' | 'absent'
  /** Largest request body accepted (65536 by default). */
  maxBodyBytes?: number
  /** Connections served at once (1024 by default); more wait in the listen backlog. */
  maxConnections?: number
  /** Time a client gets to send request headers before its connection is cut (10000 ms). */
  headerReadTimeoutMs?: number
  /**
   * Serve `https://` with a certificate signed by an authority generated at start
   * (`caCertificatePem`; `client()` trusts it).
   */
  tls?: boolean
}

export interface MockStats {
  requests: number
  inFlight: number
  maxInFlight: number
  rateLimited: number
  faultsInjected: number
  /** Writes an `apply_late` fault applied after its answer. */
  lateApplied: number
  /** TCP connections accepted. */
  connections: number
  /** Connections open now. */
  openConnections: number
  /** The most connections open at once. */
  maxOpenConnections: number
  /** Connections cut before a request: slow headers or a failed TLS handshake. */
  connectionsRefused: number
  /** By operation name (`get_organization`...). */
  byOperation: Record<string, number>
  /** By HTTP status (`"200"`...). */
  byStatus: Record<string, number>
}

/** Overrides of the wire JSON of an organization, with the API's snake_case field names. */
export interface RawPatch {
  set?: Record<string, unknown>
  remove?: string[]
}

/** The emulator, running in this process. Close it when done (it also stops when collected). */
export declare class MockServer {
  private constructor()
  static start(options?: MockServerOptions): Promise<MockServer>
  /** `http://127.0.0.1:PORT` (`https://` with `tls`) */
  readonly url: string
  /** With `tls`, the PEM certificate of the authority behind the server's; else null. */
  readonly caCertificatePem: string | null
  /** Secret key of the first partner. */
  readonly secretKey: string
  /** Organization ID of the first partner. */
  readonly organizationId: string
  partners(): MockPartner[]
  stats(): MockStats
  resetStats(): void
  injectFaults(plan: FaultPlan): void
  clearFaults(): void
  /** Lifts Scaleway's `validate_email` lock; false when there is no such organization. */
  validateEmail(organizationId: string): boolean
  /** False when there is no such organization. */
  patchRaw(organizationId: string, patch: RawPatch): boolean
  /** Back to the initial (seeded) state; statistics and faults cleared. */
  reset(): void
  close(): Promise<void>
  /** A Client bound to this server; `options` override its settings. */
  client(options?: ClientOptions): Client
}
