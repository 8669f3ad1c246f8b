import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import {
  clusterArnOf,
  clusterNameOf,
  parseTaskDefinitionRef,
  parseTaskRef,
  taskArn,
} from './ecs-arns.ts';

const ID = '0123456789abcdef0123456789abcdef';

describe('ECS references', () => {
  it('reads clusters by name or ARN, `default` when omitted', () => {
    assert.equal(
      clusterArnOf(DEFAULT_CONTEXT, undefined),
      'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    );
    assert.equal(
      clusterArnOf(DEFAULT_CONTEXT, 'jobs'),
      'arn:aws:ecs:us-east-1:000000000000:cluster/jobs',
    );
    assert.equal(clusterNameOf('arn:aws:ecs:us-east-1:000000000000:cluster/jobs'), 'jobs');
  });

  it('reads task definitions as family, family:revision or ARN', () => {
    assert.deepEqual(parseTaskDefinitionRef('job'), { family: 'job' });
    assert.deepEqual(parseTaskDefinitionRef('job:3'), { family: 'job', revision: 3 });
    assert.deepEqual(
      parseTaskDefinitionRef('arn:aws:ecs:us-east-1:000000000000:task-definition/job_x-1:12'),
      { family: 'job_x-1', revision: 12 },
    );
    for (const bad of [
      '',
      'job:0',
      'job:-1',
      'job:x',
      'bad name',
      'arn:aws:ecs:us-east-1:0:cluster/job',
    ]) {
      assert.equal(parseTaskDefinitionRef(bad), undefined, bad);
    }
  });

  it('reads tasks as ids or ARNs, new and old formats', () => {
    assert.equal(
      taskArn(DEFAULT_CONTEXT, 'jobs', ID),
      `arn:aws:ecs:us-east-1:000000000000:task/jobs/${ID}`,
    );
    assert.deepEqual(parseTaskRef(ID), { taskId: ID });
    assert.deepEqual(parseTaskRef(`arn:aws:ecs:us-east-1:000000000000:task/jobs/${ID}`), {
      clusterName: 'jobs',
      taskId: ID,
    });
    const uuid = '1dc5c17a-422b-4dc4-b493-371970c6c4d6';
    assert.deepEqual(parseTaskRef(`arn:aws:ecs:us-west-2:130757420319:task/${uuid}`), {
      taskId: uuid,
    });
    for (const bad of [
      '',
      'abc',
      ID.toUpperCase(),
      `${ID}0`,
      `arn:aws:ecs:us-east-1:0:cluster/${ID}`,
    ]) {
      assert.equal(parseTaskRef(bad), undefined, bad);
    }
  });
});
