/**
 * Small readers of a fastify request (headers, path, query string, form content type) and the
 * writer of an encoded response, so the server file keeps to wiring.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { WireResponse } from './api-errors.serialize.ts';
import { parseForm } from './query.protocol.ts';

/** Writes an encoded response. */
export function send(reply: FastifyReply, wire: WireResponse): FastifyReply {
  // A Buffer keeps the content type exactly as AWS sends it (no added `; charset=utf-8`).
  return reply.code(wire.status).headers(wire.headers).send(Buffer.from(wire.body, 'utf8'));
}

/** One request header (the first, if repeated). */
export function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether the body is form-encoded (query and ec2 requests). */
export function isForm(req: FastifyRequest): boolean {
  return (header(req, 'content-type') ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
}

/** The raw (still percent-encoded) path of the request, without its query string. */
export function pathOf(req: FastifyRequest): string {
  const at = req.url.indexOf('?');
  return at < 0 ? req.url : req.url.slice(0, at);
}

/** The raw query string without `?` ('' when absent). */
export function queryString(req: FastifyRequest): string {
  const at = req.url.indexOf('?');
  return at < 0 ? '' : req.url.slice(at + 1);
}

/** The URL's query parameters, decoded; the first occurrence of a name wins. */
export function queryParams(req: FastifyRequest): Record<string, string> {
  return parseForm(queryString(req));
}
