import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CONFINED_CAPABILITIES,
  capabilitiesOf,
  cpuUnitsToNanoCpus,
  mibToBytes,
  toCreateOptions,
} from './docker-spec.ts';

describe('toCreateOptions', () => {
  it('maps every ECS container field and confines the container like Fargate', () => {
    const options = toCreateOptions({
      name: 'ecs-task-app',
      image: 'app:1',
      command: ['run', '--fast'],
      entryPoint: ['/bin/sh', '-c'],
      env: { A: '1', B: 'two words' },
      workingDirectory: '/work',
      user: '1000:1000',
      readonlyRootFilesystem: true,
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
      cpuUnits: 256,
      memoryMiB: 512,
      memoryReservationMiB: 128,
      stopTimeoutSeconds: 30,
      networkMode: 'none',
      labels: { 'com.amazonaws.ecs.container-name': 'app' },
      init: true,
    });
    assert.deepEqual(options, {
      name: 'ecs-task-app',
      Image: 'app:1',
      Labels: { 'com.amazonaws.ecs.container-name': 'app' },
      Env: ['A=1', 'B=two words'],
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      OpenStdin: false,
      Cmd: ['run', '--fast'],
      Entrypoint: ['/bin/sh', '-c'],
      WorkingDir: '/work',
      User: '1000:1000',
      StopTimeout: 30,
      HostConfig: {
        NetworkMode: 'none',
        Privileged: false,
        CapDrop: ['ALL'],
        CapAdd: [...CONFINED_CAPABILITIES],
        SecurityOpt: ['no-new-privileges:true'],
        PidsLimit: 4096,
        Binds: [],
        PublishAllPorts: false,
        ReadonlyRootfs: true,
        Init: true,
        LogConfig: { Type: 'json-file', Config: {} },
        Memory: 536_870_912,
        MemorySwap: 536_870_912,
        MemoryReservation: 134_217_728,
        NanoCpus: 250_000_000,
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 4096 }],
      },
    });
  });

  it('leaves unset fields to the image and the engine, with network none by default', () => {
    const options = toCreateOptions({ name: 'n', image: 'i' });
    assert.equal(options.Cmd, undefined);
    assert.equal(options.Entrypoint, undefined);
    assert.equal(options.User, undefined);
    assert.equal(options.StopTimeout, undefined);
    assert.deepEqual(options.Env, []);
    assert.equal(options.HostConfig?.NetworkMode, 'none');
    assert.equal(options.HostConfig?.Memory, undefined);
    assert.equal(options.HostConfig?.NanoCpus, undefined);
    assert.equal(options.HostConfig?.Ulimits, undefined);
  });

  it('converts CPU units and MiB', () => {
    assert.equal(cpuUnitsToNanoCpus(1024), 1_000_000_000);
    assert.equal(cpuUnitsToNanoCpus(128), 125_000_000);
    assert.equal(cpuUnitsToNanoCpus(16384), 16_000_000_000);
    assert.equal(cpuUnitsToNanoCpus(0), undefined);
    assert.equal(cpuUnitsToNanoCpus(undefined), undefined);
    assert.equal(mibToBytes(6), 6_291_456);
    assert.equal(mibToBytes(0), undefined);
  });
  it('caps the CPU quota at the CPU count of the engine host', () => {
    const capped = toCreateOptions({ name: 'n', image: 'i', cpuUnits: 4096 }, 2);
    assert.equal(capped.HostConfig?.NanoCpus, 2e9);
    const within = toCreateOptions({ name: 'n', image: 'i', cpuUnits: 1024 }, 2);
    assert.equal(within.HostConfig?.NanoCpus, 1e9);
    const unknownHost = toCreateOptions({ name: 'n', image: 'i', cpuUnits: 4096 });
    assert.equal(unknownHost.HostConfig?.NanoCpus, 4e9);
  });

  it('confines every container: no NET_RAW, no new privileges, a pids limit, nothing from the host', () => {
    const host = toCreateOptions({ name: 'n', image: 'i' }).HostConfig!;
    assert.equal(host.Privileged, false);
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.ok(!(host.CapAdd as string[]).includes('NET_RAW'), 'Fargate containers lack NET_RAW');
    assert.ok(!(host.CapAdd as string[]).includes('SYS_ADMIN'));
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges:true']);
    assert.equal(host.PidsLimit, 4096);
    assert.deepEqual(host.Binds, []);
    assert.equal(host.Devices, undefined);
    assert.equal(host.PidMode, undefined);
    assert.equal(host.IpcMode, undefined);
    assert.equal(
      toCreateOptions({ name: 'n', image: 'i', pidsLimit: 16 }).HostConfig?.PidsLimit,
      16,
    );
  });

  it('adds and drops capabilities from the confined set as ECS linuxParameters say', () => {
    assert.deepEqual(capabilitiesOf({ capAdd: ['SYS_PTRACE'] }), [
      ...CONFINED_CAPABILITIES,
      'SYS_PTRACE',
    ]);
    assert.deepEqual(
      capabilitiesOf({ capDrop: ['CHOWN', 'CAP_KILL'] }),
      CONFINED_CAPABILITIES.filter((c) => c !== 'CHOWN' && c !== 'KILL'),
    );
    assert.deepEqual(capabilitiesOf({ capDrop: ['ALL'], capAdd: ['NET_BIND_SERVICE'] }), [
      'NET_BIND_SERVICE',
    ]);
  });

  it('applies host access only when the spec carries it', () => {
    const host = toCreateOptions({
      name: 'n',
      image: 'i',
      networkMode: 'host',
      hostAccess: {
        privileged: true,
        binds: ['/srv/data:/data:ro'],
        devices: [{ hostPath: '/dev/fuse', permissions: ['read', 'write'] }],
        securityOptions: ['apparmor:unconfined'],
        pidMode: 'host',
        ipcMode: 'host',
      },
    }).HostConfig!;
    assert.equal(host.NetworkMode, 'host');
    assert.equal(host.Privileged, true);
    assert.deepEqual(host.Binds, ['/srv/data:/data:ro']);
    assert.deepEqual(host.Devices, [
      { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rw' },
    ]);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges:true', 'apparmor:unconfined']);
    assert.equal(host.PidMode, 'host');
    assert.equal(host.IpcMode, 'host');
  });
});
