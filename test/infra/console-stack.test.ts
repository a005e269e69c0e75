// The web console's stack (infra/stacks/console-stack.ts): a private bucket read only by its CloudFront
// distribution through Origin Access Control, HTTPS only, security headers, console/ deployed with a
// config.json carrying the HTTP API's URL — and cdk-nag's AWS Solutions checks clean over the whole app.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { CONSOLE_DIR, consoleContentSecurityPolicy } from '../../infra/stacks/console-stack.ts';
import { type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000000';

let synthesized: SynthesizedApp;
let withDomain: SynthesizedApp;
let consoleStack: Stack;
let template: Template;
let resources: Resources;

beforeAll(async () => {
  synthesized = await synthesizeTrustgateApp({ console: true });
  withDomain = await synthesizeTrustgateApp({
    console: 'true',
    consoleDomainNames: 'console.example.com',
    consoleCertificateArn: CERTIFICATE_ARN,
  });
  consoleStack = synthesized.app.node.findChild('Trustgate-dev-Console') as Stack;
  template = Template.fromStack(consoleStack);
  resources = template.toJSON().Resources as Resources;
});

function awsSolutionsFindings(app: SynthesizedApp): string[] {
  const report = JSON.parse(
    readFileSync(join(app.assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return report.pluginReports
    .filter((plugin) => plugin.pluginName === 'AwsSolutions')
    .flatMap((plugin) => plugin.violations.map((violation) => `${violation.severity} ${violation.ruleName}`));
}

function logicalIdsOf(type: string): string[] {
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}

/** The site bucket: the one the distribution's origin reads (the other is the access-log bucket). */
function siteBucketId(): string {
  const ids = logicalIdsOf('AWS::S3::Bucket').filter((id) => id.startsWith('Site'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function distribution(): Record<string, unknown> {
  const [id] = logicalIdsOf('AWS::CloudFront::Distribution');
  return resources[id!]!.Properties.DistributionConfig as Record<string, unknown>;
}

/** The Fn::ImportValue of the stateless stack's HTTP API endpoint, as the console stack sees it. */
const API_ENDPOINT_IMPORT = {
  'Fn::ImportValue': Match.stringLikeRegexp('^Trustgate-dev-Stateless:.*ApiEndpoint'),
};

describe('console stack', () => {
  it('is synthesized only when context console is true: the sandbox emulates no S3 or CloudFront', () => {
    for (const context of [{}, { console: false }, { console: 'false' }]) {
      const app = buildApp({ context });
      expect(app.node.tryFindChild('Trustgate-dev-Console'), JSON.stringify(context)).toBeUndefined();
    }
    expect(synthesized.app.node.tryFindChild('Trustgate-dev-Console')).toBeDefined();
  });

  it('refuses bad console context, naming it', () => {
    expect(() => buildApp({ context: { console: 'yes' } })).toThrow(/context "console"/);
    expect(() => buildApp({ context: { console: true, consoleDomainNames: 'console.example.com' } })).toThrow(
      /consoleDomainNames" and "consoleCertificateArn/,
    );
    expect(() =>
      buildApp({
        context: {
          console: true,
          consoleDomainNames: 'console.example.com',
          consoleCertificateArn: CERTIFICATE_ARN.replace('us-east-1', 'eu-west-1'),
        },
      }),
    ).toThrow(/us-east-1/);
  });

  it('keeps the site bucket private: public access blocked, no ACLs, TLS only, encrypted, no website', () => {
    const site = resources[siteBucketId()]!.Properties;
    expect(site.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(site.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(site.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(site.WebsiteConfiguration).toBeUndefined();
    expect(site.AccessControl).toBeUndefined();
    // A build of console/ from git, replaced whole by each deployment: no versions (see the stack).
    expect(site.VersioningConfiguration).toBeUndefined();
  });

  it('lets only this distribution read the site bucket, and denies every request without TLS', () => {
    const siteId = siteBucketId();
    const policies = Object.values(resources).filter(
      (resource) =>
        resource.Type === 'AWS::S3::BucketPolicy' &&
        JSON.stringify(resource.Properties.Bucket) === JSON.stringify({ Ref: siteId }),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0]!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [distributionId] = logicalIdsOf('AWS::CloudFront::Distribution');
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: {
        StringEquals: {
          'AWS:SourceArn': {
            'Fn::Join': ['', expect.arrayContaining([{ Ref: distributionId }])],
          },
        },
      },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('reads the bucket through an Origin Access Control (SigV4, always), not an origin access identity', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const [oacId] = logicalIdsOf('AWS::CloudFront::OriginAccessControl');
    const origins = distribution().Origins as Record<string, unknown>[];
    expect(origins).toHaveLength(1);
    expect(origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [siteBucketId(), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('redirects HTTP to HTTPS, serves index.html at the root, GET and HEAD only', () => {
    expect(distribution()).toMatchObject({
      DefaultRootObject: 'index.html',
      Enabled: true,
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        Compress: true,
      },
    });
  });

  it('logs the distribution and the bucket into the access-log bucket', () => {
    const logsId = logicalIdsOf('AWS::S3::Bucket').find((id) => id.startsWith('AccessLogs'))!;
    expect(distribution().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logsId, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    expect(resources[siteBucketId()]!.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 's3/',
    });
    expect(resources[logsId]!.Properties.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('sends security headers: a CSP that connects only to itself and the API, HSTS, no framing', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            Override: true,
            ContentSecurityPolicy: {
              'Fn::Join': [
                '',
                [
                  Match.stringLikeRegexp("connect-src 'self' $"),
                  API_ENDPOINT_IMPORT,
                  Match.stringLikeRegexp("^; base-uri 'none'"),
                ],
              ],
            },
          },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 31_536_000,
            IncludeSubdomains: true,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
      },
    });
    const [policyId] = logicalIdsOf('AWS::CloudFront::ResponseHeadersPolicy');
    expect((distribution().DefaultCacheBehavior as Record<string, unknown>).ResponseHeadersPolicyId).toEqual({
      Ref: policyId,
    });
    const csp = consoleContentSecurityPolicy('https://api.example.com');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://api.example.com;");
    expect(csp).not.toMatch(/unsafe-(inline|eval)|\*/);
  });

  it('deploys console/ and a config.json whose apiUrl is the HTTP API endpoint', () => {
    const deployments = Object.values(resources).filter(
      (resource) => resource.Type === 'Custom::CDKBucketDeployment',
    );
    expect(deployments).toHaveLength(1);
    const deployment = deployments[0]!.Properties;
    expect(deployment.DestinationBucketName).toEqual({ Ref: siteBucketId() });
    expect(deployment.Prune).toBe(true);
    expect(deployment.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    const keys = deployment.SourceObjectKeys as string[];
    const markers = deployment.SourceMarkers as Record<string, unknown>[];
    expect(keys).toHaveLength(2);

    // Each source is an asset staged in the assembly as asset.<hash>/ (the key is <hash>.zip).
    const staged = (key: string) =>
      join(synthesized.assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
    const files = keys.map((key) => (existsSync(staged(key)) ? readdirSync(staged(key)).sort() : []));
    const consoleIndex = files.findIndex((names) => names.includes('index.html'));
    const configIndex = files.findIndex((names) => names.includes('config.json'));
    expect(files[consoleIndex]).toEqual(
      readdirSync(CONSOLE_DIR)
        .filter((name) => name !== 'config.json' && !name.startsWith('.'))
        .sort(),
    );
    expect(files[consoleIndex]).toEqual(expect.arrayContaining(['app.js', 'index.html', 'styles.css']));
    expect(files[configIndex]).toEqual(['config.json']);

    const config = JSON.parse(readFileSync(join(staged(keys[configIndex]!), 'config.json'), 'utf8')) as {
      apiUrl: string;
    };
    // A deploy-time value: the marker is replaced by the endpoint when the deployment runs.
    expect(Object.keys(config)).toEqual(['apiUrl']);
    const [marker] = Object.keys(markers[configIndex]!);
    expect(config.apiUrl).toBe(marker);
    expect(markers[configIndex]![marker!]).toEqual({
      'Fn::ImportValue': expect.stringMatching(/^Trustgate-dev-Stateless:.*ApiEndpoint/),
    });
    expect(markers[consoleIndex]).toEqual({});
  });

  it('gives the deployment function a role of its own, with no managed policy', () => {
    const functions = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(1);
    const roleRef = functions[0]!.Properties.Role as { 'Fn::GetAtt': [string, string] };
    const role = resources[roleRef['Fn::GetAtt'][0]]!;
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('leaves cdk-nag’s AWS Solutions checks clean over the app with the console', () => {
    expect(awsSolutionsFindings(synthesized)).toEqual([]);
  });

  it('with a custom domain: its names, its certificate, TLSv1.2_2021 at least — and cdk-nag clean', () => {
    const stack = withDomain.app.node.findChild('Trustgate-dev-Console') as Stack;
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: ['console.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: CERTIFICATE_ARN,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      },
    });
    expect(awsSolutionsFindings(withDomain)).toEqual([]);
  });
});
