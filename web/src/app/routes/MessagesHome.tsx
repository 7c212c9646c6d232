import { useMessagesTitle } from '../use-messages-title';

/** Beside the list on a wide screen, until a conversation is chosen. */
export const MessagesHome = () => {
  useMessagesTitle('Messages');
  return (
    <div className="messages-home">
      <span className="brand-mark brand-mark--large" aria-hidden="true" />
      <h2>Your messages</h2>
      <p className="muted">Pick a conversation, or start one with New message.</p>
    </div>
  );
};
