// Builds the CDK app: both stacks for the stage in context, checked by cdk-nag's AWS Solutions pack.
// Used by infra/app.ts (`cdk synth` / `cdk deploy`), the CDK tests and the e2e setup.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readAppConfig } from './app-config.ts';
import type { TrustgateHttpApi } from './constructs/trustgate-http-api.ts';
import { ConsoleStack, readConsoleSettings } from './stacks/console-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export interface BuildAppProps {
  /** Cloud assembly directory; the CDK CLI sets it through the environment when it runs the app. */
  readonly outdir?: string;
  /** CDK context (see infra/app-config.ts), merged over what the CLI passes. */
  readonly context?: Record<string, unknown>;
}

export function buildApp(props: BuildAppProps = {}): App {
  const app = new App({
    ...(props.outdir ? { outdir: props.outdir } : {}),
    context: {
      // Strong references are `Fn::ImportValue`s: CloudFormation then refuses to delete the tables' stack
      // while compute still uses it, and the local sandbox resolves them (it has no Fn::GetStackOutput).
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      ...props.context,
    },
  });
  const config = readAppConfig(app.node);
  // The CDK CLI overwrites CDK_DEFAULT_REGION, so the region is pinned from AWS_REGION (DESIGN.md).
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.AWS_REGION ?? 'us-east-1' };

  const stateful = new StatefulStack(app, `Trustgate-${config.stage}-Stateful`, { env, config });
  // Its references to the tables make the stateless stack depend on the stateful one: data deploys first.
  const stateless = new StatelessStack(app, `Trustgate-${config.stage}-Stateless`, {
    env,
    config,
    tables: {
      agents: stateful.agentsTable,
      intents: stateful.intentsTable,
      proofs: stateful.proofsTable,
      workflows: stateful.workflowsTable,
      gateState: stateful.gateStateTable,
      escalations: stateful.escalationsTable,
      idempotency: stateful.idempotencyTable,
      webhooks: stateful.webhooksTable,
      audit: stateful.auditTable,
      analytics: stateful.analyticsTable,
      alerts: stateful.alertsTable,
      apiKeys: stateful.apiKeysTable,
      memory: stateful.memoryTable,
    },
    events: {
      bus: stateful.eventBus,
      consumerQueues: stateful.consumerQueues,
      webhookDeliveries: stateful.webhookDeliveries,
      undeliveredEvents: stateful.undeliveredEvents,
      ruleDeliveryDlq: stateful.ruleDeliveryDlq,
    },
  });

  // The web console on S3 + CloudFront, opt-in (`-c console=true`): the sandbox emulates neither, and serves
  // console/ itself. Its config.json carries the HTTP API's URL (a cross-stack reference).
  const consoleSettings = readConsoleSettings(app.node);
  if (consoleSettings.enabled) {
    const httpApi = stateless.node.findChild('HttpApi') as TrustgateHttpApi;
    new ConsoleStack(app, `Trustgate-${config.stage}-Console`, {
      env,
      config,
      apiUrl: httpApi.api.apiEndpoint,
      domain: consoleSettings.domain,
    });
  }

  // cdk-nag 3 is a policy-validation plugin: an unacknowledged error fails the synthesis, and every
  // finding lands in the assembly's validation report.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return app;
}
