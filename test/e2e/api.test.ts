// The e2e suite: the deployed API over HTTP and the AWS SDK, against one target for the whole suite
// (a sandbox on the app built from this checkout, or API_URL / AWS_ENDPOINT_URL: support/e2e-target.ts).
// One file, so a local run starts one sandbox rather than one per concern; each concern is its own suite.

import { accessControlSuite } from './suites/access-control.ts';
import { breakerFlowSuite } from './suites/breaker-flow.ts';
import { cliFlowSuite } from './suites/cli-flow.ts';
import { escalationFlowSuite } from './suites/escalation-flow.ts';
import { eventsFlowSuite } from './suites/events-flow.ts';
import { gateDenialSuite } from './suites/gate-denial.ts';
import { intentChainTamperSuite } from './suites/intent-chain-tamper.ts';
import { malformedInputSuite } from './suites/malformed-input.ts';
import { memoryFlowSuite } from './suites/memory-flow.ts';
import { parallelFlowSuite } from './suites/parallel-flow.ts';
import { reportPipelineSuite } from './suites/report-pipeline.ts';
import { routingFlowSuite } from './suites/routing-flow.ts';
import { sagaFlowSuite } from './suites/saga-flow.ts';
import { useE2eTarget } from './support/e2e-target.ts';

const target = useE2eTarget();

reportPipelineSuite(target);
gateDenialSuite(target);
intentChainTamperSuite(target);
malformedInputSuite(target);
parallelFlowSuite(target);
routingFlowSuite(target);
escalationFlowSuite(target);
sagaFlowSuite(target);
breakerFlowSuite(target);
eventsFlowSuite(target);
accessControlSuite(target);
memoryFlowSuite(target);
cliFlowSuite(target);
