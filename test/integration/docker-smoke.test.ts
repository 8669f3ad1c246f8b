/**
 * Smoke test of the CI scaffolding itself: an engine answers, the offline test image exists, and
 * a container from it runs with no network, prints, exits 0 and keeps its logs until removed.
 * Talks to dockerode directly so it checks the environment, not cronbridge's runtime.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  TEST_IMAGE,
  TEST_RUN_LABEL,
  integrationGate,
  newTestRunId,
  reapTestContainers,
  testDockerClient,
} from '../support/docker.ts';

const skip = await integrationGate();
const runId = newTestRunId('smoke');

/** Splits the engine's multiplexed log body (8-byte frame headers) into stdout and stderr text. */
function demux(body: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= body.length) {
    const stream = body[offset];
    const size = body.readUInt32BE(offset + 4);
    const payload = body.subarray(offset + 8, offset + 8 + size);
    (stream === 2 ? err : out).push(payload);
    offset += 8 + size;
  }
  return {
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

describe('docker smoke', { skip }, () => {
  after(async () => {
    await reapTestContainers(runId);
  });

  it('runs echo in the offline test image with network none', async () => {
    const docker = testDockerClient();
    const marker = `cronbridge-smoke-${runId}`;
    const container = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['echo', marker],
      Labels: { [TEST_RUN_LABEL]: runId },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await container.start();
      const result = (await container.wait()) as { StatusCode: number };
      assert.equal(result.StatusCode, 0);

      const body = await container.logs({ stdout: true, stderr: true, follow: false });
      assert.deepEqual(demux(body), { stdout: `${marker}\n`, stderr: '' });

      const info = await container.inspect();
      assert.equal(info.State.ExitCode, 0);
      assert.equal(info.HostConfig.NetworkMode, 'none');
    } finally {
      await container.remove({ force: true });
    }
  });
});
