// Every template runs on the demo fleet under the default policies: this asks the policy store (the gate's
// L3 decision) about each step with the agent the step would run with — its named agent, or for a routed
// step the one selectAgent picks — at the fleet's scores. A fleet, template or policy change that would
// make a demo step DENY (or stop the escalation demo from escalating) fails here.
import { describe, expect, it } from 'vitest';
import type { StepDefinition } from '../../../functions/app/workflows/workflow-item.ts';
import {
  type TemplateName,
  templateSteps,
  WORKFLOW_TEMPLATES,
  workflowTemplate,
} from '../../../functions/app/workflows/workflow-templates.ts';
import type { Decision } from '../../../functions/core/policy/decision.ts';
import { PolicyStore } from '../../../functions/core/policy/policy-store.ts';
import { type RoutingPreference, selectAgent } from '../../../functions/core/routing/select-agent.ts';
import { parseTierCode, tierForScore } from '../../../functions/core/trust/tiers.ts';
import { DEMO_FLEET, type DemoAgent, demoAgentManifest } from '../../../scripts/demo-fleet.ts';

const NOON_UTC = Date.UTC(2026, 10, 25, 12, 0, 0);
const store = new PolicyStore({ clock: () => NOON_UTC });

function demoAgent(agentId: string): DemoAgent {
  const agent = DEMO_FLEET.find((candidate) => candidate.agentId === agentId);
  if (!agent) throw new Error(`"${agentId}" is not in the demo fleet`);
  return agent;
}

/** The agent a step runs with: the one it names, or the one trust-based routing picks from the fleet. */
function agentFor(step: StepDefinition, preference: RoutingPreference): DemoAgent {
  if (step.agentId !== undefined) return demoAgent(step.agentId);
  const routed = selectAgent(
    DEMO_FLEET.map((agent) => ({
      agentId: agent.agentId,
      role: agent.role,
      tier: tierForScore(agent.initialScore),
      score: agent.initialScore,
      costPerCall: agent.costPerCall,
      breakerState: 'CLOSED' as const,
    })),
    { role: step.role!, requiredTier: parseTierCode(step.requiredTier)!, preference },
  );
  if (routed.outcome !== 'selected') throw new Error(`nobody qualifies for ${step.name}: ${routed.reason}`);
  return demoAgent(routed.agent.agentId);
}

function decisionFor(step: StepDefinition, agent: DemoAgent): Decision {
  return store.decide({
    tenantId: 'demo',
    agent: { manifest: demoAgentManifest(agent), score: agent.initialScore },
    action: step.intent,
    resource: step.resource,
    requiredTier: parseTierCode(step.requiredTier)!,
  });
}

const outcomes = (template: TemplateName, preference: RoutingPreference = 'cost') =>
  templateSteps(template).map((step) => {
    const agent = agentFor(step, preference);
    return [step.name, agent.agentId, decisionFor(step, agent).decision];
  });

describe('the templates on the demo fleet, under the default policies', () => {
  it('report: research-agent, analysis-agent, writing-agent are all ALLOWed', () => {
    expect(outcomes('report')).toEqual([
      ['research', 'research-agent', 'ALLOW'],
      ['analysis', 'analysis-agent', 'ALLOW'],
      ['writing', 'writing-agent', 'ALLOW'],
    ]);
  });

  it('parallel: market, figures and risks are all ALLOWed', () => {
    expect(outcomes('parallel')).toEqual([
      ['market', 'research-agent', 'ALLOW'],
      ['figures', 'analysis-agent', 'ALLOW'],
      ['risks', 'review-agent', 'ALLOW'],
    ]);
  });

  it('routing: `cost` routes to standard-agent, `quality` to premium-agent, both ALLOWed', () => {
    expect(outcomes('routing', 'cost')).toEqual([
      ['research', 'standard-agent', 'ALLOW'],
      ['summary', 'standard-agent', 'ALLOW'],
    ]);
    expect(outcomes('routing', 'quality')).toEqual([
      ['research', 'premium-agent', 'ALLOW'],
      ['summary', 'premium-agent', 'ALLOW'],
    ]);
  });

  it('escalation: research is ALLOWed, the draft ESCALATEs to level 1 on the trust threshold alone', () => {
    expect(outcomes('escalation')).toEqual([
      ['research', 'research-agent', 'ALLOW'],
      ['draft', 'writing-agent', 'ESCALATE'],
    ]);
    const draft = templateSteps('escalation')[1]!;
    expect(decisionFor(draft, demoAgent('writing-agent'))).toMatchObject({
      decision: 'ESCALATE',
      reasons: [{ code: 'trust_threshold', message: 'requires tier T3; agent "writing-agent" is T2' }],
      escalation: { level: 1 },
    });
  });

  it('saga: reserve-budget, process and commit are all ALLOWed', () => {
    expect(outcomes('saga')).toEqual([
      ['reserve-budget', 'analysis-agent', 'ALLOW'],
      ['process', 'analysis-agent', 'ALLOW'],
      ['commit', 'writing-agent', 'ALLOW'],
    ]);
  });
});

describe('the template definitions', () => {
  it.each([
    ['report', 'sequential'],
    ['parallel', 'parallel'],
    ['routing', 'sequential'],
    ['escalation', 'sequential'],
    ['saga', 'saga'],
  ] as const)('%s is %s', (template, type) => {
    expect(workflowTemplate(template).type).toBe(type);
  });

  it('act on the resources the docs name', () => {
    const resources = Object.fromEntries(
      Object.keys(WORKFLOW_TEMPLATES).map((template) => [
        template,
        templateSteps(template as TemplateName).map(
          (step) => `${step.name}:${step.resource.type}/${step.resource.id}`,
        ),
      ]),
    );
    expect(resources).toEqual({
      report: ['research:web/web', 'analysis:dataset/research-notes', 'writing:document/report'],
      parallel: ['market:web/market', 'figures:dataset/figures', 'risks:document/risks'],
      routing: ['research:web/web', 'summary:document/summary'],
      escalation: ['research:web/web', 'draft:document/draft'],
      saga: ['reserve-budget:dataset/budget', 'process:dataset/workload', 'commit:document/ledger'],
    });
  });

  it('each step names exactly one of agentId and role, within the scope its agent declares', () => {
    for (const template of Object.keys(WORKFLOW_TEMPLATES) as TemplateName[]) {
      for (const step of templateSteps(template)) {
        expect((step.agentId === undefined) !== (step.role === undefined)).toBe(true);
        for (const preference of ['cost', 'quality'] as const) {
          const capability = demoAgentManifest(agentFor(step, preference)).capabilities.find(
            (declared) => declared.name === step.intent,
          );
          expect(capability?.scopes).toContain(step.resource.type);
        }
      }
    }
  });

  it('hands out copies: changing one plan leaves the template as it was', () => {
    templateSteps('saga')[0]!.resource.id = 'changed';

    expect(templateSteps('saga')[0]!.resource.id).toBe('budget');
  });
});
