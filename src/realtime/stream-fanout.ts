import { messageGroupJson, messageJson } from '../api/wire.js';
import { partitionId } from '../messaging/keys.js';
import type { Messaging } from '../messaging/messaging.js';
import { toMessage, toMessageGroup } from '../messaging/requests/messages.js';
import type { StreamOutcome } from '../stream/outcomes.js';
import type { ServerFrame } from './frames.js';
import type { PushReport, RealtimePusher } from './pusher.js';

export type StreamFanout = (outcomes: readonly StreamOutcome[]) => Promise<PushReport>;

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
    for (const outcome of outcomes) {
      if (outcome.kind === 'failed' || !outcome.message) continue;
      const message = toMessage(outcome.message);
      try {
        const frame: ServerFrame = {
          type: 'message',
          data: { ...messageJson(message), message_group_uuid: message.messageGroupUuid },
        };
        for (const userUuid of await messaging.participants(message.messageGroupUuid))
          deliveries.push({ userUuid, frame });
      } catch {
        failed++;
      }
      if (outcome.kind !== 'applied') continue;
      for (const row of outcome.rows)
        deliveries.push({
          userUuid: partitionId(row.pk, 'GRP#'),
          frame: { type: 'message_group', data: messageGroupJson(toMessageGroup(row)) },
        });
    }
    const report = await pusher.push(deliveries);
    return { ...report, failed: report.failed + failed };
  };
