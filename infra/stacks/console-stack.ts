// The web console (console/) on S3 + CloudFront: a private bucket that only the distribution may read
// (Origin Access Control), HTTPS only, security headers whose Content-Security-Policy lets the page talk to
// nothing but its own origin and the HTTP API, and a deployment of console/ with the config.json that tells
// the page where the API is. The console is static files: it has no server of its own and holds no data.
//
// Opt-in (context `console=true`: `cdk deploy --all -c console=true`): the local sandbox emulates no S3 or
// CloudFront, so an app synthesized for it (npm start, the e2e suite) leaves this stack out and serves
// console/ itself (sandbox/static-site.ts).
import { fileURLToPath } from 'node:url';
import {
  BOOTSTRAP_QUALIFIER_CONTEXT,
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct, Node } from 'constructs';
import type { AppConfig } from '../app-config.ts';

/** console/ in this checkout: what is deployed, as it is (no build step); also what `npm start` serves. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../console', import.meta.url));

export interface ConsoleDomain {
  /** Host names the distribution answers to (CNAMEs you point at it). */
  readonly names: readonly string[];
  /** An ACM certificate for those names, in us-east-1 (CloudFront's region for certificates). */
  readonly certificateArn: string;
}

export interface ConsoleSettings {
  /** Context `console`: synthesize the console stack. */
  readonly enabled: boolean;
  /** Contexts `consoleDomainNames` (comma-separated) and `consoleCertificateArn`, both or neither. */
  readonly domain?: ConsoleDomain;
}

export interface ConsoleStackProps extends StackProps {
  readonly config: AppConfig;
  /** The HTTP API's endpoint (`https://<id>.execute-api.<region>.amazonaws.com`): config.json and the CSP. */
  readonly apiUrl: string;
  /** Without one the distribution answers on its `*.cloudfront.net` name. */
  readonly domain?: ConsoleDomain;
}

/**
 * The page's Content-Security-Policy: its scripts, styles and images from its own origin only, no inline
 * code, requests (`fetch`) to its own origin (config.json) and the API origin only, never framed.
 * The local static site sends the same policy in the browser tests, so what is tested is what is deployed.
 */
export function consoleContentSecurityPolicy(apiOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${apiOrigin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export class ConsoleStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Access logs of the bucket and the distribution. CloudFront's standard logging writes with an ACL, so
    // this bucket (only this one) keeps ACLs enabled for its owner; nothing in it is ever public.
    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetention) }],
      // Logs are records: they outlive the stack and expire by the rule above.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the console bucket and the distribution; logging its own accesses ' +
        'into itself would loop, and a third bucket would only move the question.',
    });

    // Versioning is off on purpose: the bucket holds a build of console/ from git, replaced whole by every
    // deployment (pruned), so git is the history and a rollback is a redeploy; versions would add nothing,
    // and would keep the bucket from being emptied when the stack is deleted.
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: false,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 's3/',
      // Nothing here but deployable files: the deployment below empties the bucket when it is deleted.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `trustgate ${config.stage} console: CSP (self + the API), HSTS, no framing, no referrer`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy(props.apiUrl),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
        ],
      },
    });

    const domain = props.domain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `trustgate ${config.stage} console`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        // OAC: CloudFront signs its requests to S3; the bucket policy admits this distribution only.
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: accessLogs,
      logFilePrefix: 'cloudfront/',
      ...(domain
        ? {
            domainNames: [...domain.names],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (!domain)
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution answers with the default *.cloudfront.net certificate, ' +
          'for which CloudFront fixes the viewer security policy at TLSv1 and allows no other. Give the ' +
          'contexts consoleDomainNames and consoleCertificateArn to serve TLSv1.2_2021 at least.',
      });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The console is for the tenant’s operators wherever they are; it serves three static files with no ' +
        'data, and every data request is authenticated by API key at the HTTP API.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves static files only (GET/HEAD, cached); nothing behind it computes or holds ' +
        'data. The HTTP API, where every request is authenticated and throttled per stage and tenant, is ' +
        'where application-layer protection applies.',
    });

    // The deployment's function (CDK's, Python, with the AWS CLI layer) gets a role and a log group of our
    // own instead of the default AWS-managed execution policy.
    const deploymentLogs = new LogGroup(this, 'DeploymentLogs', {
      retention: config.logRetention,
      removalPolicy: config.dataRemovalPolicy,
    });
    const deploymentRole = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        'CDK BucketDeployment of the console: copies console/ and config.json into the site bucket',
    });
    deploymentRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [deploymentLogs.logGroupArn],
      }),
    );
    new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(CONSOLE_DIR, { exclude: ['config.json', '.*'] }),
        Source.jsonData('config.json', { apiUrl: props.apiUrl }),
      ],
      destinationBucket: this.bucket,
      // No file name carries a content hash (there is no build step), so every file is `no-cache`: browsers
      // and CloudFront (whose minimum TTL here is 1 s) revalidate, and a deployment is live at once without
      // an invalidation — which would need cloudfront:CreateInvalidation on "*", as CDK grants it.
      cacheControl: [CacheControl.noCache()],
      prune: true,
      role: deploymentRole,
      logGroup: deploymentLogs,
      memoryLimit: 256,
    });
    for (const finding of bucketDeploymentWildcards(this, this.bucket))
      Validations.of(deploymentRole).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          'Granted by CDK’s BucketDeployment, and only on two buckets: it reads its assets from the CDK ' +
          'asset bucket (`<asset bucket>/*`, object names chosen at synthesis) and syncs the site bucket ' +
          '(`<site bucket>/*`: writes, and prunes what a deployment no longer has). Object wildcards inside ' +
          'those two buckets are what a sync needs.',
      });

    // The deployment's function is a singleton at the stack's root, named by CDK.
    for (const handler of this.node.children.filter((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    ))
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'CDK’s own BucketDeployment function (Python, with the AWS CLI layer): its runtime is the one the ' +
          'aws-cdk-lib release pins and tests with, and it moves when aws-cdk-lib is upgraded.',
      });

    new CfnOutput(this, 'ConsoleUrl', {
      value: domain ? `https://${domain.names[0]}` : `https://${this.distribution.distributionDomainName}`,
    });
    new CfnOutput(this, 'ConsoleBucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'ConsoleDistributionId', { value: this.distribution.distributionId });
  }
}

/**
 * The IAM5 findings (as cdk-nag names them) of the grants BucketDeployment gives its role: S3 action
 * wildcards, and object wildcards in the CDK asset bucket (named by the bootstrap qualifier and region) and
 * in the site bucket.
 */
function bucketDeploymentWildcards(stack: Stack, site: Bucket): string[] {
  const qualifier =
    (stack.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) as string | undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const siteLogicalId = stack.getLogicalId(site.node.defaultChild as CfnBucket);
  return [
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
      (action) => `Action::${action}`,
    ),
    `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-${region}/*`,
    `Resource::<${siteLogicalId}.Arn>/*`,
  ];
}

/** The console settings from CDK context (`-c console=true`, …); a bad value fails the synthesis naming it. */
export function readConsoleSettings(node: Node): ConsoleSettings {
  const enabled = node.tryGetContext('console');
  if (![undefined, true, false, 'true', 'false'].includes(enabled))
    throw new Error(`context "console" must be true or false, got "${String(enabled)}"`);
  const names = node.tryGetContext('consoleDomainNames') as unknown;
  const certificateArn = node.tryGetContext('consoleCertificateArn') as unknown;
  if ((names === undefined) !== (certificateArn === undefined))
    throw new Error(
      'contexts "consoleDomainNames" and "consoleCertificateArn" go together: give both or neither',
    );
  const settings = { enabled: enabled === true || enabled === 'true' };
  if (names === undefined) return settings;
  const list = (Array.isArray(names) ? names : String(names).split(','))
    .map((name) => String(name).trim())
    .filter((name) => name !== '');
  if (list.length === 0) throw new Error('context "consoleDomainNames" names no host');
  if (
    typeof certificateArn !== 'string' ||
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/.+$/.test(certificateArn)
  )
    throw new Error(
      `context "consoleCertificateArn" must be an ACM certificate ARN in us-east-1 (CloudFront's), got "${String(certificateArn)}"`,
    );
  return { ...settings, domain: { names: list, certificateArn } };
}
