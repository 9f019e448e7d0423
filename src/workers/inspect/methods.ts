// The inspect methods as a plain object to spread into a worker's comlink API (the inspect
// worker's, and the trainer worker's once it exposes its run's weights). Plain data in and out.
import type { InspectService } from './service';
import type {
  AgentRequest,
  AgentResult,
  ExplainRequest,
  ExplainResult,
  WeightsInfo,
} from './types';

export function inspectMethods(service: () => Promise<InspectService>) {
  return {
    /** Which weights the views are looking at. */
    async inspectWeights(): Promise<WeightsInfo> {
      return (await service()).weights;
    },
    /** One episode of the receding-horizon agent, recorded step by step. */
    async inspectAgent(req: AgentRequest): Promise<AgentResult> {
      return (await service()).agentEpisode(req);
    },
    /** One GRPO update on one prompt, explained forecast by forecast (weights put back). */
    async inspectGroup(req: ExplainRequest): Promise<ExplainResult> {
      return (await service()).explain(req);
    },
  };
}
