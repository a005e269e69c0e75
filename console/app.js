// The trustgate web console: a static page (no build step, no framework, nothing from another origin) that
// talks to the trustgate HTTP API with the API key the user pastes.
//
// - config.json, next to index.html, says where the API is: `{ "apiUrl": "https://…", "pollSeconds"?: 5 }`.
//   `npm start` serves it from the sandbox (sandbox/static-site.ts); a deployment writes it into the console's
//   bucket with the HTTP API's URL (infra/stacks/console-stack.ts).
// - The key is kept in sessionStorage (this tab only, gone when it closes), sent only as
//   `Authorization: Bearer …` to apiUrl, never put in a URL; signing out (or a 401) forgets it.
// - Views, by hash route: #/escalations (the reviewer queue, polled), #/agents[/<id>], #/workflows[/<id>],
//   #/proofs[/<hash>], #/audit. Everything from the API is written with textContent, never parsed as HTML.
//
// Agents view — what it shows, and why: the list answer (GET /v1/agents) carries, per agent, the effective
// score (decay applied at read time), its tier code and name, the four trust components, the breaker
// (status, failures, success rate, last failure), the cost per call and the last activity. The table shows
// tier, score with its trend, breaker and success rate, cost and last activity; the agent's own page
// (GET /v1/agents/{id}) adds the components, the manifest's capabilities and constraints, provider kind,
// identity evidence, deployment context and the scores seen this session. The API keeps no score history,
// so the trend is this browser's: every score seen (rounded to a whole point, as shown) is kept per agent in
// sessionStorage — the last SCORE_HISTORY distinct values with when they were first seen — across polls and
// reloads, and the trend is the latest value against the one before it (↑ / ↓ / → with the delta). Rounding
// keeps the slow decay from reading as a fall on every poll; signing out clears the history with the key.

const KEY_STORAGE = 'trustgate.console.apiKey';
const SCORES_STORAGE = 'trustgate.console.scores';
const SCORE_HISTORY = 8;
const DEFAULT_POLL_SECONDS = 5;
const FINAL_WORKFLOW_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'COMPENSATED']);
const ESCALATION_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'TIMED_OUT'];
const VIEW_TITLES = {
  escalations: 'Escalations',
  agents: 'Agents',
  agent: 'Agent',
  workflow: 'Workflow',
  proof: 'Proof',
  audit: 'Audit',
  missing: 'Not found',
};

const app = {
  /** `{ apiUrl, pollSeconds }` from config.json. */
  config: undefined,
  /** Stops the current view's timers and requests. */
  cleanup: () => {},
  /** Bumped on every navigation: answers for an earlier view are dropped. */
  generation: 0,
};

// ---------------------------------------------------------------------------------------------------------
// DOM helpers

/**
 * `h('p', { class: 'x', text: 'hello' }, child…)`: an element with attributes (`aria-*`, `data-*`, `id`,
 * `href`, …), `text` as its textContent, `on` as event listeners, `hidden`/`disabled` as booleans.
 */
function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') element.textContent = String(value);
    else if (name === 'on')
      for (const [type, listener] of Object.entries(value)) element.addEventListener(type, listener);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A `<dl>` from [term, description] pairs; a description may be text or nodes; empty ones are left out. */
function facts(pairs, className = 'facts') {
  const list = h('dl', { class: className });
  for (const [term, description] of pairs) {
    if (description === undefined || description === null || description === '') continue;
    list.append(h('div', {}, h('dt', { text: term }), h('dd', {}, description)));
  }
  return list;
}

/**
 * Marks buttons busy while a request runs. Not `disabled`: a disabled button drops the keyboard focus
 * (to the body), and the user would lose their place; aria-disabled keeps it and says it is unavailable.
 */
function setBusy(buttons, busy) {
  for (const button of buttons) {
    if (busy) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
  }
}

function isBusy(button) {
  return button.getAttribute('aria-disabled') === 'true';
}

function code(text) {
  return h('code', { text });
}

/** A status shown as a word in a badge: the color only repeats what the text says. */
function badge(status, label = status) {
  return h('span', {
    class: `badge badge-${String(status).toLowerCase().replaceAll('_', '-')}`,
    text: label,
  });
}

function timeElement(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return h('time', { datetime: iso, text: Number.isNaN(date.getTime()) ? iso : date.toLocaleString() });
}

function announce(message) {
  const region = document.getElementById('announcer');
  // Cleared first, so the same message twice is announced twice.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function errorText(error) {
  if (error instanceof ApiError) {
    return error.status === 0 ? error.message : `${error.status} ${error.code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A visible error, announced at once (role="alert"). */
function errorMessage(error) {
  return h(
    'p',
    { class: 'message error', role: 'alert' },
    h('strong', { text: 'Error: ' }),
    errorText(error),
  );
}

function shortHash(hash) {
  return hash.length > 20 ? `${hash.slice(0, 12)}…${hash.slice(-6)}` : hash;
}

function formatScore(score) {
  return String(Math.round(score));
}

/** "4 min 05 s left", "1 h 02 min left", "overdue by 12 s". */
function formatRemaining(milliseconds) {
  const overdue = milliseconds < 0;
  const seconds = Math.floor(Math.abs(milliseconds) / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const pad = (value) => String(value).padStart(2, '0');
  let span;
  if (hours > 0) span = `${hours} h ${pad(minutes)} min`;
  else if (minutes > 0) span = `${minutes} min ${pad(rest)} s`;
  else span = `${rest} s`;
  return overdue ? `overdue by ${span}` : `${span} left`;
}

// ---------------------------------------------------------------------------------------------------------
// The API

class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function apiKey() {
  return window.sessionStorage.getItem(KEY_STORAGE);
}

async function api(path, { method = 'GET', body, key = apiKey() } = {}) {
  const headers = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(`${app.config.apiUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (error) {
    throw new ApiError(
      0,
      'network_error',
      `Could not reach the API at ${app.config.apiUrl} (${error.message}). Check that it runs, the apiUrl ` +
        'of config.json, and that the API allows this origin (CORS).',
    );
  }
  const text = await response.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = new ApiError(
      response.status,
      json?.error?.code ?? (response.status === 401 ? 'unauthorized' : `http_${response.status}`),
      json?.error?.message ?? json?.message ?? (text || response.statusText),
      json?.error?.details ?? [],
    );
    // A key that stopped working (revoked, expired) sends the user back to sign in, saying why.
    if (response.status === 401 && key === apiKey())
      signOut(`Signed out: the API refused the key (${errorText(error)}).`);
    throw error;
  }
  return json;
}

const segment = (value) => encodeURIComponent(value);

// ---------------------------------------------------------------------------------------------------------
// Session: sign in, sign out

/** The key's public prefix (`tg_<env>_<keyId>`, as the key listings show it), never the secret. */
function keyLabel(key) {
  const match = /^(tg_[a-z0-9]+_[A-Za-z0-9]{12})/.exec(key);
  return match ? `${match[1]}…` : 'an API key';
}

function showSignIn(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('session').hidden = true;
  document.getElementById('view').replaceChildren();
  const section = document.getElementById('sign-in');
  section.hidden = false;
  document.title = 'Sign in — trustgate console';
  const error = document.getElementById('api-key-error');
  const input = document.getElementById('api-key');
  if (message) {
    error.textContent = message;
    error.hidden = false;
    error.setAttribute('role', 'alert');
    input.setAttribute('aria-invalid', 'true');
  } else {
    error.hidden = true;
    error.textContent = '';
    input.removeAttribute('aria-invalid');
  }
  input.focus();
}

function signOut(message) {
  window.sessionStorage.removeItem(KEY_STORAGE);
  window.sessionStorage.removeItem(SCORES_STORAGE);
  app.cleanup();
  app.cleanup = () => {};
  app.generation += 1;
  showSignIn(message);
  announce(message ?? 'Signed out. The API key is forgotten.');
}

async function signIn(event) {
  event.preventDefault();
  const input = document.getElementById('api-key');
  const button = event.currentTarget.querySelector('button[type="submit"]');
  const key = input.value.trim().replace(/^Bearer\s+/i, '');
  if (key === '') return showSignIn('Enter an API key: it starts with tg_.');
  if (isBusy(button)) return;
  setBusy([button], true);
  try {
    // Any key of a tenant may read its agents: the check that the key works, without changing anything.
    await api('/v1/agents?limit=1', { key });
  } catch (error) {
    return showSignIn(`The key was not accepted: ${errorText(error)}`);
  } finally {
    setBusy([button], false);
  }
  window.sessionStorage.setItem(KEY_STORAGE, key);
  input.value = '';
  document.getElementById('sign-in').hidden = true;
  showSession();
  announce(`Signed in with ${keyLabel(key)}.`);
  route({ focus: true });
}

function showSession() {
  document.getElementById('nav').hidden = false;
  document.getElementById('session').hidden = false;
  document.getElementById('session-key').textContent = `Signed in with ${keyLabel(apiKey())}`;
}

// ---------------------------------------------------------------------------------------------------------
// Routing

function parseRoute(hash) {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
  const [first = 'escalations', second] = parts;
  switch (first) {
    case 'escalations':
      return { view: 'escalations' };
    case 'agents':
      return second ? { view: 'agent', id: second } : { view: 'agents' };
    case 'workflows':
      return { view: 'workflow', id: second };
    case 'proofs':
      return { view: 'proof', hash: second };
    case 'audit':
      return { view: 'audit' };
    default:
      return { view: 'missing' };
  }
}

const VIEWS = {
  escalations: escalationsView,
  agents: agentsView,
  agent: agentView,
  workflow: workflowView,
  proof: proofView,
  audit: auditView,
  missing: missingView,
};

function route({ focus }) {
  if (!apiKey()) return showSignIn();
  app.cleanup();
  app.generation += 1;
  const current = parseRoute(window.location.hash);
  for (const link of document.querySelectorAll('#nav a')) {
    const active =
      link.dataset.view === current.view || (link.dataset.view === 'agents' && current.view === 'agent');
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${VIEW_TITLES[current.view]} — trustgate console`;
  const container = document.getElementById('view');
  const { element, cleanup } = VIEWS[current.view](current, app.generation);
  container.replaceChildren(element);
  app.cleanup = cleanup ?? (() => {});
  // A new view takes the focus to its heading, so keyboard and screen-reader users start at its top.
  if (focus) element.querySelector('h1')?.focus();
}

/** setInterval that the view's cleanup stops; `tick` is not run again while it is still running. */
function every(seconds, tick) {
  let running = false;
  const id = window.setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await tick();
    } finally {
      running = false;
    }
  }, seconds * 1000);
  return () => window.clearInterval(id);
}

/** A single-field form that navigates to `#/<base>/<value>`. */
function lookupForm({ id, label, value, button, base, hint }) {
  const input = h('input', {
    id,
    name: id,
    type: 'text',
    value: value ?? '',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-required': 'true',
    'aria-describedby': hint ? `${id}-hint` : undefined,
  });
  const error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
  const form = h(
    'form',
    {
      class: 'lookup',
      novalidate: true,
      on: {
        submit: (event) => {
          event.preventDefault();
          const wanted = input.value.trim();
          if (wanted === '') {
            error.textContent = `Enter a ${label.toLowerCase()}.`;
            error.hidden = false;
            error.setAttribute('role', 'alert');
            input.setAttribute('aria-invalid', 'true');
            input.setAttribute('aria-describedby', `${id}-error${hint ? ` ${id}-hint` : ''}`);
            input.focus();
            return;
          }
          const target = `#/${base}/${segment(wanted)}`;
          if (window.location.hash === target) route({ focus: false });
          else window.location.hash = target;
        },
      },
    },
    h(
      'div',
      { class: 'field' },
      h('label', { for: id, text: label }),
      input,
      hint ? h('p', { id: `${id}-hint`, class: 'hint', text: hint }) : null,
      error,
    ),
    h('button', { type: 'submit', text: button }),
  );
  return form;
}

// ---------------------------------------------------------------------------------------------------------
// Escalations

function escalationsView(_route, generation) {
  const pollSeconds = app.config.pollSeconds;
  let status = 'PENDING';
  /** escalationId → { element, countdown } of the cards shown. */
  const cards = new Map();
  let lastCount;

  const statusSelect = h(
    'select',
    { id: 'escalation-status', name: 'status' },
    ESCALATION_STATUSES.map((value) => h('option', { value, text: value.replace('_', ' ').toLowerCase() })),
  );
  const updated = h('p', { class: 'updated' });
  const listError = h('div');
  const summary = h('p', { class: 'summary' });
  const list = h('ol', { class: 'cards', 'aria-labelledby': 'queue-title' });
  const decisions = h('ol', { class: 'decisions' });
  const decisionsSection = h(
    'section',
    { 'aria-labelledby': 'decisions-title', hidden: true },
    h('h2', { id: 'decisions-title', text: 'Decided here' }),
    decisions,
  );
  const queueTitle = h('h2', { id: 'queue-title', tabindex: '-1', text: 'Pending escalations' });

  statusSelect.addEventListener('change', () => {
    status = statusSelect.value;
    queueTitle.textContent = `${statusSelect.selectedOptions[0].textContent.replace(/^./, (c) => c.toUpperCase())} escalations`;
    for (const { element } of cards.values()) element.remove();
    cards.clear();
    lastCount = undefined;
    refresh();
  });

  const element = h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('h1', { id: 'view-title', tabindex: '-1', text: 'Escalations' }),
    h('p', {
      class: 'lede',
      text:
        'Steps the trust gate escalated wait here for a reviewer. Approve to let the step run, or reject with ' +
        `a reason to fail the workflow. Your key’s reviewer level must be at least the escalation’s. The queue ` +
        `refreshes every ${pollSeconds} s.`,
    }),
    h(
      'form',
      { class: 'toolbar', on: { submit: (event) => event.preventDefault() } },
      h(
        'div',
        { class: 'field inline' },
        h('label', { for: 'escalation-status', text: 'Show' }),
        statusSelect,
      ),
      h('button', { type: 'button', text: 'Refresh now', on: { click: () => refresh() } }),
      updated,
    ),
    queueTitle,
    listError,
    summary,
    list,
    decisionsSection,
  );

  async function refresh() {
    const asked = status;
    let page;
    try {
      page = await api(`/v1/escalations?status=${asked}&limit=100`);
    } catch (error) {
      if (generation !== app.generation) return;
      listError.replaceChildren(errorMessage(error));
      return;
    }
    if (generation !== app.generation || asked !== status) return;
    listError.replaceChildren();
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    reconcile(page.items, asked);
    const count = page.items.length;
    const noun = `${asked.replace('_', ' ').toLowerCase()} escalation${count === 1 ? '' : 's'}`;
    summary.textContent =
      count === 0
        ? `No ${noun.replace(/s$/, '')}s.`
        : `${count} ${noun}${page.nextToken ? ' (the oldest 100 are shown)' : ''}, oldest first.`;
    if (count !== lastCount) announce(summary.textContent);
    lastCount = count;
  }

  function reconcile(items, shownStatus) {
    const seen = new Set(items.map((item) => item.escalationId));
    for (const [id, card] of cards) {
      if (seen.has(id)) continue;
      const hadFocus = card.element.contains(document.activeElement);
      card.element.remove();
      cards.delete(id);
      if (hadFocus) queueTitle.focus();
    }
    let previous = null;
    for (const item of items) {
      let card = cards.get(item.escalationId);
      if (!card) {
        card = escalationCard(item, shownStatus, onDecided);
        cards.set(item.escalationId, card);
      } else {
        card.update(item);
      }
      // Keeps the API's order (oldest first) without moving cards that are already in place.
      const expectedNext = previous ? previous.nextSibling : list.firstChild;
      if (expectedNext !== card.element) list.insertBefore(card.element, expectedNext);
      previous = card.element;
    }
    tick();
  }

  function onDecided(view, card) {
    decisionsSection.hidden = false;
    const what = view.status === 'APPROVED' ? 'Approved' : 'Rejected';
    const entry = h(
      'li',
      { tabindex: '-1', class: 'decision' },
      badge(view.status),
      ' ',
      `step “${view.step}” of workflow `,
      h('a', { href: `#/workflows/${segment(view.workflowId)}`, text: view.workflowId }),
      ` at level ${view.level}, by ${view.reviewer} (reviewer level ${view.reviewerLevel})`,
      view.comment ? ` — comment: “${view.comment}”` : '',
      view.reason ? ` — reason: “${view.reason}”` : '',
      '.',
    );
    decisions.prepend(entry);
    const hadFocus = card.element.contains(document.activeElement);
    card.element.remove();
    cards.delete(view.escalationId);
    if (hadFocus) entry.focus();
    announce(
      `${what} the escalation of step ${view.step}${view.status === 'APPROVED' ? ': the step runs now.' : ': the workflow fails with your reason.'}`,
    );
    // The queue's count is brought up to date at once, without announcing it over the decision.
    lastCount = cards.size;
    refresh();
  }

  function tick() {
    const now = Date.now();
    for (const card of cards.values()) card.tick(now);
  }

  refresh();
  const stopPolling = every(pollSeconds, refresh);
  const countdown = window.setInterval(tick, 1000);
  return {
    element,
    cleanup: () => {
      stopPolling();
      window.clearInterval(countdown);
    },
  };
}

function escalationCard(initial, shownStatus, onDecided) {
  let item = initial;
  const id = item.escalationId;
  const titleId = `escalation-${id}-title`;
  const countdown = h('span', { class: 'countdown' });
  const deadline = h('span');
  const level = h('span');
  const reasons = h('ul', { class: 'reasons' });
  const outcome = h('div', { class: 'outcome' });

  const element = h(
    'li',
    { class: 'card', 'data-escalation-id': id },
    h(
      'article',
      { 'aria-labelledby': titleId },
      h(
        'h3',
        { id: titleId },
        `Step “${item.step}” of workflow `,
        h('a', { href: `#/workflows/${segment(item.workflowId)}`, text: item.workflowId }),
      ),
      facts([
        ['Level', level],
        [
          'Agent',
          `${item.agentId} — tier ${item.agentTier ?? 'unknown'}, the step requires ${item.requiredTier}`,
        ],
        ['Step', `${item.step} (step ${item.stepIndex + 1}), intent ${item.intent}`],
        ['Reasons', reasons],
        ['SLA deadline', h('span', {}, deadline, shownStatus === 'PENDING' ? [' — ', countdown] : null)],
        ['Opened', timeElement(item.createdAt)],
        ['Escalation id', code(id)],
        ...(shownStatus === 'PENDING'
          ? []
          : [
              ['Decided', item.decidedAt ? timeElement(item.decidedAt) : null],
              ['Reviewer', item.reviewer ? `${item.reviewer} (reviewer level ${item.reviewerLevel})` : null],
              ['Comment', item.comment],
              ['Reason', item.reason],
            ]),
      ]),
      shownStatus === 'PENDING' ? decisionForms() : null,
      outcome,
    ),
  );

  function decisionForms() {
    const commentId = `approve-comment-${id}`;
    const reasonId = `reject-reason-${id}`;
    const comment = h('input', {
      id: commentId,
      name: 'comment',
      type: 'text',
      maxlength: '1000',
      autocomplete: 'off',
    });
    const reason = h('textarea', {
      id: reasonId,
      name: 'reason',
      rows: '2',
      maxlength: '1000',
      required: true,
      'aria-required': 'true',
      'aria-describedby': `${reasonId}-hint`,
    });
    const reasonError = h('p', { id: `${reasonId}-error`, class: 'field-error', hidden: true });
    const approveButton = h('button', { type: 'submit', class: 'approve', text: 'Approve' });
    const rejectButton = h('button', { type: 'submit', class: 'reject', text: 'Reject' });

    async function decide(action, body, button) {
      if (isBusy(button)) return;
      outcome.replaceChildren(
        h('p', { class: 'message', text: `${action === 'approve' ? 'Approving' : 'Rejecting'}…` }),
      );
      setBusy([approveButton, rejectButton], true);
      try {
        const view = await api(`/v1/escalations/${segment(id)}/${action}`, { method: 'POST', body });
        onDecided(view, card);
      } catch (error) {
        setBusy([approveButton, rejectButton], false);
        outcome.replaceChildren(errorMessage(error));
        button.focus();
      }
    }

    return h(
      'div',
      { class: 'decide' },
      h(
        'form',
        {
          class: 'approve-form',
          novalidate: true,
          'aria-label': `Approve step ${item.step}`,
          on: {
            submit: (event) => {
              event.preventDefault();
              const text = comment.value.trim();
              decide('approve', text === '' ? {} : { comment: text }, approveButton);
            },
          },
        },
        h(
          'div',
          { class: 'field' },
          h('label', { for: commentId, text: 'Approval comment (optional)' }),
          comment,
        ),
        approveButton,
      ),
      h(
        'form',
        {
          class: 'reject-form',
          novalidate: true,
          'aria-label': `Reject step ${item.step}`,
          on: {
            submit: (event) => {
              event.preventDefault();
              const text = reason.value.trim();
              if (text === '') {
                reasonError.textContent = 'A rejection needs a reason: the workflow fails with it.';
                reasonError.hidden = false;
                reasonError.setAttribute('role', 'alert');
                reason.setAttribute('aria-invalid', 'true');
                reason.setAttribute('aria-describedby', `${reasonId}-error ${reasonId}-hint`);
                reason.focus();
                return;
              }
              reasonError.hidden = true;
              reason.removeAttribute('aria-invalid');
              reason.setAttribute('aria-describedby', `${reasonId}-hint`);
              decide('reject', { reason: text }, rejectButton);
            },
          },
        },
        h(
          'div',
          { class: 'field' },
          h('label', { for: reasonId, text: 'Rejection reason (required to reject)' }),
          reason,
          h('p', {
            id: `${reasonId}-hint`,
            class: 'hint',
            text: 'Up to 1000 characters; recorded with the decision.',
          }),
          reasonError,
        ),
        rejectButton,
      ),
    );
  }

  const card = {
    element,
    update(next) {
      item = next;
      render();
    },
    tick(now) {
      if (shownStatus !== 'PENDING') return;
      const remaining = Date.parse(item.deadline) - now;
      countdown.textContent = formatRemaining(remaining);
      countdown.classList.toggle('overdue', remaining < 0);
    },
  };

  function render() {
    level.textContent = `${item.level} of ${item.maxLevel}`;
    deadline.replaceChildren(timeElement(item.deadline));
    reasons.replaceChildren(
      ...(item.reasons.length ? item.reasons : ['none given']).map((r) => h('li', { text: r })),
    );
  }
  render();
  return card;
}

// ---------------------------------------------------------------------------------------------------------
// Agents

/** `{ agentId: [{ score, at }] }`: the last SCORE_HISTORY distinct (rounded) scores seen, oldest first. */
function readScores() {
  try {
    const parsed = JSON.parse(window.sessionStorage.getItem(SCORES_STORAGE) ?? '{}');
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** Records the scores now seen; returns each agent's history after it. */
function recordScores(agents) {
  const history = readScores();
  const at = new Date().toISOString();
  for (const agent of agents) {
    const score = Math.round(agent.score);
    const seen = Array.isArray(history[agent.agentId]) ? history[agent.agentId] : [];
    if (seen.length === 0 || seen[seen.length - 1].score !== score) seen.push({ score, at });
    history[agent.agentId] = seen.slice(-SCORE_HISTORY);
  }
  window.sessionStorage.setItem(SCORES_STORAGE, JSON.stringify(history));
  return history;
}

/** The trend of a history: the latest score against the one before it. */
function trendOf(seen) {
  if (!seen || seen.length < 2) return { direction: 'none', delta: 0, since: seen?.[0]?.at };
  const latest = seen[seen.length - 1];
  const before = seen[seen.length - 2];
  const delta = latest.score - before.score;
  return {
    direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat',
    delta,
    since: latest.at,
    from: before.score,
  };
}

function trendCell(seen) {
  const trend = trendOf(seen);
  if (trend.direction === 'none') {
    return h(
      'span',
      { class: 'trend trend-flat' },
      h('span', { 'aria-hidden': 'true', text: '→ ' }),
      'no change seen yet',
    );
  }
  const arrow = { up: '↑', down: '↓', flat: '→' }[trend.direction];
  const sign = trend.delta > 0 ? '+' : trend.delta < 0 ? '−' : '±';
  const word = { up: 'up', down: 'down', flat: 'unchanged' }[trend.direction];
  return h(
    'span',
    { class: `trend trend-${trend.direction}`, 'data-trend': trend.direction },
    h('span', { 'aria-hidden': 'true', text: `${arrow} ` }),
    h('span', { class: 'visually-hidden', text: `${word} ` }),
    `${sign}${Math.abs(trend.delta)}`,
    h('span', {
      class: 'trend-since',
      text: ` from ${trend.from} (at ${new Date(trend.since).toLocaleTimeString()})`,
    }),
  );
}

async function listAllAgents() {
  const agents = [];
  let nextToken;
  // At most 10 pages (1 000 agents): a console table is no place for more.
  for (let page = 0; page < 10; page += 1) {
    const query = `limit=100${nextToken ? `&nextToken=${segment(nextToken)}` : ''}`;
    const answer = await api(`/v1/agents?${query}`);
    agents.push(...answer.agents);
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return { agents, truncated: Boolean(nextToken) };
}

function agentsView(_route, generation) {
  const pollSeconds = app.config.pollSeconds;
  const body = h('tbody');
  const status = h('div');
  const updated = h('p', { class: 'updated' });
  const table = h(
    'table',
    { class: 'agents' },
    h('caption', {
      text: 'Agents of this tenant. Score 0–1000 (decay applied); the trend compares the latest score with the previous one this browser session saw.',
    }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          'Agent',
          'Role',
          'Tier',
          'Score',
          'Trend',
          'Breaker',
          'Success rate',
          'Cost per call',
          'Last activity',
        ].map((name) => h('th', { scope: 'col', text: name })),
      ),
    ),
    body,
  );
  const element = h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('h1', { id: 'view-title', tabindex: '-1', text: 'Agents' }),
    h('p', { class: 'lede', text: `Trust tiers and scores, refreshed every ${pollSeconds} s.` }),
    h(
      'div',
      { class: 'toolbar' },
      h('button', { type: 'button', text: 'Refresh now', on: { click: () => refresh() } }),
      updated,
    ),
    status,
    h('div', { class: 'table-scroll' }, table),
  );
  let announced = false;

  async function refresh() {
    let answer;
    try {
      answer = await listAllAgents();
    } catch (error) {
      if (generation === app.generation) status.replaceChildren(errorMessage(error));
      return;
    }
    if (generation !== app.generation) return;
    const history = recordScores(answer.agents);
    status.replaceChildren(
      answer.truncated ? h('p', { class: 'message', text: 'Only the first 1 000 agents are shown.' }) : '',
    );
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    body.replaceChildren(
      ...answer.agents.map((agent) =>
        h(
          'tr',
          { 'data-agent-id': agent.agentId },
          h(
            'th',
            { scope: 'row' },
            h('a', { href: `#/agents/${segment(agent.agentId)}`, text: agent.name }),
            h('br'),
            code(agent.agentId),
          ),
          h('td', { text: agent.role }),
          h('td', {}, badge(agent.tier), ` ${agent.tierName}`),
          h('td', { class: 'number', text: formatScore(agent.score) }),
          h('td', {}, trendCell(history[agent.agentId])),
          h('td', {}, badge(agent.breaker.status), ` ${agent.breaker.failureCount} failures`),
          h('td', {
            class: 'number',
            text:
              agent.breaker.successRate === null ? '—' : `${Math.round(agent.breaker.successRate * 100)} %`,
          }),
          h('td', { class: 'number', text: `$${agent.costPerCall}` }),
          h('td', {}, timeElement(agent.lastActivityAt)),
        ),
      ),
    );
    if (answer.agents.length === 0)
      body.replaceChildren(h('tr', {}, h('td', { colspan: '9', text: 'No agents yet.' })));
    if (!announced) announce(`${answer.agents.length} agents.`);
    announced = true;
  }

  refresh();
  return { element, cleanup: every(pollSeconds, refresh) };
}

function agentView(current, generation) {
  const content = h('div', {}, h('p', { class: 'message', text: 'Loading…' }));
  const element = h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('h1', { id: 'view-title', tabindex: '-1' }, 'Agent ', code(current.id)),
    h('p', {}, h('a', { href: '#/agents', text: '← All agents' })),
    content,
  );
  api(`/v1/agents/${segment(current.id)}`).then(
    (agent) => {
      if (generation !== app.generation) return;
      const seen = recordScores([agent])[agent.agentId];
      const percent = (value) => `${Math.round(value * 100)} %`;
      content.replaceChildren(
        facts([
          ['Name', agent.name],
          ['Role', agent.role],
          ['Tier', h('span', {}, badge(agent.tier), ` ${agent.tierName}`)],
          ['Score', formatScore(agent.score)],
          ['Trend', trendCell(seen)],
          [
            'Scores seen this session',
            seen.map((entry) => `${entry.score} (${new Date(entry.at).toLocaleTimeString()})`).join(' → '),
          ],
          ['Cost per call', `$${agent.costPerCall}`],
          ['Provider', agent.provider?.kind],
          ['Last activity', timeElement(agent.lastActivityAt)],
          ['Registered', timeElement(agent.createdAt)],
          ['Updated', timeElement(agent.updatedAt)],
        ]),
        h('h2', { text: 'Trust components' }),
        facts(Object.entries(agent.components).map(([name, value]) => [name, percent(value)])),
        h('h2', { text: 'Circuit breaker' }),
        facts([
          ['Status', badge(agent.breaker.status)],
          ['Failures', String(agent.breaker.failureCount)],
          ['Success rate', agent.breaker.successRate === null ? '—' : percent(agent.breaker.successRate)],
          ['Last failure', agent.breaker.lastFailureAt ? timeElement(agent.breaker.lastFailureAt) : 'none'],
        ]),
        h('h2', { text: 'Capabilities (manifest)' }),
        h(
          'ul',
          {},
          (agent.manifest?.capabilities ?? []).map((capability) =>
            h(
              'li',
              {},
              code(capability.name),
              ` — ${capability.level}`,
              capability.scopes.length ? `, scopes ${capability.scopes.join(', ')}` : '',
            ),
          ),
        ),
        agent.manifest?.constraints
          ? h(
              'details',
              {},
              h('summary', { text: 'Constraints' }),
              h('pre', { text: JSON.stringify(agent.manifest.constraints, null, 2) }),
            )
          : '',
        h('h2', { text: 'Identity and deployment context' }),
        facts([
          ['Verification', agent.identity?.verificationLevel],
          ['Certificate', agent.identity?.certificate],
          ['Environment', agent.context?.environment],
          ['VPC isolated', agent.context ? (agent.context.vpcIsolated ? 'yes' : 'no') : null],
          ['mTLS', agent.context ? (agent.context.mtls ? 'yes' : 'no') : null],
          ['Managed secrets', agent.context ? (agent.context.managedSecrets ? 'yes' : 'no') : null],
        ]),
      );
    },
    (error) => {
      if (generation === app.generation) content.replaceChildren(errorMessage(error));
    },
  );
  return { element };
}

// ---------------------------------------------------------------------------------------------------------
// Workflow timeline

function workflowView(current, generation) {
  const pollSeconds = app.config.pollSeconds;
  const content = h('div', { class: 'workflow' });
  const element = h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('h1', { id: 'view-title', tabindex: '-1', text: 'Workflow' }),
    lookupForm({
      id: 'workflow-id',
      label: 'Workflow id',
      value: current.id,
      button: 'Show workflow',
      base: 'workflows',
      hint: 'As POST /v1/workflows answered it (workflowId).',
    }),
    content,
  );
  if (!current.id) return { element };

  let lastBody;
  let lastStatus;
  let stop = () => {};
  async function refresh() {
    let workflow;
    try {
      workflow = await api(`/v1/workflows/${segment(current.id)}`);
    } catch (error) {
      if (generation === app.generation) content.replaceChildren(errorMessage(error));
      if (error instanceof ApiError && error.status === 404) stop();
      return;
    }
    if (generation !== app.generation) return;
    const final = FINAL_WORKFLOW_STATUSES.has(workflow.status);
    if (final) stop();
    const serialized = JSON.stringify(workflow);
    if (serialized !== lastBody) {
      lastBody = serialized;
      // Re-rendered only when the workflow changed; focus returns to the same control if it was in it.
      const focusKey = document.activeElement?.closest?.('[data-key]')?.dataset.key;
      content.replaceChildren(renderWorkflow(workflow, final, pollSeconds));
      if (focusKey) content.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
    }
    if (workflow.status !== lastStatus) {
      announce(`Workflow ${workflow.workflowId} is ${workflow.status.replaceAll('_', ' ').toLowerCase()}.`);
      lastStatus = workflow.status;
    }
  }
  refresh();
  stop = every(pollSeconds, refresh);
  return { element, cleanup: () => stop() };
}

function renderWorkflow(workflow, final, pollSeconds) {
  return h(
    'section',
    { 'aria-labelledby': 'workflow-title' },
    h('h2', { id: 'workflow-title' }, 'Workflow ', code(workflow.workflowId)),
    facts([
      ['Status', h('span', { 'data-status': workflow.status }, badge(workflow.status))],
      ['Type', `${workflow.type}${workflow.template ? ` (template ${workflow.template})` : ''}`],
      ['Started', timeElement(workflow.createdAt)],
      ['Updated', timeElement(workflow.updatedAt)],
      [
        'Error',
        workflow.error
          ? `${workflow.error.code}${workflow.error.step ? ` at step ${workflow.error.step}` : ''}: ${workflow.error.message}`
          : null,
      ],
      ['Degraded steps', workflow.degradedSteps.length ? workflow.degradedSteps.join(', ') : null],
      ['Gaps', workflow.gaps?.length ? workflow.gaps.join(', ') : null],
    ]),
    h('p', {
      class: 'updated',
      text: final ? 'The workflow has ended.' : `Refreshing every ${pollSeconds} s until the workflow ends.`,
    }),
    h('h3', { text: `Timeline (${workflow.steps.length} step${workflow.steps.length === 1 ? '' : 's'})` }),
    h(
      'ol',
      { class: 'timeline' },
      workflow.steps.map((step, index) => stepItem(step, index)),
    ),
    workflow.result !== null
      ? h(
          'section',
          { 'aria-labelledby': 'result-title' },
          h('h3', { id: 'result-title', text: 'Result' }),
          h('pre', { class: 'output', text: workflow.result }),
        )
      : '',
  );
}

function stepItem(step, index) {
  const titleId = `step-${index}-title`;
  const tokens = step.tokens
    ? `${step.tokens.input} in, ${step.tokens.output} out (${step.tokens.input + step.tokens.output} total)`
    : null;
  const escalation = step.escalation
    ? h(
        'span',
        {},
        `level ${step.escalation.level}, `,
        badge(step.escalation.status),
        ` (SLA `,
        timeElement(step.escalation.deadline),
        ') ',
        step.escalation.status === 'PENDING' ? h('a', { href: '#/escalations', text: 'review it' }) : '',
      )
    : null;
  const approval = step.approval
    ? `by ${step.approval.reviewer} (reviewer level ${step.approval.reviewerLevel}) at level ${step.approval.level}, ${new Date(step.approval.approvedAt).toLocaleString()}${step.approval.comment ? ` — “${step.approval.comment}”` : ''}`
    : null;
  const servedBy = step.servedBy
    ? step.servedBy.kind === 'cache'
      ? `cache (produced ${new Date(step.servedBy.cachedAt).toLocaleString()}, ${Math.round(step.servedBy.ageMs / 1000)} s old)`
      : step.servedBy.kind
    : null;
  const proof = step.proofHash
    ? h('a', {
        href: `#/proofs/${segment(step.proofHash)}`,
        'data-key': `proof-${index}`,
        'aria-label': `Proof of step ${step.name}: ${step.proofHash}`,
        text: shortHash(step.proofHash),
      })
    : null;
  return h(
    'li',
    { class: `step step-${step.status.toLowerCase().replaceAll('_', '-')}`, 'aria-labelledby': titleId },
    h('h4', { id: titleId }, `${index + 1}. ${step.name} `, badge(step.status)),
    facts([
      [
        'Agent',
        step.agentId
          ? h(
              'span',
              {},
              h('a', { href: `#/agents/${segment(step.agentId)}`, text: step.agentId }),
              ` — tier ${step.agentTier ?? 'unknown'}, requires ${step.requiredTier}`,
            )
          : `not chosen yet (role ${step.role}, requires ${step.requiredTier})`,
      ],
      [
        'Routing',
        step.routing
          ? `${step.routing.preference}, attempt ${step.routing.attempts}: ${step.routing.reason}`
          : null,
      ],
      ['Intent', step.intent],
      ['Subtask', step.subtask],
      [
        'Decision',
        step.decision
          ? h('span', { 'data-decision': step.decision }, badge(step.decision))
          : 'not decided yet',
      ],
      [
        'Reasons',
        step.reasons.length
          ? h(
              'ul',
              { class: 'reasons' },
              step.reasons.map((reason) => h('li', { text: reason })),
            )
          : null,
      ],
      ['Escalation', escalation],
      ['Approval', approval],
      ['Handover', step.handover ? `from ${step.handover.fromAgentId} (${step.handover.reason})` : null],
      ['Tokens', tokens],
      ['Cost', step.costUsd === null ? null : `$${step.costUsd}`],
      ['Duration', step.durationMs === null ? null : `${(step.durationMs / 1000).toFixed(2)} s`],
      ['Served by', servedBy],
      ['Proof', proof],
      ['Memories recalled', step.memory ? String(step.memory.recalled.length) : null],
      ['Error', step.error ? `${step.error.code}: ${step.error.message}` : null],
      ['Compensation', step.compensation ? `#${step.compensation.order}: ${step.compensation.action}` : null],
    ]),
    step.output !== null
      ? h(
          'details',
          {},
          h('summary', { text: `Output of ${step.name}` }),
          h('pre', { class: 'output', text: step.output }),
        )
      : '',
  );
}

// ---------------------------------------------------------------------------------------------------------
// Proof

function proofView(current, generation) {
  const content = h('div');
  const element = h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('h1', { id: 'view-title', tabindex: '-1', text: 'Proof' }),
    lookupForm({
      id: 'proof-hash',
      label: 'Result hash',
      value: current.hash,
      button: 'Show proof',
      base: 'proofs',
      hint: 'A step’s proofHash, as the workflow timeline shows it.',
    }),
    content,
  );
  if (!current.hash) return { element };
  content.replaceChildren(h('p', { class: 'message', text: 'Loading…' }));
  api(`/v1/proofs/${segment(current.hash)}`).then(
    (proof) => {
      if (generation !== app.generation) return;
      const verified = proof.verified
        ? 'Yes — the Merkle path leads from the result hash to the root'
        : proof.status === 'PENDING'
          ? 'Not yet — the proof is not sealed into a Merkle batch'
          : 'No — the path does not lead to the root';
      content.replaceChildren(
        h(
          'section',
          { 'aria-labelledby': 'proof-title' },
          h('h2', { id: 'proof-title' }, 'Proof ', code(shortHash(proof.resultHash))),
          facts([
            ['Status', h('span', { 'data-status': proof.status }, badge(proof.status))],
            [
              'Verified',
              h(
                'span',
                { 'data-verified': String(proof.verified) },
                badge(
                  proof.verified ? 'verified' : 'unverified',
                  proof.verified ? 'verified' : 'not verified',
                ),
                ` ${verified}`,
              ),
            ],
            ['Result hash', code(proof.resultHash)],
            ['Merkle root', proof.merkleRoot ? code(proof.merkleRoot) : 'none yet'],
            ['Batch', proof.batchId ? code(proof.batchId) : null],
            ['Leaf index', proof.leafIndex === undefined ? null : String(proof.leafIndex)],
            [
              'Merkle path',
              proof.merklePath
                ? `${proof.merklePath.length} step${proof.merklePath.length === 1 ? '' : 's'}`
                : null,
            ],
            [
              'Workflow',
              h('a', { href: `#/workflows/${segment(proof.workflowId)}`, text: proof.workflowId }),
            ],
            ['Step', String(proof.step + 1)],
            ['Agent', h('a', { href: `#/agents/${segment(proof.agentId)}`, text: proof.agentId })],
            ['Intent', code(proof.intentId)],
            ['Recorded', timeElement(proof.timestamp)],
            ['Memories used', proof.memoryIds.length ? proof.memoryIds.join(', ') : 'none'],
          ]),
          proof.merklePath?.length
            ? h(
                'details',
                {},
                h('summary', { text: 'Merkle path' }),
                h('pre', { text: JSON.stringify(proof.merklePath, null, 2) }),
              )
            : '',
        ),
      );
      announce(`Proof ${proof.status.toLowerCase()}, ${proof.verified ? 'verified' : 'not verified'}.`);
    },
    (error) => {
      if (generation === app.generation) content.replaceChildren(errorMessage(error));
    },
  );
  return { element };
}

// ---------------------------------------------------------------------------------------------------------
// Audit

function auditView(_route, generation) {
  const result = h('div', { class: 'audit-result' });
  const mode = h(
    'select',
    { id: 'audit-mode', name: 'mode', 'aria-describedby': 'audit-mode-hint' },
    h('option', { value: 'full', text: 'full: every record' }),
    h('option', { value: 'checkpoints', text: 'checkpoints: the checkpoint chain and the records after it' }),
  );
  const from = h('input', {
    id: 'audit-from',
    name: 'fromSequence',
    type: 'number',
    min: '1',
    step: '1',
    inputmode: 'numeric',
  });
  const button = h('button', { type: 'submit', text: 'Verify audit trail' });

  async function verify(fromSequence) {
    const query = new URLSearchParams({ mode: mode.value });
    if (fromSequence) query.set('fromSequence', String(fromSequence));
    if (isBusy(button)) return;
    setBusy([button], true);
    result.replaceChildren(h('p', { class: 'message', text: 'Verifying…' }));
    let report;
    try {
      report = await api(`/v1/audit/verify?${query}`);
    } catch (error) {
      if (generation === app.generation) result.replaceChildren(errorMessage(error));
      return;
    } finally {
      setBusy([button], false);
    }
    if (generation !== app.generation) return;
    const broken = report.firstBroken;
    const verdict = report.valid
      ? `${report.checked.records} records and ${report.checked.checkpoints} checkpoints checked: the trail is intact.`
      : `first broken at record ${broken?.sequence}${broken?.field ? `, field ${broken.field}` : ''}: ${broken?.reason ?? 'see below'}.`;
    result.replaceChildren(
      h(
        'section',
        { 'aria-labelledby': 'audit-verdict' },
        h(
          'h2',
          { id: 'audit-verdict', tabindex: '-1' },
          badge(report.valid ? 'valid' : 'broken', report.valid ? 'Valid' : 'Broken'),
          ' ',
          verdict,
        ),
        facts([
          ['Mode', report.mode],
          ['Records checked', String(report.checked.records)],
          ['Checkpoints checked', String(report.checked.checkpoints)],
          [
            'Range',
            report.range ? `${report.range.fromSequence} – ${report.range.toSequence}` : 'none re-read',
          ],
          [
            'Head',
            report.head && report.head.sequence > 0
              ? h('span', {}, `record ${report.head.sequence}, hash `, code(shortHash(report.head.hash)))
              : 'none (no records yet)',
          ],
          [
            'First broken',
            broken
              ? `record ${broken.sequence}${broken.eventId ? ` (event ${broken.eventId})` : ''}, field ${broken.field}: ${broken.reason}`
              : null,
          ],
        ]),
        report.nextSequence
          ? h('button', {
              type: 'button',
              text: `Continue from record ${report.nextSequence}`,
              on: { click: () => verify(report.nextSequence) },
            })
          : '',
      ),
    );
    announce(`Audit trail ${report.valid ? 'valid' : 'broken'}: ${verdict}`);
  }

  const element = h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('h1', { id: 'view-title', tabindex: '-1', text: 'Audit' }),
    h('p', {
      class: 'lede',
      text: 'Recomputes the tenant’s hash-chained audit trail: every record’s field digests, hashes and links, and the Merkle checkpoints.',
    }),
    h(
      'form',
      {
        class: 'toolbar',
        novalidate: true,
        on: {
          submit: (event) => {
            event.preventDefault();
            const value = from.value.trim();
            verify(value === '' ? undefined : Number(value));
          },
        },
      },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'audit-mode', text: 'Mode' }),
        mode,
        h('p', {
          id: 'audit-mode-hint',
          class: 'hint',
          text: 'Checkpoints trusts records already checkpointed; full catches any edit.',
        }),
      ),
      h('div', { class: 'field' }, h('label', { for: 'audit-from', text: 'From record (optional)' }), from),
      button,
    ),
    result,
  );
  return { element };
}

function missingView() {
  return {
    element: h(
      'section',
      { class: 'view', 'aria-labelledby': 'view-title' },
      h('h1', { id: 'view-title', tabindex: '-1', text: 'Not found' }),
      h('p', {}, 'No such view. ', h('a', { href: '#/escalations', text: 'Go to the escalations.' })),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Start

async function loadConfig() {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  const config = await response.json();
  if (typeof config.apiUrl !== 'string' || !/^https?:\/\//.test(config.apiUrl))
    throw new Error('config.json has no apiUrl (http:// or https://)');
  const pollSeconds = Number(config.pollSeconds ?? DEFAULT_POLL_SECONDS);
  return {
    apiUrl: config.apiUrl.replace(/\/+$/, ''),
    pollSeconds: Number.isFinite(pollSeconds) && pollSeconds >= 1 ? pollSeconds : DEFAULT_POLL_SECONDS,
  };
}

async function start() {
  const boot = document.getElementById('boot');
  try {
    app.config = await loadConfig();
  } catch (error) {
    boot.textContent = `The console cannot start: ${error.message}.`;
    boot.classList.add('error');
    boot.setAttribute('role', 'alert');
    return;
  }
  boot.remove();
  document.getElementById('sign-in-api').textContent = app.config.apiUrl;
  document.getElementById('sign-in-form').addEventListener('submit', signIn);
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', () => route({ focus: true }));
  if (apiKey()) {
    showSession();
    route({ focus: false });
  } else {
    showSignIn();
  }
}

start();
