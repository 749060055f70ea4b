import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { UnstorableEventError } from './errors';
import type { StoredEvent } from './types';

export const GENESIS_HASH = '0'.repeat(64);

/** The part of a stored event that its hash covers: everything stored except the hashes themselves. */
export function hashedContent(e: Omit<StoredEvent, 'prevHash' | 'hash'>): string {
  const text = canonicalJson({
    position: e.position,
    streamId: e.streamId,
    streamPosition: e.streamPosition,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt,
  });
  if (text === undefined) throw new UnstorableEventError('not JSON');
  return text;
}

/** crypto.hash (Node 20.12 and later) skips the Hash object: about 40 % cheaper for one small input. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

export function chainHash(prevHash: string, content: string): string {
  const input = `${prevHash}\n${content}`;
  return oneShot ? oneShot('sha256', input) : createHash('sha256').update(input).digest('hex');
}

/**
 * Returns the JSON value exactly as PostgreSQL's jsonb will give it back, or throws when that would
 * differ: integers beyond 2^53, non-finite numbers, NUL characters (jsonb refuses them), non-plain values.
 */
export function toStorableJson(value: unknown, path = '$'): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new UnstorableEventError(`${path} contains a NUL character`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnstorableEventError(`${path} is not a finite number`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new UnstorableEventError(`${path} is an integer JavaScript cannot hold exactly`);
    }
    return Object.is(value, -0) ? 0 : value;
  }
  if (Array.isArray(value))
    return value.map((item, i) => toStorableJson(item === undefined ? null : item, `${path}[${i}]`));
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new UnstorableEventError(`${path} is not a plain object`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      if (key.includes('\u0000')) throw new UnstorableEventError(`${path} has a key with a NUL character`);
      out[key] = toStorableJson(item, `${path}.${key}`);
    }
    return out;
  }
  throw new UnstorableEventError(`${path} is a ${typeof value}`);
}
