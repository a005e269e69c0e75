import { Stack } from 'aws-cdk-lib';

/** Data that must survive redeploys of compute: tables, queues, the event bus. */
export class StatefulStack extends Stack {}
