import { type Dispatch, useCallback } from 'react';
import type { Message } from '../../lib/api-types';
import { useApi } from '../../lib/session';
import { useLatest } from '../../lib/use-latest';
import { type ConversationUpdateAction, unsentVersion } from './message-updates';
import { editMessage, unsendMessage } from './messages-api';

export interface MessageChanges {
  /** Edits my confirmed message; rejects with the API's error (403 window closed, 422). */
  edit(messageUuid: string, text: string): Promise<void>;
  /** Unsends my confirmed message; rejects with the API's error. */
  unsend(messageUuid: string): Promise<void>;
}

/**
 * Edits and unsends of my confirmed messages. The timeline changes with the answer, without
 * waiting for the `message_updated` frame that follows (which then changes nothing).
 */
export const useMessageChanges = (
  groupUuid: string | null,
  messages: readonly Message[],
  dispatch: Dispatch<ConversationUpdateAction>,
): MessageChanges => {
  const api = useApi();
  const latestMessages = useLatest(messages);

  const edit = useCallback(
    async (messageUuid: string, text: string) => {
      if (!groupUuid) return;
      const message = await editMessage(api, groupUuid, messageUuid, text);
      dispatch({ type: 'message_updated', message });
    },
    [api, groupUuid, dispatch],
  );

  const unsend = useCallback(
    async (messageUuid: string) => {
      if (!groupUuid) return;
      // DELETE answers 204 with no body: the unsent version is made from the one on screen.
      await unsendMessage(api, groupUuid, messageUuid);
      const known = latestMessages.current.find((message) => message.uuid === messageUuid);
      if (known) dispatch({ type: 'message_updated', message: unsentVersion(known) });
    },
    [api, groupUuid, latestMessages, dispatch],
  );

  return { edit, unsend };
};
