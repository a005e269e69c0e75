#!/usr/bin/env node
// The CDK app. Stacks follow the lifecycle split of DESIGN.md: stateful (tables, queues, bus) outlives
// stateless (functions, HTTP API, state machines), so compute can be replaced without touching data.
// Their resources arrive with the `report` pipeline issue.
import { App } from 'aws-cdk-lib';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

const app = new App();
const stage = (app.node.tryGetContext('stage') as string | undefined) ?? 'dev';
// The CDK CLI overwrites CDK_DEFAULT_REGION, so the region is pinned from AWS_REGION (DESIGN.md).
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.AWS_REGION ?? 'us-east-1' };

const stateful = new StatefulStack(app, `Trustgate-${stage}-Stateful`, { env });
new StatelessStack(app, `Trustgate-${stage}-Stateless`, { env }).addDependency(stateful);
app.synth();
