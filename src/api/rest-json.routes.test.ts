/** The restJson1 route table on its own: refusals at start-up and choices between routes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { RestJsonOperation, RestJsonServiceModule } from './api.types.ts';
import { RestRouteTable } from './rest-json.routes.ts';

const handler = async () => ({});

function module(
  signingName: string,
  routes: Record<string, RestJsonOperation['http']>,
): RestJsonServiceModule {
  return {
    protocol: 'restJson1',
    signingName,
    operations: Object.fromEntries(
      Object.entries(routes).map(([name, http]) => [name, { http, handler }]),
    ),
  };
}

const get = (table: RestRouteTable, path: string, signingService?: string, method = 'GET') => {
  const at = path.indexOf('?');
  const match = table.match({
    method,
    path: at < 0 ? path : path.slice(0, at),
    query: new URLSearchParams(at < 0 ? '' : path.slice(at + 1)),
    ...(signingService ? { signingService } : {}),
  });
  return match.kind === 'found'
    ? `${match.route.module.signingName}.${match.route.operationName} ${JSON.stringify(match.labels)}`
    : match.kind;
};

describe('restJson1 route table', () => {
  it('refuses routes the server would shadow, and two operations on one route', () => {
    assert.throws(
      () =>
        new RestRouteTable(
          [module('s', { Root: { method: 'POST', uri: '/' } })],
          [{ method: 'POST', path: '/' }],
        ),
      /s\.Root \(POST \/\) would be shadowed by POST \//,
    );
    assert.throws(
      () =>
        new RestRouteTable(
          [module('s', { Get: { method: 'GET', uri: '/{Name}' } })],
          [{ method: 'GET', path: '/health' }],
        ),
      /shadowed by GET \/health/,
    );
    assert.throws(
      () =>
        new RestRouteTable([
          module('s', {
            A: { method: 'GET', uri: '/x/{Name}' },
            B: { method: 'GET', uri: '/x/{Other}' },
          }),
        ]),
      /s\.B and \.A declare the same route/,
    );
    assert.throws(
      () => new RestRouteTable([module('s', { A: { method: 'GET', uri: '/x/a{Name}' } })]),
      /a label must be a whole segment/,
    );
    assert.throws(
      () => new RestRouteTable([module('s', { A: { method: 'GET', uri: '/{A+}/{B+}' } })]),
      /at most one greedy label/,
    );
    // Another method on a reserved path is fine (PUT / is no awsJson or query request).
    assert.equal(
      new RestRouteTable(
        [module('s', { Put: { method: 'PUT', uri: '/' } })],
        [{ method: 'POST', path: '/' }],
      ).size,
      1,
    );
  });

  it('lets two services share a route and picks the one the request was signed for', () => {
    const table = new RestRouteTable([
      module('scheduler', { TagResource: { method: 'POST', uri: '/tags/{ResourceArn}' } }),
      module('pipes', { TagResource: { method: 'POST', uri: '/tags/{resourceArn}' } }),
    ]);
    const post = (signing?: string) => get(table, '/tags/arn%3Ax', signing, 'POST');
    assert.equal(post('pipes'), 'pipes.TagResource {"resourceArn":"arn:x"}');
    assert.equal(post('scheduler'), 'scheduler.TagResource {"ResourceArn":"arn:x"}');
    assert.equal(post(), 'scheduler.TagResource {"ResourceArn":"arn:x"}');
  });

  it('ranks literal over label over greedy, and honours a literal query in the template', () => {
    const table = new RestRouteTable([
      module('s', {
        Greedy: { method: 'GET', uri: '/a/{Rest+}' },
        Label: { method: 'GET', uri: '/a/{Name}' },
        Literal: { method: 'GET', uri: '/a/b' },
        Tagging: { method: 'GET', uri: '/a/{Name}?tagging' },
      }),
    ]);
    assert.equal(get(table, '/a/b'), 's.Literal {}');
    assert.equal(get(table, '/a/c'), 's.Label {"Name":"c"}');
    assert.equal(get(table, '/a/c?tagging'), 's.Tagging {"Name":"c"}');
    assert.equal(get(table, '/a/c/d'), 's.Greedy {"Rest":"c/d"}');
    assert.equal(get(table, '/a'), 'none');
    assert.equal(get(table, '/a/c', undefined, 'DELETE'), 'wrong-method');
    // A malformed escape cannot be decoded into a label: no route fits.
    assert.equal(get(table, '/b/%E0%A4%A'), 'none');
    assert.equal(get(table, '/a/%E0%A4%A/x'), 'none');
  });
});
