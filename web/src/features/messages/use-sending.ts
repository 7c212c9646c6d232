import { type Dispatch, useCallback } from 'react';
import type { SendTarget, SentMessage } from '../../lib/api-types';
import { newClientMessageId } from '../../lib/client-message-id';
import { useApi } from '../../lib/session';
import { useLatest } from '../../lib/use-latest';
import type { ConversationUpdateAction } from './message-updates';
import { sendMessage } from './messages-api';
import { failureOf, type PendingMessage } from './pending-message';

export interface Sending {
  send(text: string): void;
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  /** After I unblocked the other participant: forgets a refusal (`sendBlocked`) seen before. */
  clearSendBlocked(): void;
}

/**
 * My sends: each is shown at once as a pending message, then confirmed or marked failed; a
 * failed one can be sent again (with its client message id: never a second message) or
 * discarded. `onSent` is told of each confirmed send while the screen is still shown.
 */
export const useSending = (
  target: SendTarget,
  pendingMessages: readonly PendingMessage[],
  lifetime: { readonly current: AbortController },
  dispatch: Dispatch<ConversationUpdateAction>,
  onSent: ((sent: SentMessage) => void) | undefined,
): Sending => {
  const api = useApi();
  const latestPending = useLatest(pendingMessages);
  const latestTarget = useLatest(target);
  const latestOnSent = useLatest(onSent);

  const attempt = useCallback(
    (pending: PendingMessage) => {
      dispatch({ type: 'send_started', pending: { ...pending, status: 'sending', error: null } });
      // Not tied to `lifetime`: a send goes through even if the user leaves the screen.
      sendMessage(api, latestTarget.current, pending.text, pending.clientMessageId).then(
        (sent) => {
          dispatch({
            type: 'send_succeeded',
            clientMessageId: pending.clientMessageId,
            message: sent.message,
          });
          if (!lifetime.current.signal.aborted) latestOnSent.current?.(sent);
        },
        (error: unknown) =>
          dispatch({
            type: 'send_failed',
            clientMessageId: pending.clientMessageId,
            ...failureOf(error),
          }),
      );
    },
    [api, latestTarget, latestOnSent, lifetime, dispatch],
  );

  const send = useCallback(
    (text: string) =>
      attempt({
        clientMessageId: newClientMessageId(),
        text,
        createdAt: new Date().toISOString(),
        status: 'sending',
        error: null,
        retryable: true,
      }),
    [attempt],
  );

  const retry = useCallback(
    (clientMessageId: string) => {
      const failed = latestPending.current.find((p) => p.clientMessageId === clientMessageId);
      if (failed?.status === 'failed') attempt(failed);
    },
    [attempt, latestPending],
  );

  const discard = useCallback(
    (clientMessageId: string) => dispatch({ type: 'discarded', clientMessageId }),
    [dispatch],
  );

  const clearSendBlocked = useCallback(() => dispatch({ type: 'send_block_cleared' }), [dispatch]);

  return { send, retry, discard, clearSendBlocked };
};
