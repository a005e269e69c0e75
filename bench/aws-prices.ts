// Public AWS list prices for the cost estimates of the benchmarks, region us-east-1 (US East, N. Virginia).
// They are list prices at the time of writing (read 2026-11-25 from the pages below, Lambda's and DynamoDB's
// cross-checked against summaries of them), excluding the free tier (Step Functions' 4,000 transitions,
// Lambda's 1M requests and 400,000 GB-s a month, API Gateway's first-year 1M calls), Lambda's volume tiers,
// savings plans, data transfer, logs, and model tokens:
//   Step Functions  https://aws.amazon.com/step-functions/pricing/   Standard: $0.025 per 1,000 state transitions
//   Lambda          https://aws.amazon.com/lambda/pricing/           Arm: $0.20 per 1M requests, $0.0000133334 per GB-second
//   DynamoDB        https://aws.amazon.com/dynamodb/pricing/on-demand/
//                   on-demand, after the November 2024 reduction: $0.625 per million write request units,
//                   $0.125 per million read request units
//   API Gateway     https://aws.amazon.com/api-gateway/pricing/      HTTP API: $1.00 per million requests (first 300M)
// Prices change; update these figures (and the date above) rather than trusting an old estimate.

export const AWS_PRICES_US_EAST_1 = {
  readAt: '2026-11-25',
  region: 'us-east-1',
  stepFunctionsStandardPerTransition: 0.025 / 1_000,
  lambdaArmPerRequest: 0.2 / 1_000_000,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoDbPerWriteRequestUnit: 0.625 / 1_000_000,
  dynamoDbPerReadRequestUnit: 0.125 / 1_000_000,
  httpApiPerRequest: 1.0 / 1_000_000,
} as const;
