import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/errors'
import { memoryStorage } from '../../src/token'
import { NEXT_STEP, STEP_TARGET, StepRunner, type StepRequest } from '../../src/technician/steps'

function runner(answers: Array<'ok' | ApiError | Promise<never>>) {
  const sent: StepRequest[] = []
  const storage = memoryStorage()
  const steps = new StepRunner<string>(storage, async (request) => {
    sent.push(JSON.parse(JSON.stringify(request)))
    const answer = answers.shift()
    if (answer === 'ok') return `${request.action} done`
    if (answer instanceof ApiError) throw answer
    return answer as Promise<never>
  })
  return { steps, sent, storage }
}

const offline = () => new ApiError(0, 'NETWORK', 'no network')
const tooFar = () => new ApiError(422, 'CHECK_IN_TOO_FAR', 'You are 2400 m from the address')

describe('job steps', () => {
  it('follows the lifecycle from Assigned to Awaiting Confirmation', () => {
    let status = 'Assigned'
    const walked: string[] = []
    for (let step = NEXT_STEP[status]; step; step = NEXT_STEP[status]) {
      walked.push(step)
      status = STEP_TARGET[step]
    }
    expect(walked).toEqual(['depart', 'arrive', 'start_service', 'complete'])
    expect(status).toBe('Awaiting Confirmation')
  })

  it('never has two different steps in flight', async () => {
    let release: (v: string) => void = () => {}
    const storage = memoryStorage()
    const sent: string[] = []
    const steps = new StepRunner<string>(storage, (request) => {
      sent.push(request.action)
      return new Promise((resolve) => (release = resolve))
    })
    const first = steps.run('B1', 'depart')
    expect(await steps.run('B1', 'arrive', { latitude: 31.2, longitude: 121.4 })).toEqual({ kind: 'busy', running: 'depart' })
    expect(await steps.run('B1', 'depart')).toEqual({ kind: 'busy', running: 'depart' }) // a double tap
    release('departed')
    expect(await first).toEqual({ kind: 'done', result: 'departed' })
    expect(sent).toEqual(['depart'])
    expect(steps.pending()).toBeNull()
  })

  it('keeps a step that got no answer and sends it again exactly as it was', async () => {
    const { steps, sent, storage } = runner([offline(), 'ok'])
    const first = await steps.run('B1', 'arrive', { latitude: 31.188, longitude: 121.437 })
    expect(first.kind).toBe('queued')
    expect(steps.pending('B1')?.action).toBe('arrive')
    expect(storage.get('hs_tech_pending_step')).not.toBeNull() // survives the app being closed

    // a different step waits for it; the same step (tapped again, from elsewhere) resends the first body
    expect(await steps.run('B1', 'start_service')).toEqual({ kind: 'busy', running: 'arrive' })
    const again = await steps.run('B1', 'arrive', { latitude: 40, longitude: 116 })
    expect(again).toEqual({ kind: 'done', result: 'arrive done' })
    expect(sent).toHaveLength(2)
    expect(sent[1]).toEqual(sent[0]) // same body, same key
    expect(sent[1].body).toEqual({ latitude: 31.188, longitude: 121.437, booking: 'B1' })
    expect(steps.pending()).toBeNull()
  })

  it('retries the waiting step from storage after a restart', async () => {
    const { steps, sent, storage } = runner([offline()])
    await steps.run('B1', 'depart', { latitude: 31.1, longitude: 121.4 })
    const restarted = new StepRunner<string>(storage, async (request) => {
      sent.push(request)
      return 'ok'
    })
    expect(restarted.pending('B2')).toBeNull()
    expect(await restarted.retry()).toEqual({ kind: 'done', result: 'ok' })
    expect(sent[1].key).toBe(sent[0].key)
    expect(await restarted.retry()).toBeNull()
  })

  it('drops a refused step so that the next tap sends a new request (a new position)', async () => {
    const { steps, sent } = runner([tooFar(), 'ok'])
    const refused = await steps.run('B1', 'arrive', { latitude: 31.3, longitude: 121.5 })
    expect(refused.kind).toBe('refused')
    expect(refused.kind === 'refused' && refused.error.message).toBe('You are 2400 m from the address')
    expect(steps.pending()).toBeNull()
    await steps.run('B1', 'arrive', { latitude: 31.188, longitude: 121.437 })
    expect(sent[1].body.latitude).toBe(31.188)
    expect(sent[1].key).not.toBe(sent[0].key)
  })

  it('treats a busy server (503) as a lost answer and anything else thrown as no network', async () => {
    const { steps } = runner([new ApiError(503, 'HTTP_503', 'busy')])
    expect((await steps.run('B1', 'depart')).kind).toBe('queued')
    const broken = new StepRunner<string>(memoryStorage(), async () => {
      throw new Error('socket hang up')
    })
    expect((await broken.run('B1', 'depart')).kind).toBe('queued')
  })
})
