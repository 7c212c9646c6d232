import type { Message, User } from '../../lib/api-types';
import { localDayKey } from '../../lib/format-time';
import type { PendingMessage } from './pending-message';

/** One message as drawn, confirmed or pending. */
export interface TimelineMessage {
  kind: 'message';
  key: string;
  /** Confirmed messages only: the anchor that keeps the view still while older ones load. */
  uuid: string | null;
  text: string;
  createdAt: string;
  sender: Pick<User, 'uuid' | 'handle' | 'display_name'>;
  mine: boolean;
  /** First of a run of messages from one sender: shows the sender's name. */
  startsRun: boolean;
  pending: PendingMessage | null;
  /** When the text was last edited, or null. */
  editedAt: string | null;
  /** Unsent: drawn as a tombstone, without text. */
  deleted: boolean;
}

export interface TimelineDay {
  kind: 'day';
  key: string;
  date: Date;
}

export type TimelineEntry = TimelineMessage | TimelineDay;

// Messages closer than this from one sender read as one thought: the name is shown once.
const RUN_GAP_MS = 5 * 60 * 1000;

/** Day separators and runs of one sender, over confirmed then pending messages. */
export const buildTimeline = (
  messages: readonly Message[],
  pending: readonly PendingMessage[],
  me: User,
): TimelineEntry[] => {
  const all: Omit<TimelineMessage, 'startsRun'>[] = [
    ...messages.map((message) => ({
      kind: 'message' as const,
      key: message.uuid,
      uuid: message.uuid,
      text: message.message,
      createdAt: message.created_at,
      sender: {
        uuid: message.user_uuid,
        handle: message.handle,
        display_name: message.display_name,
      },
      mine: message.user_uuid === me.uuid,
      pending: null,
      editedAt: message.deleted ? null : (message.edited_at ?? null),
      deleted: message.deleted ?? false,
    })),
    ...pending.map((p) => ({
      kind: 'message' as const,
      key: p.clientMessageId,
      uuid: null,
      text: p.text,
      createdAt: p.createdAt,
      sender: me,
      mine: true,
      pending: p,
      editedAt: null,
      deleted: false,
    })),
  ];
  const entries: TimelineEntry[] = [];
  let previous: Omit<TimelineMessage, 'startsRun'> | undefined;
  let previousDay = '';
  for (const message of all) {
    const date = new Date(message.createdAt);
    const day = localDayKey(date);
    const newDay = day !== previousDay;
    if (newDay) entries.push({ kind: 'day', key: `day-${day}`, date });
    const startsRun =
      newDay ||
      previous === undefined ||
      previous.sender.uuid !== message.sender.uuid ||
      date.getTime() - Date.parse(previous.createdAt) > RUN_GAP_MS;
    entries.push({ ...message, startsRun });
    previous = message;
    previousDay = day;
  }
  return entries;
};
