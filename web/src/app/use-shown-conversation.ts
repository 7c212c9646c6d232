import { useMatch } from 'react-router';
import { routePatterns } from '../lib/paths';

/**
 * Whether the address shows a conversation: an existing one, or a new one with a person.
 * The shell and the messages layout read it alike, so that a narrow screen gives the
 * conversation the whole screen from the first paint, while its code still loads, and nothing
 * moves when it arrives.
 */
export const useShownConversation = (): 'existing' | 'new' | null => {
  const open = useMatch(routePatterns.conversation);
  const starting = useMatch(routePatterns.newConversation);
  return starting ? 'new' : open ? 'existing' : null;
};
