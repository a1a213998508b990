/**
 * The job's steps on site, one at a time, safe to tap twice and to send again after a lost answer.
 *
 *   Assigned --depart--> On The Way --arrive--> Arrived --start_service--> In Service --complete--> Awaiting Confirmation
 *
 * The server is idempotent (a step already taken answers the job as it is), so the client's duty is
 * not to send two *different* steps at once, and to send a step that got no answer again *as it was*
 * (same body: the position it was sent with), not lose it. The step waiting for a retry is kept in
 * storage so that it survives the app being closed. A step the server refused (4xx: too far, not
 * online, not approved, certificate expired) is dropped: the technician acts on the reason and taps
 * again, which sends a new request (e.g. a new position).
 */
import { ApiError } from '../errors'
import type { KeyValueStorage } from '../token'

export type StepAction = 'depart' | 'arrive' | 'start_service' | 'complete'

export interface StepRequest {
  booking: string
  action: StepAction
  body: Record<string, unknown>
  /** when it was first sent (ms): shown as "waiting since" and for ordering */
  at: number
  /** a key of this request: the same on every retry, new for a new request */
  key: string
}

export type StepOutcome<T> =
  | { kind: 'done'; result: T }
  | { kind: 'refused'; error: ApiError }
  | { kind: 'queued'; error: ApiError }
  | { kind: 'busy'; running: StepAction }

/** The step each status leads to, and the status after it. */
export const NEXT_STEP: Record<string, StepAction | undefined> = {
  Assigned: 'depart',
  'On The Way': 'arrive',
  Arrived: 'start_service',
  'In Service': 'complete',
}
export const STEP_TARGET: Record<StepAction, string> = {
  depart: 'On The Way',
  arrive: 'Arrived',
  start_service: 'In Service',
  complete: 'Awaiting Confirmation',
}
/** Steps that send the phone's position (arrive must; the others may). */
export const STEP_NEEDS_LOCATION: Record<StepAction, 'required' | 'optional' | 'none'> = {
  depart: 'optional',
  arrive: 'required',
  start_service: 'optional',
  complete: 'none',
}

const KEY = 'hs_tech_pending_step'

export type StepSender<T> = (request: StepRequest) => Promise<T>

let counter = 0

export class StepRunner<T = unknown> {
  private storage: KeyValueStorage
  private send: StepSender<T>
  private now: () => number
  private inFlight: StepRequest | null = null

  constructor(storage: KeyValueStorage, send: StepSender<T>, now: () => number = Date.now) {
    this.storage = storage
    this.send = send
    this.now = now
  }

  /** The step of this booking waiting to be sent again (lost answer), if any. */
  pending(booking?: string): StepRequest | null {
    const raw = this.storage.get(KEY)
    let request: StepRequest | null = null
    try {
      request = raw ? (JSON.parse(raw) as StepRequest) : null
    } catch {
      request = null
    }
    if (request && booking && request.booking !== booking) return null
    return request
  }

  get running(): StepRequest | null {
    return this.inFlight
  }

  /**
   * Send `action` for `booking`. A step waiting for a retry is sent again as it was (its body, its
   * key) when it is the same step; a different step is refused ('busy') until it has gone through.
   */
  async run(booking: string, action: StepAction, body: Record<string, unknown> = {}): Promise<StepOutcome<T>> {
    if (this.inFlight) return { kind: 'busy', running: this.inFlight.action }
    const waiting = this.pending()
    if (waiting && (waiting.booking !== booking || waiting.action !== action)) {
      return { kind: 'busy', running: waiting.action }
    }
    const request: StepRequest = waiting ?? { booking, action, body: { ...body, booking }, at: this.now(), key: newKey(this.now()) }
    return this.sendRequest(request)
  }

  /** Send the waiting step again (the "retry" button, or the page opening with one waiting). */
  async retry(): Promise<StepOutcome<T> | null> {
    const waiting = this.pending()
    if (!waiting || this.inFlight) return null
    return this.sendRequest(waiting)
  }

  /** Give up the waiting step (the job moved on elsewhere, or the technician chose to). */
  discard(): void {
    this.storage.remove(KEY)
  }

  private async sendRequest(request: StepRequest): Promise<StepOutcome<T>> {
    this.inFlight = request
    this.storage.set(KEY, JSON.stringify(request)) // kept before it is sent: a crash mid-way retries it
    try {
      const result = await this.send(request)
      this.storage.remove(KEY)
      return { kind: 'done', result }
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String((e as Error)?.message ?? e))
      if (error.retryable) return { kind: 'queued', error }
      this.storage.remove(KEY)
      return { kind: 'refused', error }
    } finally {
      this.inFlight = null
    }
  }
}

function newKey(now: number): string {
  counter += 1
  return `step-${now.toString(36)}-${counter}-${Math.floor(Math.random() * 1e9).toString(36)}`
}
