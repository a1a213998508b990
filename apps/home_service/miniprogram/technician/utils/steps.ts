/** The app's one step runner: steps go through it so that two different steps are never in flight. */
import { StepRunner, type JobDetail, type StepRequest } from '@home-service/shared/src/technician'
import { api, storage } from '../api'

function send(request: StepRequest): Promise<JobDetail> {
  // the same body on every retry of a request (its position included); the key travels as a header
  // for the server's logs: the steps themselves are idempotent there (a step taken answers the job)
  return api.post(`technician.jobs.${request.action}` as 'technician.jobs.depart', request.body as never, {
    headers: { 'X-HS-Request-Id': request.key },
  }) as Promise<JobDetail>
}

export const steps = new StepRunner<JobDetail>(storage, send)
