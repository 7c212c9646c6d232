import { type Partition, stringAttribute } from './group-items';

const named = (uuid: string, handles: ReadonlyMap<string, string>): string => {
  const handle = handles.get(uuid);
  return handle ? `@${handle}` : `${uuid.slice(0, 8)}…`;
};

/** A pair's `blocked_by` as the API serves it: a string set becomes an array of its uuids. */
const blockers = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * Whose partition it is, in words, after its pk: "GRP#<uuid>" → "@mara_quinn's conversation
 * list", "BLOCK#<uuid>" → "whom @mara_quinn blocks", "PAIR#<a>#<b>" → "@a and @b", and
 * who of them blocks the other; "PEOPLE#i" → "words beginning with “i”, of 3 people".
 */
export const partitionNote = (
  partition: Partition,
  handles: ReadonlyMap<string, string>,
): string | undefined => {
  const [prefix, uuid, other] = partition.key.split('#');
  if (prefix === 'PAIR' && uuid && other) {
    const pair = `${named(uuid, handles)} and ${named(other, handles)}`;
    const marks = blockers(partition.items[0]?.blocked_by);
    if (marks.length === 0) return pair;
    const who = marks.map((blocker) => {
      const blocked = blocker === uuid ? other : uuid;
      return `${named(blocker, handles)} blocks ${named(blocked, handles)}`;
    });
    return `${pair} · ${who.join(', ')}`;
  }
  if (prefix === 'PEOPLE' && uuid) {
    const people = new Set(partition.items.map((item) => stringAttribute(item, 'user_uuid'))).size;
    return `words beginning with “${uuid}”, of ${people} ${people === 1 ? 'person' : 'people'}`;
  }
  const handle = uuid ? handles.get(uuid) : undefined;
  if (!handle) return undefined;
  if (prefix === 'GRP') return `@${handle}'s conversation list`;
  if (prefix === 'USER') return `@${handle}`;
  if (prefix === 'BLOCK') return `whom @${handle} blocks`;
  return undefined;
};
