import { useCallback, useState } from 'react';
import { useAnnounce } from '../../components/Announcer';
import { describeError } from '../../lib/api-error';
import { useBlocks } from './BlocksProvider';
import type { Conversation } from './use-conversation';

/**
 * Why nothing can be sent in a conversation: I block the other person, or a send of mine was
 * refused with 403 `blocked` (they block me, or we both block each other: the API does not say
 * which, by design).
 */
export type SendRefusal = 'you_block' | 'blocked';

export interface Blocking {
  /** The other person's handle; null while not known (nothing to block yet). */
  handle: string | null;
  /** I block them (from `GET /api/blocks` and my own blocks and unblocks since). */
  blocked: boolean;
  refusal: SendRefusal | null;
  /** Rejects with the API's error (the confirmation dialog says it). */
  block(): Promise<void>;
  /** Resolves true once lifted; a failure is kept in `unblockError`. */
  unblock(): Promise<boolean>;
  unblockError: string | null;
}

/** Blocking the other person of a conversation, and whether I can send in it. */
export const useBlocking = (handle: string | null, conversation: Conversation): Blocking => {
  const blocks = useBlocks();
  const announce = useAnnounce();
  const [unblockError, setUnblockError] = useState<string | null>(null);
  const blocked = handle !== null && blocks.isBlocked(handle);
  const { clearSendBlocked } = conversation;

  const block = useCallback(async () => {
    if (handle === null) return;
    await blocks.block(handle);
    setUnblockError(null);
    announce(`You blocked @${handle}. You can't message each other.`);
  }, [blocks, handle, announce]);

  const unblock = useCallback(async () => {
    if (handle === null) return false;
    setUnblockError(null);
    try {
      await blocks.unblock(handle);
    } catch (error) {
      setUnblockError(`Could not unblock @${handle}. ${describeError(error)}`);
      return false;
    }
    // A refusal seen before may have been my own block (another tab of mine): sending tells.
    clearSendBlocked();
    announce(`You unblocked @${handle}.`);
    return true;
  }, [blocks, handle, announce, clearSendBlocked]);

  return {
    handle,
    blocked,
    refusal: blocked ? 'you_block' : conversation.sendBlocked ? 'blocked' : null,
    block,
    unblock,
    unblockError,
  };
};
