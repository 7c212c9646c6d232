import { Outlet } from 'react-router';
import { ConversationList } from '../../features/conversations/ConversationList';
import { ConversationsProvider } from '../../features/conversations/ConversationsProvider';
import { useShownConversation } from '../use-shown-conversation';

/**
 * The list beside the open conversation. On a narrow screen only one of them shows (AppShell's
 * `data-screen`, see styles.css), with a back button in the conversation.
 */
export const MessagesLayout = () => {
  const shown = useShownConversation();
  return (
    <ConversationsProvider>
      <main className="messages-layout">
        <div className="messages-layout__list">
          <ConversationList />
        </div>
        <div className="messages-layout__detail">
          {shown && (
            // A narrow screen hides the list, and its h1, while a conversation shows: this one
            // stands in for it there (for screen readers; not shown on a wide screen).
            <h1 className="messages-layout__screen-title">
              {shown === 'new' ? 'New message' : 'Conversation'}
            </h1>
          )}
          <Outlet />
        </div>
      </main>
    </ConversationsProvider>
  );
};
