import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { toStatsSample } from './docker-stats.ts';

describe('toStatsSample', () => {
  it('computes CPU percent over the sampling interval and memory without page cache (cgroup v1)', () => {
    const sample = toStatsSample(
      {
        read: '2026-05-04T10:00:01.000000000Z',
        cpu_stats: {
          cpu_usage: { total_usage: 3_000_000_000 },
          system_cpu_usage: 20_000_000_000,
          online_cpus: 2,
        },
        precpu_stats: {
          cpu_usage: { total_usage: 2_500_000_000 },
          system_cpu_usage: 18_000_000_000,
        },
        memory_stats: { usage: 10_000_000, limit: 536_870_912, stats: { cache: 4_000_000 } },
      },
      0,
    );
    assert.deepEqual(sample, {
      timestamp: Date.parse('2026-05-04T10:00:01Z'),
      cpuUsageNs: 3_000_000_000,
      cpuPercent: 50,
      memoryBytes: 6_000_000,
      memoryLimitBytes: 536_870_912,
    });
  });

  it('uses inactive_file on cgroup v2 and the fallback time for a zero `read`', () => {
    const sample = toStatsSample(
      {
        read: '0001-01-01T00:00:00Z',
        cpu_stats: { cpu_usage: { total_usage: 5 } },
        memory_stats: { usage: 3000, stats: { inactive_file: 1000 } },
      },
      77,
    );
    assert.deepEqual(sample, { timestamp: 77, cpuUsageNs: 5, memoryBytes: 2000 });
  });
});
