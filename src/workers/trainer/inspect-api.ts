// The Agent viewer's and the GRPO explainer's commands on the trainer worker: they inspect the
// current run's newest checkpoint (or a loaded one) on the worker's own backend. The service
// is rebuilt when the weights or the backend change; explaining puts the weights back, and the
// training planner is never touched (the service holds planners of its own).
import type { Backend } from '../../kernels/backend';
import type { CheckpointState } from '../../rl/model/checkpoint';
import { inspectMethods } from '../inspect/methods';
import { InspectService } from '../inspect/service';
import { ctx, siteVocab } from './context';

let cached: { weights: CheckpointState; be: Backend; service: InspectService } | null = null;

async function current(): Promise<InspectService> {
  const weights = ctx.session?.latest ?? ctx.loaded;
  const be = ctx.backend?.be;
  if (!weights || !be) throw new Error('there is no run or loaded checkpoint to inspect yet');
  if (cached?.weights !== weights || cached.be !== be) {
    cached?.service.release();
    const label = ctx.session ? "the current run's latest checkpoint" : 'the loaded checkpoint';
    const service = new InspectService(be, await siteVocab(), weights, {
      kind: 'run',
      label,
      note: null,
    });
    cached = { weights, be, service };
  }
  return cached.service;
}

export const inspectApi = inspectMethods(current);
