// An agent id as the API accepts it anywhere (path, body): exactly the manifest's `identity.agentId` rule,
// so an id that can be registered can be addressed and nothing else can.
import { AgentManifestSchema } from '../../core/policy/agent-manifest.ts';

export const AgentIdSchema = AgentManifestSchema.shape.identity.shape.agentId;
