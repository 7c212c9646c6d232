import type { Dispatch } from 'react';
import { useLiveEvent } from '../../lib/live-events';
import { useSignedInUser } from '../../lib/session';
import type { ConversationUpdateAction } from './message-updates';

/**
 * What the live connection says about this conversation while it is on screen: messages as
 * they arrive, how far the other participant has read, and edits and unsends. Frames about
 * other conversations go to the list, not here.
 */
export const useConversationFrames = (
  groupUuid: string | null,
  dispatch: Dispatch<ConversationUpdateAction>,
): void => {
  const me = useSignedInUser();
  useLiveEvent('message', (message) => {
    if (message.message_group_uuid !== groupUuid) return;
    dispatch({ type: 'pushed', message, mine: message.user_uuid === me.uuid });
  });
  // The other participant read further: "Seen" moves. (Mine are the list's business.)
  useLiveEvent('read', (read) => {
    if (read.message_group_uuid !== groupUuid || read.user_uuid === me.uuid) return;
    dispatch({ type: 'other_read', messageUuid: read.message_uuid });
  });
  // An edit or unsend, by either participant (mine from this tab too, told back).
  useLiveEvent('message_updated', (message) => {
    if (message.message_group_uuid !== groupUuid) return;
    dispatch({ type: 'message_updated', message });
  });
};
