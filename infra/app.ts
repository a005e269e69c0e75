#!/usr/bin/env node
// The CDK app. Stacks follow the lifecycle split of DESIGN.md: stateful (tables, later queues and bus)
// outlives stateless (functions, HTTP API, state machines), so compute can be replaced without touching data.
import { buildApp } from './build-app.ts';

buildApp().synth();
