import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  changeTags,
  isReservedTagKey,
  keyValuesOfTagMap,
  mergeTagList,
  mergeTags,
  removeTagList,
  removeTags,
  type TagMap,
  tagMapOfKeyValues,
  type Transactional,
} from './tags.ts';

/** A one-resource store: a transaction runs at once and sees the current map. */
function memory(initial: TagMap | undefined): {
  store: Transactional<{ tags: TagMap | undefined }>;
  state: { tags: TagMap | undefined };
} {
  const state = { tags: initial };
  return { state, store: { transaction: (fn) => fn(state) } };
}

const storage = {
  read: async (trx: { tags: TagMap | undefined }) => trx.tags,
  write: async (trx: { tags: TagMap | undefined }, tags: TagMap) => {
    trx.tags = tags;
  },
  notFound: () => new Error('no such resource'),
};

describe('tags', () => {
  it('merges by key: existing keys keep their place, new keys go last', () => {
    assert.deepEqual(Object.entries(mergeTags({ a: '1', b: '2' }, { c: '3', a: 'x' })), [
      ['a', 'x'],
      ['b', '2'],
      ['c', '3'],
    ]);
    const list = mergeTagList(
      [{ key: 'a', value: '1' }, { key: 'b' }],
      [
        { key: 'c', value: '3' },
        { key: 'b', value: 'y' },
      ],
      (t) => t.key,
    );
    assert.deepEqual(list, [
      { key: 'a', value: '1' },
      { key: 'b', value: 'y' },
      { key: 'c', value: '3' },
    ]);
  });

  it('removes the given keys and ignores unknown ones', () => {
    assert.deepEqual(removeTags({ a: '1', b: '2' }, ['a', 'zz']), { b: '2' });
    assert.deepEqual(
      removeTagList([{ key: 'a' }, { key: 'b' }], ['b', 'zz'], (t) => t.key),
      [{ key: 'a' }],
    );
  });

  it('converts between {Key, Value} lists and maps, in order', () => {
    const list = [
      { Key: 'b', Value: '2' },
      { Key: 'a', Value: '' },
    ];
    assert.deepEqual(keyValuesOfTagMap(tagMapOfKeyValues(list)), list);
    assert.deepEqual(tagMapOfKeyValues(undefined), {});
  });

  it('reserves aws: in any case', () => {
    assert.equal(isReservedTagKey('aws:x'), true);
    assert.equal(isReservedTagKey('AWS:x'), true);
    assert.equal(isReservedTagKey('awsx'), false);
  });

  it('changes a resource’s tags in one transaction, or reports it missing', async () => {
    const { store, state } = memory({ a: '1' });
    assert.deepEqual(await changeTags(store, storage), { a: '1' });
    assert.deepEqual(await changeTags(store, storage, (t) => mergeTags(t, { b: '2' })), {
      a: '1',
      b: '2',
    });
    assert.deepEqual(state.tags, { a: '1', b: '2' });
    await assert.rejects(changeTags(memory(undefined).store, storage), /no such resource/);
  });
});
