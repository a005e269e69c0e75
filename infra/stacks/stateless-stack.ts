import { Stack } from 'aws-cdk-lib';

/** Compute that can be replaced freely: functions, the HTTP API, state machines. */
export class StatelessStack extends Stack {}
