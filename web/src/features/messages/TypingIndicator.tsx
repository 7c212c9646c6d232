import { useEffect, useState } from 'react';
import { useLiveEvent } from '../../lib/live-events';

/** A typing frame counts for this long: the sender repeats it every 3 s while typing. */
export const TYPING_SHOWN_MS = 5_000;

/**
 * "Sol is typing…" while the other participant types in this conversation, gone 5 s after
 * their last typing frame (or as soon as their message arrives). Announced politely.
 */
export const TypingIndicator = ({
  messageGroupUuid,
  name,
}: {
  messageGroupUuid: string;
  name: string | undefined;
}) => {
  const [typingAt, setTypingAt] = useState<number | null>(null);
  useLiveEvent('typing', (typing) => {
    if (typing.message_group_uuid === messageGroupUuid) setTypingAt(Date.now());
  });
  useLiveEvent('message', (message) => {
    if (message.message_group_uuid === messageGroupUuid) setTypingAt(null);
  });
  useEffect(() => {
    if (typingAt === null) return;
    const timer = setTimeout(() => setTypingAt(null), TYPING_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [typingAt]);

  return (
    <div className="typing-indicator" role="status" aria-live="polite">
      {typingAt !== null ? `${name ?? 'They'} ${name ? 'is' : 'are'} typing…` : ''}
    </div>
  );
};
