#!/usr/bin/env node
// Entry point of the `cronbridge` command. TypeScript sources are loaded through tsx's loader, so
// a clone needs only `npm ci`, no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
