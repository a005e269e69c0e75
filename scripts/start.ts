// `npm start`: the main job. Today it checks the toolchain and synthesizes the app. Serving the app's API
// from the sandbox with the demo fleet arrives with the `report` pipeline issue, which gives the stacks
// their resources; until then this script says so rather than pretend.
import { execFileSync } from 'node:child_process';

const major = Number(process.versions.node.split('.')[0]);
console.log(
  `trustgate: Node ${process.versions.node} (${major >= 22 ? 'ok' : 'too old: run through npm scripts'})`,
);

execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
execFileSync('npx', ['cdk', 'synth', '--all', '--quiet'], { stdio: 'inherit' });
console.log(
  [
    'trustgate: the CDK app synthesizes into cdk.out/.',
    'Its stacks get their tables, functions, HTTP API and workflows with the `report` pipeline issue;',
    'then `npm start` serves them from the local sandbox with the demo fleet. Until then:',
    '  npm run sandbox -- --assembly <cdk.out dir>   runs any synthesized CDK app locally (docs/sandbox.md)',
    '  npm test                                       domain core, sandbox and fixture-app tests',
    '  npm run bench                                  gate decision and sandbox figures',
  ].join('\n'),
);
