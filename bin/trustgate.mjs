#!/usr/bin/env node
// `npx trustgate …` in a checkout: registers tsx's ESM loader (a devDependency) and runs the TypeScript CLI,
// so it works in a fresh clone without a build step. The CLI itself is cli/trustgate.ts.
import { register } from 'tsx/esm/api';

register();
await import('../cli/trustgate.ts');
