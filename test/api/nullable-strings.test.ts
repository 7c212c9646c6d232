import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { describe, expect, it } from 'vitest';
import { withNullableStrings } from '../../src/api/lazy-schemas.js';
import { ClientConfigJson, MessageJson } from '../../src/api/schemas.js';

/** A serializer of `schema` as Fastify builds one for a 200 response. */
const serializerOf = (schema: unknown) =>
  SerializerSelector()({}, {})({ schema, method: 'GET', url: '/', httpStatus: '200' }) as (
    data: unknown,
  ) => string;

/**
 * Response serializers get `anyOf: [string, null]` as a nullable string (src/api/lazy-schemas.ts):
 * fast-json-stringify then makes no Ajv instance to choose a branch. The JSON must not change,
 * nor the schema the OpenAPI document shows.
 */
describe('withNullableStrings', () => {
  it('serializes a string-or-null as the anyOf did, for strings and null', () => {
    const [anyOf, nullable] = [ClientConfigJson, withNullableStrings(ClientConfigJson)].map(
      serializerOf,
    );
    for (const realtime_url of [null, '', 'wss://x.example/realtime?a="b"&c=\\é😀\u2028', '0']) {
      const value = { realtime_url, edit_window_s: 900 };
      expect(nullable?.(value)).toBe(anyOf?.(value));
      expect(JSON.parse(nullable?.(value) ?? '')).toEqual(value);
    }
  });

  it('leaves the route schema as it was, and copies only what it changes', () => {
    const before = JSON.stringify(ClientConfigJson);
    const rewritten = withNullableStrings(ClientConfigJson) as typeof ClientConfigJson;
    expect(JSON.stringify(ClientConfigJson)).toBe(before);
    expect(ClientConfigJson.properties.realtime_url).toHaveProperty('anyOf');
    expect(rewritten.properties.realtime_url).toMatchObject({ type: 'string', nullable: true });
    expect(rewritten.properties.realtime_url).not.toHaveProperty('anyOf');
    expect(rewritten.properties.edit_window_s).toBe(ClientConfigJson.properties.edit_window_s);
  });

  it('keeps an anyOf whose string has a format: its validator checks the format', () => {
    expect(withNullableStrings(MessageJson)).toBe(MessageJson);
  });
});
