import { useCallback, useMemo } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import type { Message } from '../../lib/api-types';
import { useSignedInUser } from '../../lib/session';
import { useLoadNearEdge } from '../../lib/use-load-near-edge';
import { useNow } from '../../lib/use-now';
import type { Peer } from './ConversationHeader';
import { seenMessageUuid } from './conversation-state';
import { DaySeparator } from './DaySeparator';
import { MessageItem } from './MessageItem';
import { buildTimeline, type TimelineMessage } from './timeline';
import type { Conversation } from './use-conversation';
import { useReadWhenSeen } from './use-read-when-seen';
import { useTimelineScroll } from './use-timeline-scroll';

// Older messages start loading this far from the top, so scrolling up rarely has to wait.
const NEAR_TOP_PX = 400;

interface MessageTimelineProps {
  conversation: Conversation;
  peer: Peer | null;
  /** The newest confirmed message is on screen in a focused, visible tab (to mark it read). */
  onNewestSeen?: (message: Message) => void;
}

/**
 * The messages of one conversation, oldest at the top, with older pages loaded on scroll, and
 * "Seen" under my newest message the other participant has read.
 */
export const MessageTimeline = ({ conversation, peer, onNewestSeen }: MessageTimelineProps) => {
  const me = useSignedInUser();
  const now = useNow();
  const { messages, pending, phase, hasOlder, loadingOlder, olderError, loadOlder } = conversation;
  const entries = useMemo(() => buildTimeline(messages, pending, me), [messages, pending, me]);
  const messageEntries = entries.filter(
    (entry): entry is TimelineMessage => entry.kind === 'message',
  );
  const first = messageEntries[0];
  const last = messageEntries[messageEntries.length - 1];
  const { scroller, onScroll, holdPosition, unseen, jumpToLatest } = useTimelineScroll({
    firstKey: first?.key,
    lastKey: last?.key,
    lastIsMine: last?.mine ?? false,
  });

  useReadWhenSeen(scroller, messages[messages.length - 1], onNewestSeen);
  const seenUuid = useMemo(
    () => seenMessageUuid(messages, conversation.otherReadUuid, me.uuid),
    [messages, conversation.otherReadUuid, me.uuid],
  );

  const loadOlderInPlace = useCallback(() => {
    holdPosition();
    loadOlder();
  }, [holdPosition, loadOlder]);
  const loadOlderIfNearTop = useLoadNearEdge(
    scroller,
    'top',
    NEAR_TOP_PX,
    phase === 'ready' && hasOlder && !loadingOlder && !olderError ? loadOlderInPlace : null,
  );
  const onTimelineScroll = useCallback(() => {
    onScroll();
    loadOlderIfNearTop();
  }, [onScroll, loadOlderIfNearTop]);

  const name = peer?.display_name ?? 'this person';
  return (
    <div className="timeline">
      <section
        className="timeline__scroller"
        ref={scroller}
        onScroll={onTimelineScroll}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled with the keyboard
        tabIndex={0}
        aria-label={peer ? `Messages with ${peer.display_name}` : 'Messages'}
        data-testid="timeline"
      >
        {olderError && (
          <ErrorNotice
            action={
              <button type="button" className="button" onClick={loadOlderInPlace}>
                Try again
              </button>
            }
          >
            Could not load older messages. {olderError}
          </ErrorNotice>
        )}
        {phase === 'ready' && !hasOlder && (
          <p className="timeline__start">
            {messages.length + pending.length === 0
              ? `No messages yet. Say hello to ${name}!`
              : `This is the beginning of your conversation with ${name}.`}
          </p>
        )}
        {phase === 'loading' && entries.length === 0 && <Spinner label="Loading messages" />}
        {phase === 'failed' && (
          <ErrorNotice
            action={
              <button type="button" className="button" onClick={conversation.reload}>
                Try again
              </button>
            }
          >
            Could not load this conversation. {conversation.error}
          </ErrorNotice>
        )}
        <ol className="timeline__entries">
          {entries.map((entry) =>
            entry.kind === 'day' ? (
              <DaySeparator key={entry.key} date={entry.date} now={now} />
            ) : (
              <MessageItem
                key={entry.key}
                entry={entry}
                seenBy={entry.uuid !== null && entry.uuid === seenUuid ? name : null}
                onRetry={conversation.retry}
                onDiscard={conversation.discard}
                onEdit={conversation.edit}
                onUnsend={conversation.unsend}
              />
            ),
          )}
        </ol>
      </section>
      {loadingOlder && (
        // Over the messages, not above them: inserting it would push the content down.
        <div className="timeline__loading-older">
          <Spinner label="Loading older messages" />
        </div>
      )}
      {unseen > 0 && (
        <button type="button" className="jump-to-latest" onClick={jumpToLatest}>
          {unseen === 1 ? '1 new message' : `${unseen} new messages`}
          <Icon name="down" size={16} />
        </button>
      )}
    </div>
  );
};
