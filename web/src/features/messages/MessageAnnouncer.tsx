import { useAnnounce } from '../../components/Announcer';
import { useLiveEvent } from '../../lib/live-events';
import { useSignedInUser } from '../../lib/session';

// Long messages are cut: the announcement says who wrote; the conversation has the rest.
const MAX_SPOKEN = 120;

/** Tells screen reader users about each arriving message, wherever their focus is. */
export const MessageAnnouncer = () => {
  const me = useSignedInUser();
  const announce = useAnnounce();
  useLiveEvent('message', (message) => {
    if (message.user_uuid === me.uuid) return;
    const text = [...message.message];
    const spoken =
      text.length > MAX_SPOKEN ? `${text.slice(0, MAX_SPOKEN).join('')}…` : message.message;
    announce(`New message from ${message.display_name}: ${spoken}`);
  });
  return null;
};
