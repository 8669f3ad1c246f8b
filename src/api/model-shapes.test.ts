import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as logsModel from '@aws-sdk/client-cloudwatch-logs';
import * as ecsModel from '@aws-sdk/client-ecs';
import * as eventsModel from '@aws-sdk/client-eventbridge';

import type { EcsService } from '../ecs/ecs.service.ts';
import type { EventsService } from '../events/events.service.ts';
import type { LogsService } from '../logs/logs.service.ts';
import type { JsonServiceModule } from './api.types.ts';
import { operationInput } from './model-shapes.ts';
import { cronbridgeApi, type CronbridgeApiDeps } from './services/cronbridge.api.ts';
import { ecsApi } from './services/ecs.api.ts';
import { eventsApi } from './services/events.api.ts';
import { logsApi } from './services/logs.api.ts';

describe('input shapes derived from the SDK schemas', () => {
  it('reads the compact encoding: scalars, lists, maps, nested structures', () => {
    const members = operationInput(ecsModel.RegisterTaskDefinition$);
    assert.equal(members['family'], 'string');
    const containers = members['containerDefinitions'];
    assert.ok(typeof containers === 'object' && 'list' in containers);
    const container = containers.list;
    assert.ok(typeof container === 'object' && 'struct' in container);
    assert.deepEqual(container.struct['command'], { list: 'string' });
    assert.equal(container.struct['memory'], 'integer');
    assert.equal(container.struct['essential'], 'boolean');
    assert.deepEqual(container.struct['dockerLabels'], { map: 'string' });
    assert.deepEqual(container.struct['environment'], {
      list: { struct: { name: 'string', value: 'string' } },
    });
  });

  it('gives numbers the kind a service names, Integer otherwise', () => {
    const plain = operationInput(logsModel.PutLogEvents$);
    const typed = operationInput(logsModel.PutLogEvents$, { numbers: { timestamp: 'long' } });
    const eventOf = (m: typeof plain) => {
      const list = m['logEvents'];
      assert.ok(typeof list === 'object' && 'list' in list);
      assert.ok(typeof list.list === 'object' && 'struct' in list.list);
      return list.list.struct;
    };
    assert.equal(eventOf(plain)['timestamp'], 'integer');
    assert.equal(eventOf(typed)['timestamp'], 'long');
  });

  it('refuses what is not an operation schema', () => {
    assert.throws(() => operationInput(ecsModel.RunTaskRequest$), /not an operation/);
    assert.throws(() => operationInput(42), /not an operation/);
  });

  it('every awsJson operation served declares its input members', () => {
    const modules: JsonServiceModule[] = [
      ecsApi({} as EcsService),
      eventsApi({} as EventsService),
      logsApi({} as LogsService),
      cronbridgeApi({} as CronbridgeApiDeps),
    ];
    for (const module of modules) {
      for (const [name, op] of Object.entries(module.operations)) {
        assert.ok(op.input, `${module.signingName} ${name} has no input shape`);
      }
    }
    // The derived shapes are the models' own: one nested member of each SDK service.
    const putTargets = operationInput(eventsModel.PutTargets$);
    assert.ok(JSON.stringify(putTargets).includes('"TaskCount":"integer"'));
  });
});
