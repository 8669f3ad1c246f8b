#!/usr/bin/env node
// Entry point of the `cronbridge` command. TypeScript sources are loaded through tsx's loader, so
// a clone needs only `npm ci`, no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK v3 warns on every client call that Node 20 support ends soon; our CLI runs on the Node
// version the project supports, so the notice would only bury its output. Users may still opt in.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
