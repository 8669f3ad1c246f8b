import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ArnIndex } from './arn-index.ts';

const PREFIX = 'arn:aws:events:us-east-1:123456789012:rule/';

describe('ArnIndex', () => {
  it('agrees with a Map through adds, removes, slot reuse, growth and compaction', () => {
    const index = new ArnIndex();
    const model = new Map<string, number>();
    const free: number[] = [];
    let next = 0;
    // A deterministic walk: mostly adds at first, then churn that forces compaction.
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let step = 0; step < 200_000; step++) {
      const name = `${PREFIX}${step % 3 === 0 ? 'bus/' : ''}r-${Math.floor(random() * 20_000)}`;
      const slot = model.get(name);
      if (slot === undefined && random() < 0.7) {
        const s = free.pop() ?? next++;
        index.add(name, s);
        model.set(name, s);
      } else if (slot !== undefined && random() < 0.5) {
        index.remove(slot);
        model.delete(name);
        free.push(slot);
      }
      assert.equal(index.get(name), model.get(name));
    }
    assert.equal(index.size, model.size);
    for (const [name, slot] of model) {
      assert.equal(index.get(name), slot);
      assert.equal(index.arn(slot), name);
    }
    assert.equal(index.get(`${PREFIX}never-added`), undefined);
    // Removed ARNs' bytes were reclaimed along the way (far more than this were removed).
    const live = [...model.keys()].reduce((n, name) => n + Buffer.byteLength(name), 0);
    assert.ok(index.storedBytes < 2 * live + (1 << 20), `${index.storedBytes} bytes held`);
  });

  it('keeps non-ASCII names apart by their bytes', () => {
    const index = new ArnIndex();
    index.add(`${PREFIX}é`, 0);
    index.add(`${PREFIX}e`, 1);
    assert.equal(index.get(`${PREFIX}é`), 0);
    assert.equal(index.get(`${PREFIX}e`), 1);
    assert.equal(index.arn(0), `${PREFIX}é`);
    index.clear();
    assert.equal(index.size, 0);
    assert.equal(index.get(`${PREFIX}e`), undefined);
  });
});
