// Runs one filter pattern over one message off the test's main thread and posts the answer, so
// a test can give up on a match that never ends instead of hanging with it.
import { parentPort, workerData } from 'node:worker_threads';

import { parseFilterPattern } from '../filter-pattern.ts';

const { pattern, message } = workerData as { pattern: string; message: string };
parentPort?.postMessage(parseFilterPattern(pattern).matches(message));
