import type { Message, User } from '../../lib/api-types';
import type { Peer } from './ConversationHeader';

/**
 * The other participant, from the messages, for when the conversation's list row is not
 * loaded (a deep link to an old conversation). Unknown until they have written something.
 */
export const peerFromMessages = (messages: readonly Message[], me: User): Peer | null => {
  const theirs = messages.find((message) => message.user_uuid !== me.uuid);
  return theirs ? { handle: theirs.handle, display_name: theirs.display_name } : null;
};
