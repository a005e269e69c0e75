#!/usr/bin/env node
// The CDK app. Stacks follow the lifecycle split of DESIGN.md: stateful (tables, queues, bus) and
// stateless (functions, HTTP API, state machines). Their contents arrive with the `report` pipeline issue.
import { App } from 'aws-cdk-lib';

const app = new App();
app.synth();
