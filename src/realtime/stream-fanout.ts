import { messageGroupJson, messageJson } from '../api/wire.js';
import { toMessage, toMessageGroup } from '../messaging/item-models.js';
import type { MessageGroupItem, MessageItem } from '../messaging/items.js';
import { ownerOfGroupKey, parseMessageSortKey } from '../messaging/keys.js';
import type { Messaging } from '../messaging/messaging.js';
import { readPositionOf } from '../messaging/read-state.js';
import type { StreamOutcome } from '../stream/outcomes.js';
import type { ServerFrame } from './frames.js';
import type { PushReport, RealtimePusher } from './pusher.js';

export type StreamFanout = (outcomes: readonly StreamOutcome[]) => Promise<PushReport>;

/**
 * A read mark: `read` to both participants (the reader's other tabs, the other's "Seen"),
 * and the reader's row with its new unread count.
 */
const readDeliveries = (row: MessageGroupItem): { userUuid: string; frame: ServerFrame }[] => {
  const reader = ownerOfGroupKey(row.pk);
  const read: ServerFrame = {
    type: 'read',
    data: {
      message_group_uuid: row.message_group_uuid,
      user_uuid: reader,
      message_uuid: parseMessageSortKey(readPositionOf(row))?.messageUuid ?? '',
    },
  };
  return [
    { userUuid: reader, frame: read },
    { userUuid: row.user_uuid, frame: read },
    {
      userUuid: reader,
      frame: { type: 'message_group', data: messageGroupJson(toMessageGroup(row)) },
    },
  ];
};

/**
 * What the stream consumer pushes after pattern E: every new message to every connection of
 * both participants (`message`: the sender's other tabs and devices too), and each group row
 * pattern E moved to its owner (`message_group`), so a list reorders exactly when the table
 * does. A failed record pushes nothing: it is retried, and pushed when it succeeds.
 */
export const createStreamFanout =
  (pusher: RealtimePusher, messaging: Messaging): StreamFanout =>
  async (outcomes) => {
    const deliveries: { userUuid: string; frame: ServerFrame }[] = [];
    let failed = 0;
    /** A message frame to every connection of both participants of its conversation. */
    const toParticipants = async (type: 'message' | 'message_updated', item: MessageItem) => {
      const message = toMessage(item);
      const data = { ...messageJson(message), message_group_uuid: message.messageGroupUuid };
      try {
        for (const userUuid of await messaging.participants(message.messageGroupUuid))
          deliveries.push({ userUuid, frame: { type, data } });
      } catch {
        failed++;
      }
    };
    for (const outcome of outcomes) {
      if (outcome.kind === 'read') deliveries.push(...readDeliveries(outcome.row));
      else if (outcome.kind === 'updated') await toParticipants('message_updated', outcome.message);
      else if (outcome.kind !== 'failed' && outcome.message) {
        await toParticipants('message', outcome.message);
        if (outcome.kind !== 'applied') continue;
        for (const row of outcome.rows)
          deliveries.push({
            userUuid: ownerOfGroupKey(row.pk),
            frame: { type: 'message_group', data: messageGroupJson(toMessageGroup(row)) },
          });
      }
    }
    const report = await pusher.push(deliveries);
    return { ...report, failed: report.failed + failed };
  };
