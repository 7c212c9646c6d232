import { messageGroupJson, messageJson } from '../api/wire.js';
import { partitionId } from '../messaging/keys.js';
import type { Messaging } from '../messaging/messaging.js';
import { toMessage, toMessageGroup } from '../messaging/requests/messages.js';
import type { StreamObserver } from '../stream/outcomes.js';
import type { PushHub } from './push-hub.js';

/**
 * Turns what the stream consumer did into pushes: every new message goes to both
 * participants (`message`), and each group row now at that message goes to its owner
 * (`message_group`), so a list reorders exactly when the table does.
 */
export const streamNotifier =
  (hub: PushHub, messaging: Messaging, logger: Pick<Console, 'error'> = console): StreamObserver =>
  (outcome) => {
    if (outcome.kind === 'failed' || !outcome.message) return;
    const message = toMessage(outcome.message);
    void messaging
      .participants(message.messageGroupUuid)
      .then((participants) => {
        const data = {
          message_group_uuid: message.messageGroupUuid,
          message: messageJson(message),
        };
        for (const user of participants) hub.publish(user, 'message', data);
      })
      .catch((error: unknown) =>
        logger.error('push: no participants for', message.messageGroupUuid, error),
      );
    if (outcome.kind === 'applied') {
      for (const row of outcome.rows) {
        hub.publish(
          partitionId(row.pk, 'GRP#'),
          'message_group',
          messageGroupJson(toMessageGroup(row)),
        );
      }
    }
  };
