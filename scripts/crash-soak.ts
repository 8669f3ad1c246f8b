/**
 * The crash soak: the crash suite's scenario (test/support/crash-harness.ts) for as long as you
 * like. Needs Docker and the test image (`bash scripts/ci/build-test-image.sh`).
 *
 *   node --import tsx scripts/crash-soak.ts --minutes 20 --rules 20 --up-for 5-15 --recovery-share 0.3
 *
 * Prints the figures as JSON and exits 1 when anything was lost, duplicated, stuck or left over.
 */
import { parseArgs } from 'node:util';

import { runCrashScenario } from '../test/support/crash-harness.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rules: { type: 'string', default: '10' },
    'up-for': { type: 'string', default: '6-20' },
    'recovery-share': { type: 'string', default: '0.3' },
  },
});
const [low, high] = (values['up-for'] ?? '6-20').split('-').map((s) => Number(s) * 1000);
const figures = await runCrashScenario({
  killPhaseMs: Number(values.minutes) * 60_000,
  rules: Number(values.rules),
  upForMs: [low ?? 6000, high ?? low ?? 20_000],
  recoveryKillShare: Number(values['recovery-share']),
  log: (line) => console.error(line),
});
console.log(JSON.stringify(figures, null, 2));
process.exit(figures.problems.length === 0 ? 0 : 1);
