import type { Message } from '../../lib/api-types';

/** Oldest first, as the sort key orders them: created_at (fixed-width UTC), then uuid. */
export const chronological = (a: Message, b: Message): number => {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
};

/**
 * Adds messages, each once (a page, a push event and a send answer may all bring the same
 * one), in chronological order. Returns `messages` itself when nothing is new.
 */
export const addMessages = (
  messages: readonly Message[],
  incoming: readonly Message[],
): readonly Message[] => {
  const known = new Set(messages.map((message) => message.uuid));
  const fresh = incoming.filter((message) => {
    if (known.has(message.uuid)) return false;
    known.add(message.uuid);
    return true;
  });
  return fresh.length === 0 ? messages : [...messages, ...fresh].sort(chronological);
};
