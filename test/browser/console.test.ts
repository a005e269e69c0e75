// The web console (console/) in a real browser: Debian's Chromium driven by playwright-core, against a sandbox
// started as the e2e suite starts one, with console/ served by the sandbox's static site under the same
// Content-Security-Policy CloudFront sends. Everything is done the way a person does it — through labels,
// roles and the keyboard — so a control without a label or a button out of keyboard reach fails the test.
// Screenshots go to .test-results/screenshots/ (kept by CI with the test results; paths are printed).
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIR, consoleContentSecurityPolicy } from '../../infra/stacks/console-stack.ts';
import { type RunningStaticSite, startStaticSite } from '../../sandbox/static-site.ts';
import { createApiKey } from '../../scripts/api-keys-client.ts';
import { startWorkflow } from '../../scripts/workflow-client.ts';
import { tableNamed, useE2eTarget } from '../e2e/support/e2e-target.ts';
import { call } from '../e2e/support/http.ts';
import { type E2eTenant, tenantWithAgents } from '../e2e/support/tenant-fleet.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOTS = join(ROOT, '.test-results', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const FLOW_TIMEOUT_MS = 240_000;
/** How long the page may take to show what the API already has (it polls every second here). */
const UI_WAIT_MS = 30_000;
/** How long a workflow may take to end once unblocked. */
const WORKFLOW_WAIT_MS = 90_000;

// In-page scripts, as source text: the project's TypeScript has no DOM library, and these run in the page.
/** Reports every Content-Security-Policy violation as a console error (which fails the test). */
const REPORT_CSP_VIOLATIONS = `
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI);
  });`;
/** The visible form controls without a label, and the visible buttons without text. */
const UNLABELLED_CONTROLS = `(() => {
  const problems = [];
  for (const control of document.querySelectorAll('input, select, textarea')) {
    if (control.type === 'hidden' || control.closest('[hidden]')) continue;
    if (control.labels.length === 0 && !control.getAttribute('aria-label'))
      problems.push(control.tagName.toLowerCase() + '#' + control.id + ' has no label');
  }
  for (const button of document.querySelectorAll('button')) {
    if (!button.closest('[hidden]') && button.textContent.trim() === '') problems.push('a button has no text');
  }
  return problems;
})()`;

const target = useE2eTarget();
let site: RunningStaticSite;
let browser: Browser;

beforeAll(async () => {
  site = await startStaticSite({
    root: CONSOLE_DIR,
    port: 0,
    config: { apiUrl: target.apiUrl, pollSeconds: 1 },
    headers: { 'content-security-policy': consoleContentSecurityPolicy(new URL(target.apiUrl).origin) },
  });
  if (!existsSync(CHROMIUM))
    throw new Error(`the browser tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium`);
  // Root (as in CI) cannot use Chromium's sandbox; the page is our own and talks only to loopback.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

interface ConsolePage {
  page: Page;
  /** Uncaught errors, CSP violations and console errors other than the API's 4xx answers. */
  problems: string[];
}

async function openConsole(): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx answer as "Failed to load resource"; the tests provoke some on purpose.
    if (
      message.type() === 'error' &&
      !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
    )
      problems.push(`console error: ${message.text()}`);
  });
  await page.addInitScript(REPORT_CSP_VIOLATIONS);
  await page.goto(site.url);
  return { page, problems };
}

const screenshots: string[] = [];
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  screenshots.push(relative(ROOT, path));
  console.log(`screenshot: ${relative(ROOT, path)}`);
}

async function signIn(page: Page, key: string): Promise<void> {
  const input = page.getByLabel('API key', { exact: true });
  await input.fill(key);
  await input.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in with an API key' }).waitFor();
}

/** Every form control shown has a label (or aria-label), every button shown has text. */
async function expectAccessibleControls(page: Page): Promise<void> {
  expect(await page.evaluate(UNLABELLED_CONTROLS)).toEqual([]);
}

async function sessionValue(page: Page, key: string): Promise<string | null> {
  return (await page.evaluate(`window.sessionStorage.getItem(${JSON.stringify(key)})`)) as string | null;
}

/** A verdict of an intact trail holding at least one record. */
const INTACT_TRAIL = /^Valid [1-9]\d* records and \d+ checkpoints checked: the trail is intact\.$/;

/**
 * Runs the audit view's verification until its verdict matches, and returns it. Asked again because the
 * audit logger appends asynchronously, and because GET /v1/audit/verify, asked while an append is under way,
 * can find a record past the head it read first and call the trail broken there; a trail that is broken
 * stays broken, so a test expecting an intact one still fails on it.
 */
async function verifyAuditUntil(page: Page, verdict: RegExp): Promise<string> {
  const verify = page.getByRole('button', { name: 'Verify audit trail' });
  const heading = page.getByRole('heading', { name: /^(Valid|Broken) / });
  let last = '';
  await expect
    .poll(
      async () => {
        await verify.click();
        await heading.waitFor({ timeout: UI_WAIT_MS });
        last = await textOf(heading);
        return last;
      },
      { timeout: UI_WAIT_MS, interval: 1_000 },
    )
    .toMatch(verdict);
  return last;
}

async function reviewerKey(tenant: E2eTenant, name: string, level: number): Promise<string> {
  const created = await createApiKey(target.apiUrl, target.platformKey, {
    tenantId: tenant.tenantId,
    name,
    roles: ['reviewer'],
    reviewerLevel: level,
  });
  return created.key;
}

function escalationCard(page: Page, step: string, workflowId: string): Locator {
  return page.getByRole('article', { name: `Step “${step}” of workflow ${workflowId}` });
}

async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

describe('web console', () => {
  it(
    'signs a reviewer in, shows an escalation with its SLA countdown, approves it by keyboard, and the workflow completes with sealed proofs',
    async () => {
      const tenant = await tenantWithAgents(target, 'console-approve', ['research-agent', 'writing-agent']);
      const rita = await reviewerKey(tenant, 'rita', 3);
      const { page, problems } = await openConsole();

      await page.getByRole('heading', { name: 'Sign in with an API key' }).waitFor();
      await expectAccessibleControls(page);
      await screenshot(page, '01-sign-in');
      await signIn(page, rita);
      expect(page.url()).not.toContain(rita);
      expect(await sessionValue(page, 'trustgate.console.apiKey')).toBe(rita);
      expect(await textOf(page.locator('#session'))).toContain(rita.slice(0, 19));
      expect(await textOf(page.locator('#session'))).not.toContain(rita);

      // The agents as first seen: their tiers, no trend yet.
      await page.getByRole('link', { name: 'Agents', exact: true }).click();
      const researchRow = page.getByRole('row', { name: /Research Agent/ });
      const writingRow = page.getByRole('row', { name: /Writing Agent/ });
      await researchRow.waitFor({ timeout: UI_WAIT_MS });
      expect(await textOf(researchRow)).toMatch(/T3\s*Trusted|T3/);
      expect(await textOf(writingRow)).toContain('T2');
      expect(await textOf(researchRow)).toContain('no change seen yet');
      expect(await page.getByRole('link', { name: 'Agents', exact: true }).getAttribute('aria-current')).toBe(
        'page',
      );

      const workflowId = await startWorkflow(
        target.apiUrl,
        {
          template: 'escalation',
          input: { task: 'Draft a note on AI regulation' },
          escalation: { slaSeconds: 600, maxLevel: 3 },
        },
        tenant.headers,
      );

      // The escalation appears in the queue, with its level, agent, reasons and a live countdown.
      await page.getByRole('link', { name: 'Escalations', exact: true }).click();
      const card = escalationCard(page, 'draft', workflowId);
      await card.waitFor({ timeout: WORKFLOW_WAIT_MS });
      const details = await textOf(card);
      expect(details).toContain('Level1 of 3');
      expect(details).toContain('writing-agent — tier T2, the step requires T3');
      expect(details).toContain('requires tier T3; agent "writing-agent" is T2');
      const countdown = card.locator('.countdown');
      const firstReading = await textOf(countdown);
      expect(firstReading).toMatch(/^(9|10) min \d\d s left$/);
      await expect.poll(() => textOf(countdown), { timeout: 5_000 }).not.toBe(firstReading);
      await expectAccessibleControls(page);
      await screenshot(page, '02-escalation-pending');

      // Approve with the keyboard: type the comment, Tab to Approve (focus visible), Enter.
      await card.getByLabel('Approval comment (optional)', { exact: true }).focus();
      await page.keyboard.type('fine for an internal note');
      await page.keyboard.press('Tab');
      const focused = page.locator(':focus');
      expect(await textOf(focused)).toBe('Approve');
      expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
      await screenshot(page, '03-escalation-approve-focused');
      await page.keyboard.press('Enter');

      const decision = page
        .getByRole('region', { name: 'Decided here' })
        .getByRole('listitem')
        .filter({ hasText: `step “draft” of workflow ${workflowId}` });
      await decision.waitFor({ timeout: UI_WAIT_MS });
      expect(await textOf(decision)).toMatch(
        /^APPROVED step “draft” of workflow \S+ at level 1, by rita \(reviewer level 3\)/,
      );
      expect(await textOf(decision)).toContain('comment: “fine for an internal note”');
      await card.waitFor({ state: 'detached', timeout: UI_WAIT_MS });
      await expect.poll(() => textOf(page.locator('.summary'))).toBe('No pending escalations.');
      // Focus was in the card that left: it moves to the decision, and the result is announced.
      expect(await page.locator('li.decision:focus').count()).toBe(1);
      await expect
        .poll(() => textOf(page.locator('#announcer')))
        .toContain('Approved the escalation of step draft');
      await screenshot(page, '04-escalation-approved');

      // The workflow's timeline, refreshed until it ends.
      await decision.getByRole('link', { name: workflowId }).click();
      await page.getByRole('heading', { name: 'Workflow', level: 1 }).waitFor();
      expect(await page.getByLabel('Workflow id', { exact: true }).inputValue()).toBe(workflowId);
      const status = page.locator('.workflow [data-status]').first();
      await expect.poll(() => textOf(status), { timeout: WORKFLOW_WAIT_MS }).toBe('SUCCEEDED');
      const steps = page.locator('ol.timeline > li');
      expect(await steps.count()).toBe(2);
      const research = await textOf(steps.nth(0));
      expect(research).toContain('1. research');
      expect(research).toContain('research-agent — tier T3, requires T3');
      expect(research).toMatch(/DecisionALLOW/);
      expect(research).toMatch(/Tokens\d+ in, \d+ out/);
      const draft = await textOf(steps.nth(1));
      expect(draft).toContain('2. draft');
      expect(draft).toMatch(/DecisionALLOW/);
      expect(draft).toContain('by rita (reviewer level 3) at level 1');
      expect(draft).toContain('“fine for an internal note”');
      expect(draft).toMatch(/Escalationlevel 1, APPROVED/);
      const proofLinks = page.getByRole('link', { name: /^Proof of step / });
      expect(await proofLinks.count()).toBe(2);
      await expectAccessibleControls(page);
      await screenshot(page, '05-workflow-succeeded');

      // A step's proof: sealed into a Merkle batch at the end, and verified.
      await page.getByRole('link', { name: /^Proof of step draft/ }).click();
      await page.getByRole('heading', { name: 'Proof', level: 1 }).waitFor();
      const proofStatus = page.locator('[data-status]').first();
      await expect.poll(() => textOf(proofStatus), { timeout: UI_WAIT_MS }).toBe('SEALED');
      expect(await page.locator('[data-verified]').getAttribute('data-verified')).toBe('true');
      expect(await textOf(page.locator('.facts'))).toMatch(/Merkle root[0-9a-f]{64}/);
      await screenshot(page, '06-proof');

      // A compliance violation lowers the research agent's score: the trend turns down, across a reload.
      const reported = await call('POST', `${target.apiUrl}/v1/events`, {
        headers: tenant.headers,
        body: {
          events: [{ type: 'compliance.violation', data: { agentId: 'research-agent', severity: 'high' } }],
        },
      });
      expect(reported.status).toBe(202);
      await page.getByRole('link', { name: 'Agents', exact: true }).click();
      const researchTrend = researchRow.locator('[data-trend]');
      await expect
        .poll(() => researchTrend.getAttribute('data-trend'), { timeout: WORKFLOW_WAIT_MS })
        .toBe('down');
      expect(await textOf(researchTrend)).toMatch(/^↓ down −\d+ from \d+ \(at .+\)$/);
      await page.reload();
      await researchRow.waitFor({ timeout: UI_WAIT_MS });
      expect(await researchTrend.getAttribute('data-trend')).toBe('down');
      await screenshot(page, '07-agents-trend');

      // The agent's own page: its trust components, breaker, capabilities, and the scores this session saw.
      await researchRow.getByRole('link', { name: 'Research Agent' }).click();
      await page.getByRole('heading', { name: 'Agent research-agent', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Trust components' }).waitFor({ timeout: UI_WAIT_MS });
      const agentPage = await textOf(page.locator('#view'));
      expect(agentPage).toMatch(/behavioral\d+ %/);
      expect(agentPage).toMatch(/compliance\d+ %/);
      expect(agentPage).toMatch(/Scores seen this session580 \(.+\) → \d+ \(/);
      expect(agentPage).toContain('search_web');
      await screenshot(page, '07b-agent-detail');

      // The audit trail verifies, with this tenant's records in it.
      await page.getByRole('link', { name: 'Audit', exact: true }).click();
      await verifyAuditUntil(page, INTACT_TRAIL);
      await expectAccessibleControls(page);
      await screenshot(page, '08-audit-verified');

      await signOut(page);
      expect(await sessionValue(page, 'trustgate.console.apiKey')).toBeNull();
      expect(await sessionValue(page, 'trustgate.console.scores')).toBeNull();
      expect(problems).toEqual([]);
      await page.context().close();
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    'shows the API’s 403 to a reviewer below the escalation’s level, asks for a reason to reject, and a rejection fails the workflow',
    async () => {
      const tenant = await tenantWithAgents(target, 'console-reject', ['writing-agent']);
      const lou = await reviewerKey(tenant, 'lou', 1);
      const rita = await reviewerKey(tenant, 'rita', 3);
      // A T2 agent asked for T4 work: two tiers short, so the escalation asks for level 2.
      const workflowId = await startWorkflow(
        target.apiUrl,
        {
          type: 'sequential',
          input: { task: 'Draft the annual compliance summary' },
          steps: [
            {
              name: 'summary',
              agentId: 'writing-agent',
              requiredTier: 'T4',
              intent: 'generate_document',
              resource: { id: 'summary', type: 'document' },
            },
          ],
          escalation: { slaSeconds: 600, maxLevel: 3 },
        },
        tenant.headers,
      );
      const { page, problems } = await openConsole();

      // A key the API refuses is not kept.
      await page.getByLabel('API key', { exact: true }).fill('tg_dev_not-a-real-key');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const keyError = page.locator('#api-key-error');
      await keyError.waitFor({ timeout: UI_WAIT_MS });
      expect(await textOf(keyError)).toMatch(/^The key was not accepted: 401 \w+: /);
      expect(await page.getByLabel('API key', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      expect(await sessionValue(page, 'trustgate.console.apiKey')).toBeNull();
      await screenshot(page, '09-sign-in-refused');

      await signIn(page, lou);
      const card = escalationCard(page, 'summary', workflowId);
      await card.waitFor({ timeout: WORKFLOW_WAIT_MS });
      expect(await textOf(card)).toContain('Level2 of 3');
      await card.getByRole('button', { name: 'Approve' }).click();
      const refusal = card.getByRole('alert');
      await refusal.waitFor({ timeout: UI_WAIT_MS });
      expect(await textOf(refusal)).toMatch(/^Error: 403 insufficient_authority: .+/);
      await screenshot(page, '10-escalation-403');

      // Reject without a reason: refused in the page, focus on the field, nothing sent.
      await card.getByRole('button', { name: 'Reject' }).click();
      await card.getByText('A rejection needs a reason').waitFor();
      const reasonField = card.getByLabel('Rejection reason (required to reject)', { exact: true });
      expect(await reasonField.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('textarea:focus').getAttribute('id')).toBe(
        await reasonField.getAttribute('id'),
      );
      await screenshot(page, '11-reject-needs-reason');

      await signOut(page);
      await signIn(page, rita);
      await card.waitFor({ timeout: UI_WAIT_MS });
      const reason = 'compliance summaries need a T4 writer';
      await card.getByLabel('Rejection reason (required to reject)', { exact: true }).fill(reason);
      await card.getByRole('button', { name: 'Reject' }).press('Enter');
      const decision = page
        .getByRole('region', { name: 'Decided here' })
        .getByRole('listitem')
        .filter({ hasText: `step “summary” of workflow ${workflowId}` });
      await decision.waitFor({ timeout: UI_WAIT_MS });
      expect(await textOf(decision)).toContain(
        `at level 2, by rita (reviewer level 3) — reason: “${reason}”`,
      );
      await screenshot(page, '12-escalation-rejected');

      // The queue's other statuses: the decided escalation, with its reviewer and reason, and no actions.
      await page.getByLabel('Show', { exact: true }).selectOption('REJECTED');
      await page.getByRole('heading', { name: 'Rejected escalations' }).waitFor();
      await card.waitFor({ timeout: UI_WAIT_MS });
      expect(await textOf(card)).toContain('Reviewerrita (reviewer level 3)');
      expect(await textOf(card)).toContain(`Reason${reason}`);
      expect(await card.getByRole('button').count()).toBe(0);

      await decision.getByRole('link', { name: workflowId }).click();
      const status = page.locator('.workflow [data-status]').first();
      await expect.poll(() => textOf(status), { timeout: WORKFLOW_WAIT_MS }).toBe('FAILED');
      const summary = await textOf(page.locator('.workflow'));
      expect(summary).toContain('escalation_rejected at step summary');
      expect(summary).toContain(reason);
      expect(summary).toMatch(/DecisionESCALATE/);
      await screenshot(page, '13-workflow-rejected');

      // The tenant's audit trail verifies; once a record is edited in the table, the page names it and the field.
      await page.getByRole('link', { name: 'Audit', exact: true }).click();
      await verifyAuditUntil(page, INTACT_TRAIL);
      await target.dynamodb.send(
        new UpdateItemCommand({
          TableName: await tableNamed(target.dynamodb, 'AuditTable'),
          Key: { chainKey: { S: tenant.tenantId }, sequence: { N: '1' } },
          UpdateExpression: 'SET #type = :forged',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':forged': { S: 'compliance.audit_passed' } },
        }),
      );
      await verifyAuditUntil(page, /^Broken first broken at record 1, field type: .+\.$/);
      expect(await textOf(page.locator('.audit-result'))).toMatch(
        /First brokenrecord 1 \(event \S+\), field type/,
      );
      await screenshot(page, '14-audit-broken');

      // An id the API does not know: its 404 is shown with its message.
      await page.getByRole('link', { name: 'Workflow', exact: true }).click();
      const lookup = page.getByLabel('Workflow id', { exact: true });
      await lookup.fill('wf-not-a-workflow');
      await lookup.press('Enter');
      const notFound = page.getByRole('alert');
      await notFound.waitFor({ timeout: UI_WAIT_MS });
      expect(await textOf(notFound)).toMatch(/^Error: 404 workflow_not_found: /);
      await screenshot(page, '15-workflow-not-found');

      expect(problems).toEqual([]);
      await page.context().close();
      console.log(`screenshots:\n  ${screenshots.join('\n  ')}`);
    },
    FLOW_TIMEOUT_MS,
  );
});
