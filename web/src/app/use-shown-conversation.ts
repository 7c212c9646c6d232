import { useMatch } from 'react-router';

/**
 * Whether the address shows a conversation: an existing one, or a new one with a person.
 * The shell and the messages layout read it alike, so that a narrow screen gives the
 * conversation the whole screen from the first paint, while its code still loads, and nothing
 * moves when it arrives.
 */
export const useShownConversation = (): 'existing' | 'new' | null => {
  const open = useMatch('/messages/:message_group_uuid');
  const starting = useMatch('/messages/new/:handle');
  return starting ? 'new' : open ? 'existing' : null;
};
