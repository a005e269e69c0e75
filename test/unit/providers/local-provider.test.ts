import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../functions/core/budget/tokenizer.ts';
import { LOCAL_MODEL, LocalProvider } from '../../../functions/providers/local-provider.ts';
import { type CompletionRequest, ProviderError } from '../../../functions/providers/provider.ts';

const provider = new LocalProvider();
const TASK = 'Write report on AI trends';

function request(
  action: string,
  agentRole: string,
  task: string,
  priorContext: string[] = [],
): CompletionRequest {
  return {
    system: `You are the ${agentRole} agent.`,
    // Shaped as the gate sends them: each earlier output an assistant turn after a user turn naming its step.
    messages: [
      ...priorContext.flatMap((content, index) => [
        {
          role: 'user' as const,
          content: `The output of step ${index + 1}, "step-${index + 1}" (agent agent-${index + 1}):`,
        },
        { role: 'assistant' as const, content },
      ]),
      { role: 'user' as const, content: task },
    ],
    maxTokens: 4_000,
    agentRole,
    action,
  };
}

async function textOf(completion: CompletionRequest): Promise<string> {
  return (await provider.complete(completion)).text;
}

/** The report pipeline of SPEC §4 run on the local provider: research → analysis → writing. */
async function pipeline(task: string): Promise<{ research: string; analysis: string; report: string }> {
  const research = await textOf(request('search_web', 'research', task));
  const analysis = await textOf(request('process_data', 'analysis', task, [research]));
  const report = await textOf(request('generate_document', 'writing', task, [research, analysis]));
  return { research, analysis, report };
}

describe('local provider', () => {
  it('answers the same request with the same completion', async () => {
    const first = await provider.complete(request('search_web', 'research', TASK));
    const second = await provider.complete(request('search_web', 'research', TASK));
    expect(second).toEqual(first);
    expect(first.model).toBe(LOCAL_MODEL);
    expect(first.stopReason).toBe('end_turn');
  });

  it('answers different tasks differently, at every step of the pipeline', async () => {
    const ai = await pipeline(TASK);
    const quantum = await pipeline('Research quantum computing in drug discovery');
    expect(quantum.research).not.toBe(ai.research);
    expect(quantum.analysis).not.toBe(ai.analysis);
    expect(quantum.report).not.toBe(ai.report);
    expect(quantum.research).toContain('quantum computing');
    expect(quantum.research).toContain('drug discovery');
    expect(quantum.research).not.toContain(' AI ');
  });

  it('writes a research digest: key terms, numbered findings citing [n], the sources behind the labels', async () => {
    const research = await textOf(
      request('search_web', 'research', 'Research quantum computing in drug discovery'),
    );
    expect(research).toMatch(/^# Research digest: quantum computing in drug discovery$/m);
    expect(research).toContain('Key terms: quantum computing, drug discovery');
    const findings = research.match(/^\d+\. .+ \[\d+\]$/gm) ?? [];
    expect(findings.length).toBeGreaterThanOrEqual(3);
    for (const finding of findings) expect(finding).toMatch(/quantum computing|drug discovery/);
    const labels = findings.map((finding) => /\[(\d+)\]$/.exec(finding)?.[1]);
    for (const label of labels) expect(research).toMatch(new RegExp(`^\\[${label}\\] \\S`, 'm'));
    // It cannot search the web and must not pretend to.
    expect(research).toContain('no web search was performed');
  });

  it('ranks the analysis themes by how often the prior context mentions them, quoting it as evidence', async () => {
    const context = [
      'Battery storage costs fell again this year. Grid operators are buying battery storage at scale.',
      'Heat pumps are replacing gas boilers. Battery storage pairs well with rooftop solar.',
    ].join('\n');
    const analysis = await textOf(
      request('process_data', 'analysis', 'Analyse the energy transition', [context]),
    );
    expect(analysis).toMatch(/^# Analysis: /m);
    expect(analysis).toContain('## Points');
    const points = analysis.match(/^\d+\. \*\*.+$/gm) ?? [];
    expect(points[0]).toMatch(/^1\. \*\*battery storage\*\* \(mentioned 3 times\)/);
    expect(points[0]).toMatch(/Evidence: "(Battery storage costs fell again this year\.|Grid operators)/);
    expect(analysis).toMatch(/^Summary: the strongest signal is battery storage \(3 mentions\)/m);
  });

  it('builds the analysis from the research it is given', async () => {
    const { research, analysis } = await pipeline('Write report on renewable hydrogen');
    expect(analysis).toContain('**renewable hydrogen**');
    // Every quoted piece of evidence is a sentence of the research digest.
    const evidence = [...analysis.matchAll(/Evidence: "(.+)"$/gm)].map((match) => match[1]!);
    expect(evidence.length).toBeGreaterThanOrEqual(3);
    for (const sentence of evidence) expect(research).toContain(sentence.replace(/ …$/, ''));
  });

  it('writes a report: title from the task, executive summary, one section per analysis point, conclusion', async () => {
    const { research, analysis, report } = await pipeline(TASK);
    expect(report).toMatch(/^# AI Trends: Report$/m);
    expect(report).toContain('## Executive summary');
    // The summary restates the gist the analysis closed with.
    const gist = /^Summary: (.+)$/m.exec(analysis)?.[1];
    expect(report).toContain(`In brief: ${gist}`);
    expect(report).toContain('## Conclusion');
    const pointHeadings = [...analysis.matchAll(/^\d+\. \*\*(.+?)\*\*/gm)].map((match) => match[1]!);
    const sectionHeadings = [...report.matchAll(/^## \d+\. (.+)$/gm)].map((match) => match[1]!);
    expect(sectionHeadings.map((heading) => heading.toLowerCase())).toEqual(
      pointHeadings.map((heading) => heading.toLowerCase()),
    );
    // The research's sources are carried over so the report's [n] citations resolve.
    for (const source of research.match(/^\[\d+\] .+$/gm) ?? []) expect(report).toContain(source);
  });

  it('takes earlier user turns as the context when no assistant turn carries one', async () => {
    const notes = 'Battery storage costs fell. Battery storage is scaling.';
    const analysis = await textOf({
      ...request('process_data', 'analysis', 'Analyse storage'),
      messages: [
        { role: 'user', content: notes },
        { role: 'user', content: 'Analyse storage' },
      ],
    });
    expect(analysis).toContain('Basis: 1 prior message(s)');
    expect(analysis).toMatch(/^1\. \*\*Battery storage\*\* \(mentioned 2 times\)/m);
  });

  it('sections a report on the themes of the context when no message lists points', async () => {
    const notes =
      'Remote work keeps rising. Remote work changes office demand. Commuting falls as remote work grows.';
    const report = await textOf(
      request('generate_document', 'writing', 'Write a memo on office space', [notes]),
    );
    expect(report).toMatch(/^# Office Space: Report$/m);
    expect(report).toMatch(/^## 1\. Remote Work$/m);
  });

  it('reviews a document: length, sections and unsourced claims, then a verdict', async () => {
    const { report } = await pipeline(TASK);
    const approved = await textOf(request('review_document', 'review', 'Review the report', [report]));
    expect(approved).toMatch(/^# Review: AI Trends: Report$/m);
    expect(approved).toMatch(/^- Length: PASS: \d+ words/m);
    expect(approved).toMatch(/^- Sections: PASS/m);
    expect(approved).toMatch(/^- Unsourced claims: PASS/m);
    expect(approved).toMatch(/^APPROVE/m);

    const draft = '# Draft\n\nAI spending will double by 2027. Adoption grew 40% last year [1].';
    const revised = await textOf(request('review_document', 'review', 'Review the draft', [draft]));
    expect(revised).toMatch(/^- Length: FAIL: 12 words \(minimum 150\)/m);
    expect(revised).toMatch(/^- Sections: FAIL: missing a summary, 2 body sections, a conclusion/m);
    expect(revised).toMatch(
      /^- Unsourced claims: FAIL: 1 of 2 claim\(s\) without a \[n\] source, e\.g\. "AI spending will double by 2027\."/m,
    );
    expect(revised).toMatch(/^REVISE: 3 of 3 checks failed/m);
  });

  it('answers other actions with a structured answer naming role, terms and context', async () => {
    const answer = await textOf(
      request('send_email', 'operations', 'Notify the board about the supply chain audit', [
        'Audit found late suppliers. Late suppliers cost money.',
      ]),
    );
    expect(answer).toMatch(/^# Send Email: supply chain audit$/m);
    expect(answer).toContain('Prepared by the operations agent for the action send_email.');
    expect(answer).toContain('## Key terms');
    expect(answer).toMatch(/^## Key terms\n- board\n- supply chain audit$/m);
    expect(answer).toMatch(/main themes: late suppliers/);
    expect(answer).toMatch(/^1\. .+$/m);
  });

  it('cuts the text at maxTokens and says so', async () => {
    const full = await provider.complete(request('search_web', 'research', TASK));
    const cut = await provider.complete({ ...request('search_web', 'research', TASK), maxTokens: 20 });
    expect(cut.usage.outputTokens).toBeLessThanOrEqual(20);
    expect(cut.usage.outputTokens).toBeGreaterThan(10);
    expect(full.text.startsWith(cut.text)).toBe(true);
    expect(cut.stopReason).toBe('max_tokens');
  });

  it('counts usage with the real tokenizer', async () => {
    const completion = request('process_data', 'analysis', TASK, [
      'Cloud costs rose. Cloud budgets tightened.',
    ]);
    const result = await provider.complete(completion);
    const prompt = [completion.system, ...completion.messages.map((message) => message.content)];
    expect(result.usage.inputTokens).toBe(prompt.reduce((sum, text) => sum + countTokens(text), 0));
    expect(result.usage.outputTokens).toBe(countTokens(result.text));
  });

  it('refuses to start once the signal has fired', async () => {
    const error = await provider
      .complete(request('search_web', 'research', TASK), AbortSignal.abort())
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerKind: 'local', retryable: false, code: 'aborted' });
  });
});
