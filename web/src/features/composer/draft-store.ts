// Unsent text per conversation, kept for the tab like the session: switching conversations
// or reloading does not lose what was being written.
const PREFIX = 'cruddur-messaging.draft.';

export const readDraft = (key: string): string => {
  try {
    return sessionStorage.getItem(PREFIX + key) ?? '';
  } catch {
    return '';
  }
};

export const writeDraft = (key: string, text: string): void => {
  try {
    if (text) sessionStorage.setItem(PREFIX + key, text);
    else sessionStorage.removeItem(PREFIX + key);
  } catch {
    // Storage full or disabled: the draft lives only in memory.
  }
};
